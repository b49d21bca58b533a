"""Exercise, notice (4)-(6), and the lapse of rights that can no longer be exercised (Art 287)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from grants.domain.exercise import ExerciseFigures
from grants.models import (
    ExerciseRequest,
    Holding,
    LedgerEvent,
    Lot,
)
from grants.services.ledger import ledger_record

from ._common import Type, required

# --- Exercise, notice (4)-(6) --------------------------------------------------------------------


def _exercise_payload(request: ExerciseRequest, figures: ExerciseFigures) -> dict[str, Any]:
    return {
        "exercise_request_id": request.pk,
        "rights": figures.rights,
        "shares_per_right": figures.shares_per_right,
        "shares": figures.shares,
        "exercise_price_per_share_yen": figures.exercise_price_per_share_yen,
        "payment_yen": figures.payment_yen,
        "book_value_yen": figures.book_value_yen,
        "upper_limit_yen": figures.upper_limit_yen,
        "capital_yen": figures.capital_yen,
        "reserve_yen": figures.reserve_yen,
    }


def event_exercise_requested(
    *, request: ExerciseRequest, figures: ExerciseFigures, actor: User
) -> LedgerEvent:
    """An exercise requested, with the figures as of the request day; the rights stay until payment."""
    return ledger_record(
        event_type=Type.EXERCISE_REQUESTED,
        series=request.series,
        holder=request.holder,
        effective_date=request.requested_on,
        actor=actor,
        payload=_exercise_payload(request, figures),
    )


def event_exercised(*, request: ExerciseRequest, figures: ExerciseFigures, actor: User) -> LedgerEvent:
    """The payment arrived: the rights are exercised that day (Art 281, 282), capital per OCA Art 17."""
    return ledger_record(
        event_type=Type.EXERCISED,
        series=request.series,
        holder=request.holder,
        rights_delta=-request.rights,
        effective_date=required(request.exercised_on, "request.exercised_on"),
        actor=actor,
        payload={**_exercise_payload(request, figures), **_lot_payload(request.lot)},
    )


def _lot_payload(lot: Lot | None) -> dict[str, Any]:
    """Which lot rights left, so the register as of any date takes them from that lot (11)."""
    if lot is None:
        return {}
    return {"lot_id": lot.pk, "lot_origin": lot.origin, "lot_acquired_on": lot.acquired_on.isoformat()}


def event_reversal(*, request: ExerciseRequest, reverses: LedgerEvent | None, actor: User) -> LedgerEvent:
    """A withdrawn exercise request: the reversal of its `exercise_requested` event, with the reason."""
    return ledger_record(
        event_type=Type.REVERSAL,
        series=request.series,
        holder=request.holder,
        effective_date=request.requested_on,
        actor=actor,
        reverses=reverses,
        payload={"exercise_request_id": request.pk, "withdrawn": True, "reason": request.withdrawal_reason},
    )


# --- Lapse (Art 287) -----------------------------------------------------------------------------


def event_lapsed(
    *, holding: Holding, lot: Lot, rights: int, reason: str, effective_date: date, as_of: date, actor: User
) -> LedgerEvent:
    """The rights of a lot extinguished on ``effective_date`` for ``reason``, found on ``as_of``."""
    return ledger_record(
        event_type=Type.LAPSED,
        series=holding.series,
        holder=holding.holder,
        rights_delta=-rights,
        effective_date=effective_date,
        actor=actor,
        payload={"rights": rights, "reason": reason, "as_of": as_of.isoformat(), **_lot_payload(lot)},
    )
