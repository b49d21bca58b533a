"""Admin: market data is read-only (it comes in through the importers, with its batch); calendar
overrides are reference data staff maintain here, through their services; valuations change only
through the services. Splits and consolidations are corporate actions, recorded and approved in
grants."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from grants.admin import ReadOnlyAdmin

from .models import CalendarOverride, Dividend, ImportBatch, JgbYield, SharePrice, Valuation
from .services.calendar import calendar_override_delete, calendar_override_set


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Adding, changing and deleting an override goes through the calendar services, so each change
    is on the ledger with the day before and after. The day of an override is fixed once added: to
    move it, delete it and add the other day."""

    list_display = ["date", "is_trading_day", "reason"]
    list_filter = ["is_trading_day"]
    search_fields = ["reason"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        return ["date"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        try:
            saved = calendar_override_set(
                day=obj.date,
                is_open=form.cleaned_data["is_trading_day"],
                note=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), level=messages.ERROR)
            return
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        calendar_override_delete(day=obj.date, actor=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset.order_by("date").values_list("date", flat=True):
            calendar_override_delete(day=day, actor=request.user)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "kind",
        "company",
        "filename",
        "label",
        "rows",
        "rows_created",
        "imported_by",
        "imported_at",
    ]
    list_filter = ["kind"]


@admin.register(SharePrice)
class SharePriceAdmin(ReadOnlyAdmin):
    list_display = ["company", "date", "close", "base_price", "batch"]
    list_filter = ["company"]
    date_hierarchy = "date"


@admin.register(Dividend)
class DividendAdmin(ReadOnlyAdmin):
    list_display = ["company", "fiscal_year_end", "per_share_yen", "note", "batch"]


@admin.register(JgbYield)
class JgbYieldAdmin(ReadOnlyAdmin):
    list_display = ["date", "tenor_years", "yield_fraction", "batch"]
    list_filter = ["tenor_years"]
    date_hierarchy = "date"


@admin.register(Valuation)
class ValuationAdmin(ReadOnlyAdmin):
    list_display = [
        "series",
        "valuation_date",
        "status",
        "option_price_per_share",
        "amount_per_right_yen",
        "computed_by",
        "approved_by",
    ]
    list_filter = ["status"]
