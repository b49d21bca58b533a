"""Admin: market data is read-only (it comes in through the importers, with its batch); calendar
overrides are reference data staff maintain here; valuations change only through the services.
Splits and consolidations are corporate actions, recorded and approved in grants."""

from django.contrib import admin

from grants.admin import ReadOnlyAdmin

from .models import CalendarOverride, Dividend, ImportBatch, JgbYield, SharePrice, Valuation


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_trading_day", "reason"]
    list_filter = ["is_trading_day"]
    search_fields = ["reason"]
    date_hierarchy = "date"


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
