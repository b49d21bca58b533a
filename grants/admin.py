"""Django admin for every grants model. Workflow, ledger and quantity fields are read-only here:
they change only through the services, which write the ledger."""

from django.contrib import admin

from .models import Allotment, Company, Holding, LedgerEvent, PlannedAllotment, Series, ShareAdjustment


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by services: admin shows them and never changes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ja", "securities_code", "successor_of"]
    search_fields = ["name", "name_ja", "securities_code"]

    def has_delete_permission(self, request, obj=None):
        return False


class ShareAdjustmentInline(admin.TabularInline):
    model = ShareAdjustment
    extra = 0
    can_delete = False
    readonly_fields = [
        "applies_from",
        "ratio_numerator",
        "ratio_denominator",
        "shares_per_right",
        "cause",
        "resolution_reference",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class PlannedAllotmentInline(admin.TabularInline):
    model = PlannedAllotment
    extra = 0
    can_delete = False
    readonly_fields = ["category", "persons", "rights"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "number", "status", "max_rights", "allotted_rights", "allotment_date"]
    list_filter = ["status", "company", "volatility_frequency", "rounding_rule"]
    search_fields = ["name", "name_ja", "company__name"]
    list_select_related = ["company"]
    readonly_fields = ["status", "allotted_rights", "resolution_date", "resolution_reference", "created_at"]
    inlines = [ShareAdjustmentInline, PlannedAllotmentInline]

    def has_add_permission(self, request):
        return False  # created by the series service (it starts the shares-per-right history)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShareAdjustment)
class ShareAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["series", "applies_from", "shares_per_right", "cause"]
    list_filter = ["cause"]
    search_fields = ["series__name"]
    list_select_related = ["series"]


@admin.register(PlannedAllotment)
class PlannedAllotmentAdmin(ReadOnlyAdmin):
    list_display = ["series", "category", "persons", "rights"]
    list_select_related = ["series"]


@admin.register(Allotment)
class AllotmentAdmin(ReadOnlyAdmin):
    list_display = ["series", "holder", "rights", "category", "allotted_on", "amount_paid_per_right_yen"]
    list_filter = ["category", "series"]
    search_fields = ["holder__name", "series__name"]
    list_select_related = ["series", "holder"]


@admin.register(Holding)
class HoldingAdmin(ReadOnlyAdmin):
    list_display = ["series", "holder", "rights", "acquired_on"]
    list_filter = ["series"]
    search_fields = ["holder__name", "series__name"]
    list_select_related = ["series", "holder"]


@admin.register(LedgerEvent)
class LedgerEventAdmin(ReadOnlyAdmin):
    list_display = [
        "recorded_at",
        "event_type",
        "series",
        "holder",
        "rights_delta",
        "effective_date",
        "recorded_by",
        "approved_by",
    ]
    list_filter = ["event_type", "series", "effective_date"]
    search_fields = ["holder__name", "series__name", "resolution_reference"]
    list_select_related = ["series", "holder", "recorded_by", "approved_by"]
    date_hierarchy = "effective_date"
