"""The allotment-date recomputation, as an outbox target: the final valuation from that day's close.

Knows nothing of the outbox: it takes the job's kwargs and returns a JSON-ready result.
"""

from __future__ import annotations

import time
from datetime import date

from django.core.exceptions import ValidationError

from grants.models import Series
from valuations.models import Valuation
from valuations.services import valuation_run

from .actors import system_user
from .exceptions import JobWaiting

# A fault drill may ask the recomputation to hold this long before computing (a slow task to kill).
MAX_HOLD_SECONDS = 60


def _final_valuation(series_id: int, valuation_date: date) -> Valuation | None:
    return (
        Valuation.objects.filter(
            series_id=series_id,
            valuation_date=valuation_date,
            status__in=[Valuation.Status.FINAL, Valuation.Status.APPROVED],
        )
        .order_by("pk")
        .first()
    )


def _rejected_valuation(series_id: int, valuation_date: date) -> Valuation | None:
    return (
        Valuation.objects.filter(
            series_id=series_id, valuation_date=valuation_date, status=Valuation.Status.REJECTED
        )
        .order_by("-pk")
        .first()
    )


def _valuation_result(valuation: Valuation, *, created: bool) -> dict:
    return {
        "valuation_id": valuation.pk,
        "valuation_date": valuation.valuation_date.isoformat(),
        "status": valuation.status,
        "spot_yen": str(valuation.spot_yen),
        "amount_per_right_yen": valuation.amount_per_right_yen,
        "created": created,
    }


def allotment_recompute(*, series_id: int, valuation_date: str, hold_seconds: int = 0) -> dict:
    """The final valuation of a series as of its allotment date, from that day's close, notice (12).

    Uses the series' fallback rule when the day has no close (valuations.services.derive_spot).
    Idempotent: when a final (or approved) valuation exists for the series and date it is the
    result; two runs at once leave one, as the database allows only one (valuation_one_final_...).
    When the board rejected a final valuation for that date and none replaces it yet, the rejected
    one is the result and nothing is computed: the system does not put the same figures back before
    the board; legal staff compute the new one.
    Raises JobWaiting while the data (the close) is not imported yet.
    """
    on = date.fromisoformat(valuation_date)
    if hold_seconds:
        time.sleep(min(int(hold_seconds), MAX_HOLD_SECONDS))
    existing = _final_valuation(series_id, on)
    if existing is not None:
        return _valuation_result(existing, created=False)
    rejected = _rejected_valuation(series_id, on)
    if rejected is not None:
        return _valuation_result(rejected, created=False)
    series = Series.objects.get(pk=series_id)
    try:
        valuation = valuation_run(series=series, valuation_date=on, actor=system_user(), final=True)
    except ValidationError as exc:
        existing = _final_valuation(series_id, on)  # another worker stored it first
        if existing is not None:
            return _valuation_result(existing, created=False)
        raise JobWaiting("; ".join(exc.messages)) from exc
    return _valuation_result(valuation, created=True)
