"""Reads of a series: the list, its page, its holders, its rights balance and lifecycle panel."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet, Sum

from grants.models import (
    CompanyAcquisition,
    CompanyHeldRights,
    CorporateAction,
    ExerciseRequest,
    Holding,
    LedgerEvent,
    Restructuring,
    Series,
    ShareAdjustment,
    TransferRequest,
)
from holders.models import Holder, Position


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
    """The series' latest events: their ids by the (series, recorded_at, id) index first, then the joins
    for those rows only (docs/reliability.md fact 20)."""
    order = ("-recorded_at", "-pk")
    latest = list(
        LedgerEvent.objects.filter(series=series).order_by(*order).values_list("pk", flat=True)[:limit]
    )
    return (
        LedgerEvent.objects.filter(pk__in=latest)
        .select_related("holder", "recorded_by", "approved_by")
        .order_by(*order)
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


def holders_for_allotment(*, series: Series, on: date) -> QuerySet[Holder]:
    """Living holders in office at the series' issuer on the allotment date: whom rights can go to."""
    in_office = Position.objects.filter(company_id=series.company_id, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )
    return (
        Holder.objects.filter(died_on__isnull=True, pk__in=in_office.values("holder_id"))
        .distinct()
        .order_by("name")
    )


OUTFLOW_TYPES = {
    LedgerEvent.Type.EXERCISED: "exercised",
    LedgerEvent.Type.LAPSED: "lapsed",
    LedgerEvent.Type.ACQUIRED_BY_COMPANY: "acquired_by_company",
    LedgerEvent.Type.RESTRUCTURED: "restructured",
}


def series_rights_balance(*, series: Series) -> dict:
    """The register balance of a series, from the ledger and the holdings.

    allotted = held by holders + held by the company + exercised + lapsed + cancelled + passed to a
    successor series (restructured). ``ledger_matches_holdings`` checks, per holder, that the sum of the
    ledger's rights deltas equals the holding.
    """
    held = Holding.objects.filter(series=series).aggregate(total=Sum("rights"))["total"] or 0
    company = CompanyHeldRights.objects.filter(series=series).first()
    sums = dict(
        LedgerEvent.objects.filter(series=series, event_type__in=list(OUTFLOW_TYPES), rights_delta__lt=0)
        .values_list("event_type")
        .annotate(total=Sum("rights_delta"))
    )
    out = {name: -(sums.get(t) or 0) for t, name in OUTFLOW_TYPES.items()}
    balance = {
        "allotted": series.allotted_rights,
        "held_by_holders": held,
        "held_by_company": company.rights if company else 0,
        "cancelled": company.cancelled_rights if company else 0,
        "exercised": out["exercised"],
        "lapsed": out["lapsed"],
        "restructured": out["restructured"],
    }
    balance["accounted"] = sum(v for k, v in balance.items() if k != "allotted")
    ledger = dict(
        LedgerEvent.objects.filter(series=series, holder__isnull=False)
        .values_list("holder_id")
        .annotate(total=Sum("rights_delta"))
    )
    holdings = dict(Holding.objects.filter(series=series).values_list("holder_id", "rights"))
    balance["ledger_matches_holdings"] = all(
        ledger.get(k, 0) == holdings.get(k, 0) for k in set(ledger) | set(holdings)
    )
    balance["balanced"] = balance["accounted"] == balance["allotted"] and balance["ledger_matches_holdings"]
    return balance


def series_lifecycle_context(*, series: Series) -> dict:
    """The series page's lifecycle panel: corporate actions, acquisition, restructuring, balance."""
    return {
        "corporate_actions": list(
            CorporateAction.objects.filter(company_id=series.company_id).select_related(
                "requested_by", "decided_by"
            )[:20]
        ),
        "acquisition": CompanyAcquisition.objects.filter(series=series).first(),
        "company_held": CompanyHeldRights.objects.filter(series=series).first(),
        "restructuring": Restructuring.objects.filter(original_series=series)
        .select_related("successor_series")
        .first(),
        "restructured_from": Restructuring.objects.filter(successor_series=series)
        .select_related("original_series")
        .first(),
        "balance": series_rights_balance(series=series),
        "open_transfers": list(
            TransferRequest.objects.filter(
                series=series, status__in=TransferRequest.OPEN_STATUSES
            ).select_related("transferor", "transferee")
        ),
        "open_exercises": list(
            ExerciseRequest.objects.filter(
                series=series, status=ExerciseRequest.Status.REQUESTED
            ).select_related("holder")
        ),
    }


def series_lifecycle_panel(*, series: Series, on: date) -> dict:
    """Series page provider (SeriesDetailView.extra_context_providers): the lifecycle panel."""
    return {**series_lifecycle_context(series=series), "panels": ["grants/_series_panel.html"]}
