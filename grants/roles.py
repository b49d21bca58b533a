"""The roles of docs/domain.md §5 as groups with model permissions, and the holders' own role.

Legal staff record and prepare; board secretaries decide; auditors read. Administrators are
Django superusers. `ensure_roles` is idempotent: migrations and `load_demo` both call it, and it
picks up permissions of models added later.
"""

from holders.access import HOLDER_ROLE

LEGAL_STAFF = "Legal staff"
BOARD_SECRETARY = "Board secretary"
AUDITOR = "Auditor"
# The fourth role: a holder or heir signed in to their own view. It has no model permission, so
# every staff page refuses it (docs/domain.md reading R54).
HOLDER = HOLDER_ROLE

READ_APPS = ("companies", "grants", "holders", "valuations", "jobs")
# Read only with a permission of its own, given to legal staff and to no other role by default
# (docs/domain.md §7.5): the auditor reads everything else.
MY_NUMBER_PERMISSION = "view_my_number"


def ensure_roles(apps=None) -> None:
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    view = list(
        Permission.objects.filter(
            content_type__app_label__in=READ_APPS, codename__startswith="view_"
        ).exclude(codename=MY_NUMBER_PERMISSION)
    )
    legal_extra = list(
        Permission.objects.filter(
            content_type__app_label__in=READ_APPS,
            codename__in=["record_events", "record_holder_events", MY_NUMBER_PERMISSION],
        )
    )
    decide = list(Permission.objects.filter(content_type__app_label="grants", codename="decide"))

    for name, perms in (
        (LEGAL_STAFF, view + legal_extra),
        (BOARD_SECRETARY, view + decide),
        (AUDITOR, view),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(perms)
    holder_group, _ = Group.objects.get_or_create(name=HOLDER)
    holder_group.permissions.clear()


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    """Give the roles the permissions of models added by later migrations too."""
    if sender.name == "grants":
        ensure_roles()
