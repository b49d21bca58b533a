"""Reads: each page's data in a fixed, small number of queries (never one per row)."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from holders.models import Holder

from .models import Holding, LedgerEvent, Series, ShareAdjustment


def series_list() -> QuerySet[Series]:
    return (
        Series.objects.select_related("company")
        .prefetch_related("share_adjustments")
        .order_by("company__name", "number")
    )


def series_holdings(*, series: Series) -> QuerySet[Holding]:
    return (
        Holding.objects.filter(series=series)
        .select_related("holder")
        .prefetch_related("holder__positions")
        .order_by("holder__name", "pk")
    )


def series_recent_events(*, series: Series, limit: int = 20) -> QuerySet[LedgerEvent]:
    return (
        LedgerEvent.objects.filter(series=series)
        .select_related("holder", "recorded_by", "approved_by")
        .order_by("-recorded_at", "-pk")[:limit]
    )


def series_detail(*, pk: int) -> Series:
    return (
        Series.objects.select_related("company")
        .prefetch_related(
            Prefetch("share_adjustments", queryset=ShareAdjustment.objects.order_by("applies_from")),
            "planned_allotments",
        )
        .get(pk=pk)
    )


def holder_page_context(*, holder: Holder, on: date) -> dict:
    """What the holder page shows of rights: holdings with shares per right today, and recent events."""
    holdings = list(
        Holding.objects.filter(holder=holder)
        .select_related("series__company")
        .prefetch_related("series__share_adjustments")
        .order_by("series__company__name", "series__number")
    )
    rows = [
        {
            "holding": h,
            "series": h.series,
            "shares_per_right": h.series.shares_per_right_on(max(on, h.series.allotment_date)),
        }
        for h in holdings
    ]
    for row in rows:
        row["shares"] = row["shares_per_right"] * row["holding"].rights
    return {"holding_rows": rows, "ledger_events": list(holder_recent_events(holder=holder))}


def holder_recent_events(*, holder: Holder, limit: int = 20) -> QuerySet[LedgerEvent]:
    return (
        LedgerEvent.objects.filter(holder=holder)
        .select_related("series", "recorded_by", "approved_by")
        .order_by("-recorded_at", "-pk")[:limit]
    )


def holders_for_allotment(*, series: Series, on: date) -> QuerySet[Holder]:
    """Living holders in office on the allotment date: the people rights can be allotted to."""
    return (
        Holder.objects.filter(died_on__isnull=True, positions__started_on__lte=on)
        .exclude(positions__ended_on__lt=on, positions__ended_on__isnull=False)
        .distinct()
        .order_by("name")
    )
