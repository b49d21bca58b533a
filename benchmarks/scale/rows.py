"""Rows written in bulk, as the services would write them.

The event payloads come from the project's own constructors (`grants.events`, `holders.events`):
their one low-level writer is swapped for one that keeps the unsaved event, so a generated event is
the event the service would have recorded. Ids, the hash chain (`equityplan.appendonly.row_hash`)
and COPY are done here, in id order, exactly as `HashChainedModel.save` chains one row at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection, models

from equityplan.appendonly import GENESIS, HashChainedModel, chain_field_specs, row_hash

EVENT_MODULES = (
    "grants.events.companies",
    "grants.events.series",
    "grants.events.exercises",
    "grants.events.transfers",
    "grants.events.inheritance",
    "grants.events.corporate_actions",
)


class Table:
    """Rows of one model collected in memory, given ids in order, then sent with one COPY."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.rows: list[models.Model] = []
        self.next_id = _next_id(model)

    def add(self, obj: models.Model) -> models.Model:
        obj.pk = self.next_id
        self.next_id += 1
        self.rows.append(obj)
        return obj

    def flush(self) -> int:
        """COPY the rows collected so far (chained tables get their hashes here) and forget them."""
        if not self.rows:
            return 0
        model = self.model
        fields = list(model._meta.concrete_fields)
        columns = [f.column for f in fields]
        table = model._meta.db_table
        chained = issubclass(model, HashChainedModel)
        if chained:
            specs = chain_field_specs(model, model.hash_fields)  # type: ignore[attr-defined]
            prev = _tail_hash(table)
        count = len(self.rows)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for obj in self.rows:
                    if chained:
                        values = {f.attname: getattr(obj, f.attname) for f in fields}
                        obj.prev_hash = prev
                        obj.row_hash = prev = row_hash(table, specs, values, prev)
                    copy.write_row([_db_value(f, getattr(obj, f.attname)) for f in fields])
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [self.next_id - 1])
        self.rows = []
        return count


def _db_value(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=field.encoder)
    if isinstance(value, datetime | bool | int | str):
        return value
    return field.get_db_prep_save(value, connection)


def _next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def _tail_hash(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else GENESIS


@contextmanager
def captured_events(ledger: Table, holder_events: Table) -> Iterator[None]:
    """Within: the event constructors add their (unsaved) events to the two tables, in call order."""
    import importlib

    from grants.models import LedgerEvent
    from holders import events as holder_events_module
    from holders.models import HolderEvent

    def ledger_record(**kwargs: Any) -> LedgerEvent:
        actor = kwargs.pop("actor")
        kwargs.setdefault("payload", {})
        kwargs["payload"] = kwargs["payload"] or {}
        event = LedgerEvent(recorded_by=actor, **kwargs)
        event.recorded_at = _clock.now
        ledger.add(event)
        return event

    def holder_event_record(**kwargs: Any) -> HolderEvent:
        actor = kwargs.pop("actor")
        kwargs["before"] = kwargs.get("before") or {}
        kwargs["after"] = kwargs.get("after") or {}
        event = HolderEvent(recorded_by=actor, **kwargs)
        event.recorded_at = _clock.now
        holder_events.add(event)
        return event

    saved: list[tuple[Any, str, Any]] = []
    for name in EVENT_MODULES:
        module = importlib.import_module(name)
        saved.append((module, "ledger_record", module.ledger_record))
        module.ledger_record = ledger_record  # type: ignore[attr-defined]
    saved.append((holder_events_module, "holder_event_record", holder_events_module.holder_event_record))
    holder_events_module.holder_event_record = holder_event_record  # type: ignore[assignment]
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


class _Clock:
    """recorded_at of the events being generated: the world's history is recorded as it happened."""

    now: datetime


_clock = _Clock()


def set_recorded_at(moment: datetime) -> None:
    _clock.now = moment
