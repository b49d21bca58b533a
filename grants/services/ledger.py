"""The one low-level writer of ledger events.

The grants services do not call it directly: they call the constructors of `grants.events`, which
build each event's payload and write it here.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from equityplan.bulk import clean_given
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


@dataclass(frozen=True)
class EventSpec:
    """One event for ``ledger_record_many``: the arguments ``ledger_record`` takes."""

    event_type: str
    effective_date: date
    actor: User
    series: Series | None = None
    holder: Holder | None = None
    rights_delta: int = 0
    approved_by: User | None = None
    resolution_date: date | None = None
    resolution_reference: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    reverses: LedgerEvent | None = None


def ledger_record_many(events: Sequence[EventSpec], *, batch_size: int = 500) -> list[LedgerEvent]:
    """Write many events in their order as one chained bulk insert: each checked by its field rules
    (``clean_given``: its given foreign keys and constraints are the insert's to check), then one
    lock, one id reservation and one INSERT per batch (equityplan.appendonly)."""
    rows = [
        LedgerEvent(
            event_type=spec.event_type,
            series=spec.series,
            holder=spec.holder,
            rights_delta=spec.rights_delta,
            effective_date=spec.effective_date,
            recorded_by=spec.actor,
            approved_by=spec.approved_by,
            resolution_date=spec.resolution_date,
            resolution_reference=spec.resolution_reference,
            payload=spec.payload or {},
            reverses=spec.reverses,
        )
        for spec in events
    ]
    for row in rows:
        clean_given(row)
    written = LedgerEvent.objects.bulk_create(rows, batch_size=batch_size)
    # The register's projection, in the same transaction: each line changed, rewritten once.
    register_lines_refresh({key for event in written for key in lines_of(event)})
    return written
