"""The one low-level writer of ledger events.

The grants services do not call it directly: they call the constructors of `grants.events`, which
build each event's payload and write it here.
"""

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from grants.models import LedgerEvent, Series
from holders.models import Holder

from .register_lines import lines_of, register_lines_refresh


def ledger_record(
    *,
    event_type: str,
    effective_date: date,
    actor: User,
    series: Series | None = None,
    holder: Holder | None = None,
    rights_delta: int = 0,
    approved_by: User | None = None,
    resolution_date: date | None = None,
    resolution_reference: str = "",
    payload: dict[str, Any] | None = None,
    reverses: LedgerEvent | None = None,
) -> LedgerEvent:
    event = LedgerEvent(
        event_type=event_type,
        series=series,
        holder=holder,
        rights_delta=rights_delta,
        effective_date=effective_date,
        recorded_by=actor,
        approved_by=approved_by,
        resolution_date=resolution_date,
        resolution_reference=resolution_reference,
        payload=payload or {},
        reverses=reverses,
    )
    event.full_clean()
    event.save()
    if lines := lines_of(event):  # the register's projection, in the same transaction
        register_lines_refresh(lines)
    return event
