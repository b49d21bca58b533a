"""Django admin for every grants model. Workflow, ledger and quantity fields are read-only here:
they change only through the services, which write the ledger."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from equityplan.clock import today

from . import events
from .models import (
    Allotment,
    Company,
    Holding,
    LedgerEvent,
    Lot,
    PlannedAllotment,
    RegisterHolderCount,
    RegisterLineState,
    RegisterSeriesTotals,
    Series,
    ShareAdjustment,
)
from .services import company_create, company_update


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
    """A company added or changed here goes through the company services, so the ledger has the
    `company_created` or `company_changed` event (with the before and after) like any other change."""

    list_display = ["name", "name_ja", "securities_code", "successor_of"]
    search_fields = ["name", "name_ja", "securities_code"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        details = {
            field: form.cleaned_data[field] for field in events.COMPANY_FIELDS if field in form.cleaned_data
        }
        if not change:
            # The form has validated the same fields the service checks; an error here is a real failure.
            company = company_create(effective_date=today(), actor=request.user, **details)
            # The admin logs the addition and redirects with the form's instance: make it the saved row.
            obj.pk, obj._state.adding, obj._state.db = company.pk, False, company._state.db
            return
        changed = {field: details[field] for field in form.changed_data if field in details}
        if changed:
            try:
                company_update(company=obj, effective_date=today(), actor=request.user, **changed)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), level=messages.ERROR)


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

    def has_change_permission(self, request, obj=None):
        return False  # terms change only by a recorded board decision (series services, corporate actions)

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


@admin.register(RegisterLineState)
class RegisterLineStateAdmin(ReadOnlyAdmin):
    """The register's projection: derived from the ledger, rebuilt by ``register_rebuild``, never edited."""

    list_display = ["series", "holder", "valid_from", "valid_until", "rights", "acquired_on"]
    list_filter = ["series"]
    search_fields = ["holder__name", "series__name"]
    list_select_related = ["series", "holder"]


@admin.register(RegisterSeriesTotals)
class RegisterSeriesTotalsAdmin(ReadOnlyAdmin):
    """Each series' register totals from each date: derived from the lines' states, rebuilt by ``register_rebuild``."""

    list_display = ["series", "on", "holders", "held_by_holders", "held_by_company", "allotted"]
    list_filter = ["series"]
    list_select_related = ["series"]


@admin.register(RegisterHolderCount)
class RegisterHolderCountAdmin(ReadOnlyAdmin):
    """The number of holders on an issuer's register from each date; rebuilt by ``register_rebuild``."""

    list_display = ["company", "on", "holders"]
    list_filter = ["company"]
    list_select_related = ["company"]


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


# --- Lifecycle workflows: read-only here; every change goes through the services (and the pages). ---
from .models import (  # noqa: E402
    CompanyAcquisition,
    CompanyHeldRights,
    CorporateAction,
    Evidence,
    ExerciseRequest,
    HolderImport,
    InheritanceCase,
    Restructuring,
    TransferRequest,
)


@admin.register(TransferRequest)
class TransferRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "series",
        "transferor",
        "transferee",
        "rights",
        "status",
        "requested_on",
        "decision_due_on",
    ]
    list_filter = ["status"]
    list_select_related = ["series", "transferor", "transferee"]
    search_fields = ["transferor__name", "transferee__name"]


@admin.register(InheritanceCase)
class InheritanceCaseAdmin(ReadOnlyAdmin):
    list_display = ["deceased", "heir", "status", "succeeded_on", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["deceased", "heir", "decided_by"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = [
        "filename",
        "kind",
        "subject_type",
        "subject_id",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["kind", "media_type"]
    list_select_related = ["subject_type", "uploaded_by"]
    search_fields = ["filename", "sha256"]


@admin.register(HolderImport)
class HolderImportAdmin(ReadOnlyAdmin):
    list_display = [
        "filename",
        "company",
        "series",
        "status",
        "problem_rows",
        "holders_created",
        "uploaded_by",
    ]
    list_filter = ["status"]
    list_select_related = ["company", "series", "uploaded_by"]
    search_fields = ["filename"]
    exclude = ["rows"]  # every row of a large file: read on the import's page


@admin.register(ExerciseRequest)
class ExerciseRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "series",
        "holder",
        "rights",
        "status",
        "requested_on",
        "exercised_on",
        "shares",
        "payment_yen",
    ]
    list_filter = ["status"]
    list_select_related = ["series", "holder"]


@admin.register(CorporateAction)
class CorporateActionAdmin(ReadOnlyAdmin):
    list_display = ["company", "kind", "ratio_numerator", "ratio_denominator", "applies_from", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["company"]


@admin.register(CompanyAcquisition)
class CompanyAcquisitionAdmin(ReadOnlyAdmin):
    list_display = ["series", "trigger", "acquisition_date", "status", "rights_acquired"]
    list_select_related = ["series"]


@admin.register(CompanyHeldRights)
class CompanyHeldRightsAdmin(ReadOnlyAdmin):
    list_display = ["series", "rights", "cancelled_rights"]
    list_select_related = ["series"]


@admin.register(Restructuring)
class RestructuringAdmin(ReadOnlyAdmin):
    list_display = ["original_series", "successor_series", "kind", "effective_date", "rights"]
    list_select_related = ["original_series", "successor_series"]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    """Lots change only through the services that move rights (allotment, succession, transfer...)."""

    list_display = ["holding", "rights", "origin", "allottee", "acquired_on"]
    list_filter = ["origin"]
    search_fields = ["holding__holder__name", "allottee__name", "holding__series__name"]
    list_select_related = ["holding__holder", "holding__series", "allottee"]
