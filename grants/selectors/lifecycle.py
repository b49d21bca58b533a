"""Reads for the lifecycle of rights: open windows, deadlines, pending decisions, the register balance.

Each function runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from grants.models import (
    CompanyAcquisition,
    CompanyHeldRights,
    CorporateAction,
    ExerciseRequest,
    Holding,
    InheritanceCase,
    LedgerEvent,
    Restructuring,
    Series,
    TransferRequest,
)
from holders.models import Heir, Holder, Position

from .windows import ExerciseWindow, exercise_window


def _successions(holder_ids) -> dict[int, InheritanceCase]:
    cases = InheritanceCase.objects.filter(
        heir_id__in=holder_ids, status=InheritanceCase.Status.APPROVED
    ).order_by("succeeded_on")
    # the latest succession wins; heir_id is never None here (filtered on it)
    return {c.heir_id: c for c in cases if c.heir_id is not None}


def holdings_with_windows(*, holder: Holder | None = None) -> list[tuple[Holding, ExerciseWindow]]:
    """Holdings with rights whose holder is out of office (or an heir), each with its exercise window."""
    qs = (
        Holding.objects.filter(rights__gt=0)
        .exclude(holder__in=Position.objects.filter(ended_on__isnull=True).values("holder"))
        .select_related("series__company", "holder")
        .prefetch_related("holder__positions")
        .order_by("holder__name", "series__number", "pk")
    )
    if holder is not None:
        qs = qs.filter(holder=holder)
    holdings = list(qs)
    cases = _successions({h.holder_id for h in holdings})
    return [
        (h, exercise_window(holder=h.holder, series=h.series, succession=cases.get(h.holder_id)))
        for h in holdings
    ]


def open_windows(*, as_of: date) -> list[dict]:
    """Windows open on ``as_of`` (departure (11)2 and heir (11)3), for the holder page and the dashboard."""
    rows = []
    for holding, window in holdings_with_windows():
        if window.kind in ("departure", "heir") and window.contains(as_of):
            assert window.last is not None  # contains() is False without both ends
            rows.append(
                {
                    "kind": window.kind,
                    "holding": holding,
                    "holder": holding.holder,
                    "series": holding.series,
                    "first": window.first,
                    "last": window.last,
                    "days_left": (window.last - as_of).days,
                    "url": holding.holder.get_absolute_url(),
                }
            )
    return sorted(rows, key=lambda r: (r["last"], r["holder"].name))


def upcoming_deadlines(*, as_of: date, days: int = 30) -> list[dict]:
    """Deadlines from ``as_of`` to ``as_of + days``: windows closing and transfer decisions due (Art 266).

    Rows: kind, date, series, holder, description, url.
    """
    horizon = as_of + timedelta(days=days)
    rows = []
    for holding, window in holdings_with_windows():
        if (
            window.kind in ("departure", "heir")
            and window.last is not None
            and as_of <= window.last <= horizon
        ):
            label = (
                _("Window after losing office closes")
                if window.kind == "departure"
                else _("Heir's window closes")
            )
            rows.append(
                {
                    "kind": f"{window.kind}_window",
                    "date": window.last,
                    "series": holding.series,
                    "holder": holding.holder,
                    "description": _("%(label)s: %(rights)d rights")
                    % {"label": label, "rights": holding.rights},
                    "url": holding.holder.get_absolute_url(),
                }
            )
    transfers = TransferRequest.objects.filter(
        status=TransferRequest.Status.REQUESTED, decision_due_on__lte=horizon
    ).select_related("series", "transferor", "transferee")
    for request in transfers:
        rows.append(
            {
                "kind": "transfer_decision",
                "date": request.decision_due_on,
                "series": request.series,
                "holder": request.transferor,
                "description": _(
                    "Board decision on a transfer to %(to)s due; afterwards deemed approved (Art 266)"
                )
                % {"to": request.transferee.name},
                "url": request.get_absolute_url(),
            }
        )
    return sorted(rows, key=lambda r: (r["date"], r["kind"]))


def pending_decisions() -> list[dict]:
    """Every matter awaiting the board secretary, oldest first, with its deadline where the law sets one."""
    rows = []
    for r in TransferRequest.objects.filter(status=TransferRequest.Status.REQUESTED).select_related(
        "series", "transferor", "transferee", "requested_by"
    ):
        rows.append(
            {
                "kind": "transfer",
                "label": _("Transfer"),
                "requested_at": r.requested_at,
                "requested_by": r.requested_by,
                "deadline": r.decision_due_on,
                "description": _("%(rights)d rights of %(series)s: %(from)s to %(to)s")
                % {
                    "rights": r.rights,
                    "series": r.series.name,
                    "from": r.transferor.name,
                    "to": r.transferee.name,
                },
                "url": r.get_absolute_url(),
                "object": r,
            }
        )
    for c in InheritanceCase.objects.filter(status=InheritanceCase.Status.HEIR_DESIGNATED).select_related(
        "deceased", "heir", "heir_designated_by"
    ):
        assert c.heir is not None  # heir_designate sets the heir with this status
        rows.append(
            {
                "kind": "inheritance",
                "label": _("Inheritance"),
                "requested_at": c.heir_designated_at or c.requested_at,
                "requested_by": c.heir_designated_by,
                "deadline": None,
                "description": _("%(heir)s to succeed %(deceased)s")
                % {"heir": c.heir.name, "deceased": c.deceased.name},
                "url": c.get_absolute_url(),
                "object": c,
            }
        )
    for a in CorporateAction.objects.filter(status=CorporateAction.Status.PROPOSED).select_related(
        "company", "requested_by"
    ):
        rows.append(
            {
                "kind": "corporate_action",
                "label": _("Corporate action"),
                "requested_at": a.requested_at,
                "requested_by": a.requested_by,
                "deadline": a.applies_from,
                "description": f"{a.get_kind_display()} {a.ratio_numerator}:{a.ratio_denominator} · {a.company.name}",
                "url": a.get_absolute_url(),
                "object": a,
            }
        )
    return sorted(rows, key=lambda r: (r["requested_at"], r["kind"]))


def deaths_without_heir() -> list[Holder]:
    """Deceased holders with rights still in their name and no heir designated yet (dashboard flag)."""
    designated = Heir.objects.values("deceased_id")
    return list(
        Holder.objects.filter(died_on__isnull=False, holdings__rights__gt=0)
        .exclude(pk__in=designated)
        .distinct()
        .order_by("died_on", "name")
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
    windows = {
        h.series_id: exercise_window(holder=holder, series=h.series, succession=succeeded)
        for h in holdings
        if h.rights > 0
        and (succeeded is not None or not any(p.ended_on is None for p in holder.positions.all()))
    }
    transfers = list(
        TransferRequest.objects.filter(Q(transferor=holder) | Q(transferee=holder))
        .select_related("series", "transferor", "transferee")
        .order_by("-requested_at")[:20]
    )
    exercises = list(
        ExerciseRequest.objects.filter(holder=holder).select_related("series").order_by("-requested_at")[:20]
    )
    return {
        "exercise_windows": windows,
        "transfer_requests": transfers,
        "exercise_requests": exercises,
        "inheritance_case": case,
        "succeeded_case": succeeded,
        "open_position_list": [p for p in holder.positions.all() if p.ended_on is None],
    }


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
