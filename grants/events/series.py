"""Series: creation, the board's decisions on its terms, allotment and the amount paid."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from grants.models import (
    Allotment,
    LedgerEvent,
    Restructuring,
    Series,
)
from grants.services.ledger import EventSpec, ledger_record

from ._common import Type, required

# --- Series --------------------------------------------------------------------------------------


def event_series_created(*, series: Series, shares_per_right: int, actor: User) -> LedgerEvent:
    """A series with its terms, effective on its board resolution if it has one, else its allotment date."""
    return ledger_record(
        event_type=Type.SERIES_CREATED,
        series=series,
        effective_date=series.resolution_date or series.allotment_date,
        actor=actor,
        payload={
            "max_rights": series.max_rights,
            "shares_per_right": shares_per_right,
            "exercise_price_per_share_yen": str(series.exercise_price_per_share_yen),
            "exercise_period": [
                series.exercise_period_start.isoformat(),
                series.exercise_period_end.isoformat(),
            ],
            "allotment_date": series.allotment_date.isoformat(),
        },
    )


def event_series_resolved(*, series: Series, actor: User) -> LedgerEvent:
    """The board resolved the terms; the actor records and approves the resolution."""
    resolution_date = required(series.resolution_date, "series.resolution_date")
    return ledger_record(
        event_type=Type.SERIES_RESOLVED,
        series=series,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=series.resolution_reference,
        payload={"status": {"before": Series.Status.DRAFT, "after": Series.Status.RESOLVED}},
    )


def event_allotment_date_changed(
    *,
    series: Series,
    allotment_date_before: date,
    payment_date_before: date,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
) -> LedgerEvent:
    """The board moved the allotment and payment dates, clauses (13), (14): both dates before and after."""
    return ledger_record(
        event_type=Type.ALLOTMENT_DATE_CHANGED,
        series=series,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=resolution_reference,
        payload={
            "before": {
                "allotment_date": allotment_date_before.isoformat(),
                "payment_date": payment_date_before.isoformat(),
            },
            "after": {
                "allotment_date": series.allotment_date.isoformat(),
                "payment_date": series.payment_date.isoformat(),
            },
        },
    )


def event_series_allotment_closed(*, series: Series, actor: User) -> LedgerEvent:
    """No more rights of the series can be allotted, clause (2): what was allotted of the maximum."""
    return ledger_record(
        event_type=Type.SERIES_ALLOTMENT_CLOSED,
        series=series,
        effective_date=series.allotment_date,
        actor=actor,
        payload={
            "status": {"before": Series.Status.RESOLVED, "after": Series.Status.ALLOTTED},
            "rights_allotted": series.allotted_rights,
            "max_rights": series.max_rights,
        },
    )


def event_series_closed(*, series: Series, restructuring: Restructuring, actor: User) -> LedgerEvent:
    """The series is closed: its remaining rights passed to the successor series, (9)."""
    return ledger_record(
        event_type=Type.SERIES_CLOSED,
        series=series,
        effective_date=restructuring.effective_date,
        actor=actor,
        resolution_date=restructuring.resolution_date,
        resolution_reference=restructuring.resolution_reference,
        payload={
            "status": {"before": Series.Status.ALLOTTED, "after": Series.Status.CLOSED},
            "restructuring_id": restructuring.pk,
            "successor_series_id": restructuring.successor_series_id,
        },
    )


# --- Allotment and the amount paid (12) ----------------------------------------------------------


def event_allotted(
    *, allotment: Allotment, shares_per_right: int, allotted_rights_after: int, actor: User
) -> LedgerEvent:
    """Rights allotted to a holder on the series' allotment date, within the maximum (2)."""
    spec = allotted_spec(
        allotment=allotment,
        shares_per_right=shares_per_right,
        allotted_rights_after=allotted_rights_after,
        actor=actor,
    )
    return ledger_record(**vars(spec))


def allotted_spec(
    *, allotment: Allotment, shares_per_right: int, allotted_rights_after: int, actor: User
) -> EventSpec:
    """The `allotted` event of one allotment, for ``event_allotted`` and for bulk allotment."""
    series = allotment.series
    return EventSpec(
        event_type=Type.ALLOTTED,
        series=series,
        holder=allotment.holder,
        rights_delta=allotment.rights,
        effective_date=allotment.allotted_on,
        actor=actor,
        resolution_date=series.resolution_date,
        resolution_reference=series.resolution_reference,
        payload={
            "allotment_id": allotment.pk,
            "category": allotment.category,
            "rights": allotment.rights,
            "shares_per_right": shares_per_right,
            "allotted_rights_after": allotted_rights_after,
            "max_rights": series.max_rights,
        },
    )


def event_amount_determined(
    *,
    series: Series,
    amount_paid_per_right_yen: int,
    allotments: int,
    rights: int,
    actor: User,
    approved_by: User | None = None,
    reference: str = "",
) -> LedgerEvent:
    """The amount paid per right (12) set on every allotment of the series, with the total in yen."""
    return ledger_record(
        event_type=Type.AMOUNT_DETERMINED,
        series=series,
        effective_date=series.allotment_date,
        actor=actor,
        approved_by=approved_by,
        resolution_reference=reference,
        payload={
            "amount_paid_per_right_yen": amount_paid_per_right_yen,
            "allotments": allotments,
            "rights": rights,
            "total_yen": amount_paid_per_right_yen * rights,
        },
    )
