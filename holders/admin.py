from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from equityplan.clock import today

from . import tally
from .models import Heir, Holder, HolderAddress, HolderEvent, HolderLogin, HolderTally, Position
from .services import DETAIL_FIELDS, holder_update_details


class HolderAddressInline(admin.TabularInline):
    model = HolderAddress
    extra = 0
    can_delete = False
    readonly_fields = ["address", "valid_from"]

    def has_add_permission(self, request, obj=None):
        return False  # a new address goes through holder_change_address (the holder page), with its trail


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    can_delete = False
    readonly_fields = ["company", "title", "started_on", "ended_on", "end_reason"]

    def has_add_permission(self, request, obj=None):
        return False  # positions start and end through the services, which write the trail


@admin.register(Holder)
class HolderAdmin(admin.ModelAdmin):
    """Holders are added on the holder pages; a change of name or contact here goes through the
    service, so it is on the trail with its before and after like any other."""

    list_display = ["name", "name_kana", "email", "died_on"]
    search_fields = ["name", "name_kana", "email"]
    list_filter = ["positions__title", ("died_on", admin.EmptyFieldListFilter)]
    fields = ["name", "name_kana", "email", "phone", "language", "died_on", "created_at"]
    readonly_fields = ["died_on", "created_at"]
    inlines = [HolderAddressInline, PositionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changed = {field: form.cleaned_data[field] for field in form.changed_data if field in DETAIL_FIELDS}
        if changed:
            try:
                holder_update_details(holder=obj, effective_date=today(), actor=request.user, **changed)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), level=messages.ERROR)


@admin.register(HolderAddress)
class HolderAddressAdmin(admin.ModelAdmin):
    list_display = ["holder", "address", "valid_from"]
    search_fields = ["holder__name", "address"]
    list_select_related = ["holder"]
    readonly_fields = ["holder", "valid_from"]

    def has_add_permission(self, request):
        return False  # addresses change through holder_change_address, which writes the trail

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["holder", "title", "started_on", "ended_on", "end_reason"]
    list_filter = ["title", "end_reason"]
    search_fields = ["holder__name"]
    list_select_related = ["holder"]
    readonly_fields = ["holder", "company", "title", "started_on", "ended_on", "end_reason"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Heir)
class HeirAdmin(admin.ModelAdmin):
    list_display = ["deceased", "heir", "designated_on", "relationship"]
    search_fields = ["deceased__name", "heir__name"]
    list_select_related = ["deceased", "heir"]
    readonly_fields = ["deceased", "heir", "designated_on"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HolderEvent)
class HolderEventAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "event_type", "holder", "effective_date", "recorded_by", "approved_by"]
    list_filter = ["event_type", "effective_date"]
    search_fields = ["holder__name"]
    list_select_related = ["holder", "recorded_by", "approved_by"]
    date_hierarchy = "effective_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HolderLogin)
class HolderLoginAdmin(admin.ModelAdmin):
    """Sign-ins to the holder's own view are given on the holder page (holder_login_create, on the
    trail); here they are read, and a user's access is ended by making the user inactive."""

    list_display = ["user", "holder", "created_at", "created_by"]
    search_fields = ["user__username", "holder__name"]
    list_select_related = ["user", "holder", "created_by"]
    readonly_fields = ["user", "holder", "created_at", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HolderTally)
class HolderTallyAdmin(admin.ModelAdmin):
    """The holders list's totals as kept (holders/tally.py): read here, set from a count by the action
    (as ``manage.py holder_tally_recount``), never typed in."""

    list_display = ["holders", "in_office", "deceased"]
    actions = ["recount"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Set the tally from a count of the holders"))
    def recount(self, request, queryset):
        figures = tally.recount()
        self.message_user(
            request, gettext("Holder tally set from a count: %(figures)s") % {"figures": figures}
        )
