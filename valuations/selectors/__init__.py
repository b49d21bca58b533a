"""Reads for the valuation and market data pages, each in a fixed number of queries."""

from collections.abc import Collection
from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet

from grants.models import Company, CorporateAction, Series
from grants.selectors.corporate_actions import company_price_basis_changes
from valuations.models import Dividend, ImportBatch, JgbYield, SharePrice, Valuation
from valuations.selectors.calendar import calendar_overrides


def series_valuations(*, series: Series) -> QuerySet[Valuation]:
    return (
        Valuation.objects.filter(series=series)
        .select_related("computed_by", "approved_by", "finalized_by")
        .order_by("-valuation_date", "-pk")
    )


def valuation_detail(*, pk: int) -> Valuation:
    return Valuation.objects.select_related(
        "series__company", "computed_by", "finalized_by", "approved_by", "rejected_by"
    ).get(pk=pk)


def series_panel_context(*, series: Series, on: date) -> dict:
    """The series page's valuation panel: the latest valuations and the amount they give."""
    valuations = list(series_valuations(series=series)[:5])
    current = next((v for v in valuations if v.status == Valuation.Status.APPROVED), None) or next(
        (v for v in valuations if v.status == Valuation.Status.FINAL), None
    )
    return {
        "panels": ["valuations/_series_panel.html"],
        "valuation_rows": valuations,
        "valuation_current": current,
    }


def market_data_overview(*, companies_visible: Collection[int] | None = None) -> dict:
    """What is loaded: per company counts and date ranges, the approved splits and consolidations
    that change its price basis, the yield dates, the latest batches; of ``companies_visible`` only
    where the reader is limited to some companies (docs/domain.md reading R47)."""
    mine = Q() if companies_visible is None else Q(company_id__in=companies_visible)
    batches_mine = Q() if companies_visible is None else Q(company__isnull=True) | mine
    prices = {
        row["company"]: row
        for row in SharePrice.objects.filter(mine)
        .values("company")
        .annotate(n=Count("pk"), first=Min("date"), last=Max("date"))
        .order_by()
    }
    dividends = {
        row["company"]: row
        for row in Dividend.objects.filter(mine)
        .values("company")
        .annotate(n=Count("pk"), first=Min("fiscal_year_end"), last=Max("fiscal_year_end"))
        .order_by()
    }
    companies = list(Company.objects.filter(pk__in=set(prices) | set(dividends)).order_by("name"))
    basis_changes = company_price_basis_changes(companies=companies, overrides=calendar_overrides())
    yields = JgbYield.objects.aggregate(n=Count("date", distinct=True), first=Min("date"), last=Max("date"))
    return {
        "company_rows": [
            {"company": c, "prices": prices.get(c.pk), "dividends": dividends.get(c.pk)} for c in companies
        ],
        "dividends": list(
            Dividend.objects.filter(mine)
            .select_related("company", "batch")
            .order_by("company__name", "-fiscal_year_end")[:50]
        ),
        "price_basis_changes": [
            {"company": company, "change": change, "kind": CorporateAction.Kind(change.kind).label}
            for company in companies
            for change in basis_changes.get(company.pk, [])
        ],
        "yields": yields,
        "batches": list(
            ImportBatch.objects.filter(batches_mine).select_related("company", "imported_by")[:20]
        ),
    }


def batch_rows(*, batch: ImportBatch) -> QuerySet:
    if batch.kind == ImportBatch.Kind.SHARE_PRICES:
        return batch.share_prices.order_by("date")
    if batch.kind == ImportBatch.Kind.DIVIDENDS:
        return batch.dividends.order_by("fiscal_year_end")
    return batch.jgb_yields.order_by("date", "tenor_years")
