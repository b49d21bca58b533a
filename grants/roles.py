"""The three roles of docs/domain.md §5 as groups with model permissions.

Legal staff record and prepare; board secretaries decide; auditors read. Administrators are
Django superusers. `ensure_roles` is idempotent: migrations and `load_demo` both call it, and it
picks up permissions of models added later.
"""

LEGAL_STAFF = "Legal staff"
BOARD_SECRETARY = "Board secretary"
AUDITOR = "Auditor"

READ_APPS = ("companies", "grants", "holders", "valuations", "jobs")


def ensure_roles(apps=None) -> None:
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    view = list(
        Permission.objects.filter(content_type__app_label__in=READ_APPS, codename__startswith="view_")
    )
    legal_extra = list(
        Permission.objects.filter(
            content_type__app_label__in=READ_APPS, codename__in=["record_events", "record_holder_events"]
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


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    """Give the roles the permissions of models added by later migrations too."""
    if sender.name == "grants":
        ensure_roles()
