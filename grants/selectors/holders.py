"""Reads of a holder's rights: holdings, windows, open requests, the inheritance case."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from companies.access import company_ids
from grants.models import ExerciseRequest, Holding, InheritanceCase, LedgerEvent, Lot, TransferRequest
from holders.models import Heir, Holder

from .windows import lot_window


def holder_page_context(*, holder: Holder, on: date, viewer=None) -> dict:
    """What the holder page shows of rights: holdings with shares per right today, and recent events;
    for a ``viewer`` limited to some companies, those of their series only (docs/domain.md reading R47)."""
    allowed = company_ids(viewer) if viewer is not None else None
    holdings = list(
        Holding.objects.filter(holder=holder)
        .filter(**({} if allowed is None else {"series__company_id__in": allowed}))
        .select_related("series__company")
        .prefetch_related("series__share_adjustments")
        .order_by("series__company__name", "series__number")
    )
    rows: list[dict[str, Any]] = [
        {
            "holding": h,
            "series": h.series,
            "shares_per_right": h.series.shares_per_right_on(max(on, h.series.allotment_date)),
        }
        for h in holdings
    ]
    for row in rows:
        row["shares"] = row["shares_per_right"] * row["holding"].rights
    lifecycle = holder_lifecycle_context(holder=holder, on=on, holdings=holdings)
    for row in rows:
        row["lots"] = lifecycle["lots_by_holding"].get(row["holding"].pk, [])
    events = holder_recent_events(holder=holder, companies=allowed)
    return {"holding_rows": rows, "ledger_events": list(events), **lifecycle}


def holder_recent_events(
    *, holder: Holder, limit: int = 20, companies: Collection[int] | None = None
) -> QuerySet[LedgerEvent]:
    events = LedgerEvent.objects.filter(holder=holder)
    if companies is not None:
        events = events.filter(series__company_id__in=companies)
    return events.select_related("series", "recorded_by", "approved_by").order_by("-recorded_at", "-pk")[
        :limit
    ]


def holder_lifecycle_context(*, holder: Holder, on: date, holdings: list[Holding] | None = None) -> dict:
    """What the holder page shows of the lifecycle: windows, open requests, the inheritance case.

    ``holdings`` (with their series) and the holder's prefetched positions are reused, so this adds
    three queries whatever the number of holdings.
    """
    if holdings is None:
        holdings = list(Holding.objects.filter(holder=holder).select_related("series"))
    cases = list(
        InheritanceCase.objects.filter(Q(deceased=holder) | Q(heir=holder)).select_related("deceased", "heir")
    )
    case = next((c for c in cases if c.deceased_id == holder.pk), None)
    succeeded = next(
        (c for c in cases if c.heir_id == holder.pk and c.status == InheritanceCase.Status.APPROVED), None
    )
    # Each lot with its own window: the conditions travel with the rights, not the person (11).
    lots = (
        Lot.objects.filter(holding__holder=holder, rights__gt=0)
        .select_related(
            "holding__series__company",
            "holding__holder",
            "allottee",
            "inheritance_case__deceased",
            "transfer_request",
        )
        .prefetch_related("holding__holder__positions", "allottee__positions")
        .order_by("acquired_on", "pk")
    )
    lots_by_holding: dict[int, list[dict[str, Any]]] = {}
    for lot in lots:
        lots_by_holding.setdefault(lot.holding_id, []).append({"lot": lot, "window": lot_window(lot)})
    transfers = list(
        TransferRequest.objects.filter(Q(transferor=holder) | Q(transferee=holder))
        .select_related("series", "transferor", "transferee")
        .order_by("-requested_at")[:20]
    )
    exercises = list(
        ExerciseRequest.objects.filter(holder=holder).select_related("series").order_by("-requested_at")[:20]
    )
    return {
        "lots_by_holding": lots_by_holding,
        "transfer_requests": transfers,
        "exercise_requests": exercises,
        "inheritance_case": case,
        "succeeded_case": succeeded,
        "open_position_list": [p for p in holder.positions.all() if p.ended_on is None],
    }


def deaths_without_heir() -> list[Holder]:
    """Deceased holders with rights still in their name and no heir designated yet (dashboard flag)."""
    designated = Heir.objects.values("deceased_id")
    return list(
        Holder.objects.filter(died_on__isnull=False, holdings__rights__gt=0)
        .exclude(pk__in=designated)
        .distinct()
        .order_by("died_on", "name")
    )
