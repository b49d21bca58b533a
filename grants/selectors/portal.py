"""What the holder's own view shows (docs/domain.md reading R54): their lots with windows, the exercise
price and the shares they would receive, and their requests; nothing of anyone else."""

from __future__ import annotations

from datetime import date
from typing import Any

from grants.domain.exercise import exercise_figures
from grants.models import Allotment, ExerciseRequest, Lot
from holders.models import Holder

from .windows import lot_window


def _amounts_paid(series_ids: set[int]) -> dict[int, int | None]:
    """The amount paid per right of each series (None while any allotment's amount is outstanding)."""
    amounts: dict[int, int | None] = {}
    for series_id, amount in Allotment.objects.filter(series_id__in=series_ids).values_list(
        "series_id", "amount_paid_per_right_yen"
    ):
        amounts[series_id] = None if amount is None or amounts.get(series_id, amount) is None else amount
    return amounts


def holder_portal(*, holder: Holder, on: date) -> dict[str, Any]:
    """Lots with rights, each with its window, figures and whether it may be exercised on ``on``."""
    lots = list(
        Lot.objects.filter(holding__holder=holder, rights__gt=0)
        .select_related("holding__series__company", "holding__holder", "allottee", "inheritance_case")
        .prefetch_related(
            "holding__holder__positions", "allottee__positions", "holding__series__share_adjustments"
        )
        .order_by("holding__series__company__name", "holding__series__number", "acquired_on", "pk")
    )
    series_ids = {lot.holding.series_id for lot in lots}
    amounts = _amounts_paid(series_ids)
    requests = list(
        ExerciseRequest.objects.filter(holder=holder)
        .select_related("series", "lot")
        .order_by("-requested_at", "-pk")[:50]
    )
    open_holdings = {r.holding_id for r in requests if r.status == ExerciseRequest.Status.REQUESTED}
    rows = []
    for lot in lots:
        series = lot.holding.series
        window = lot_window(lot)
        shares_per_right = series.shares_per_right_on(max(on, series.allotment_date))
        amount = amounts.get(series.pk)
        figures = (
            exercise_figures(
                rights=lot.rights,
                shares_per_right=shares_per_right,
                exercise_price_per_share_yen=series.exercise_price_per_share_yen,
                amount_paid_per_right_yen=amount,
            )
            if amount is not None
            else None
        )
        is_open = window.contains(on)
        rows.append(
            {
                "lot": lot,
                "series": series,
                "window": window,
                "open": is_open,
                "shares_per_right": shares_per_right,
                "shares": figures.shares if figures else shares_per_right * lot.rights,
                "payment_yen": figures.payment_yen if figures else None,
                "request_open": lot.holding_id in open_holdings,
                "may_request": is_open and figures is not None and lot.holding_id not in open_holdings,
            }
        )
    return {
        "rows": rows,
        "open_rows": [r for r in rows if r["open"]],
        "requests": requests,
    }
