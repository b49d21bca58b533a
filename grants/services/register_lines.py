"""Keep the register's projection exact: each line's states are rewritten from its own events in
the transaction that records an event on it (docs/adr/0008-register-projection.md).

No lock of its own: every ledger append holds the ledger's chain lock to the end of its transaction
(equityplan/appendonly.py), so no other transaction can hold an uncommitted event on the line, and
each statement here sees every committed one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from grants.domain.register import LineEvent, line_states
from grants.models import LedgerEvent, RegisterLineState

from .register_totals import TotalsUpdate

Type = LedgerEvent.Type
LineKey = tuple[int, int | None]  # (series id, holder id or None for the company's own rights)
BATCH = 2000


def lines_of(event: LedgerEvent) -> list[LineKey]:
    """The register lines an event changes (none for most events)."""
    if event.series_id is None:
        return []
    if event.event_type == Type.CANCELLED:
        return [(event.series_id, None)]
    if event.holder_id is None or not event.rights_delta:
        return []
    if event.event_type == Type.ACQUIRED_BY_COMPANY:
        return [(event.series_id, event.holder_id), (event.series_id, None)]
    return [(event.series_id, event.holder_id)]


def line_events(condition: Q, *, line_order: tuple[str, ...] = (), ledger=LedgerEvent):
    """The register's view of the events matching ``condition``, in (effective date, id) order, after
    ``line_order`` (to read line by line): (series id, holder id, LineEvent)."""
    rows = (
        ledger._default_manager.filter(condition)
        .annotate(
            cancelled_rights=Case(
                When(event_type=Type.CANCELLED, then=Cast(KT("payload__rights"), IntegerField())),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by(*line_order, "effective_date", "pk")
        .values_list(
            "series_id",
            "holder_id",
            "event_type",
            "effective_date",
            "rights_delta",
            "cancelled_rights",
            "payload__lot_origin",
            "payload__lot_acquired_on",
        )
    )
    for series_id, holder_id, event_type, on, delta, cancelled, lot_origin, lot_on in rows.iterator(
        chunk_size=BATCH
    ):
        lot = (lot_origin, date.fromisoformat(lot_on)) if lot_origin and lot_on else None
        yield series_id, holder_id, LineEvent(event_type, on, delta, cancelled or 0, lot)


# The events that change a holder's line, and those that change the company's own line.
HOLDER_LINE_EVENTS = Q(holder__isnull=False) & ~Q(rights_delta=0) & ~Q(event_type=Type.CANCELLED)
COMPANY_LINE_EVENTS = Q(event_type=Type.CANCELLED) | (
    Q(event_type=Type.ACQUIRED_BY_COMPANY, holder__isnull=False) & ~Q(rights_delta=0)
)


def _states_rows(events_by_line: dict[LineKey, list[LineEvent]], model=RegisterLineState) -> list:
    rows = []
    for (series_id, holder_id), events in events_by_line.items():
        for s in line_states(events, company=holder_id is None):
            rows.append(
                model(
                    series_id=series_id,
                    holder_id=holder_id,
                    valid_from=s.valid_from,
                    valid_until=s.valid_until,
                    rights=s.rights,
                    acquired_on=s.acquired_on,
                    lots=[[origin, on.isoformat(), n] for origin, on, n in s.lots],
                    **s.flows,
                )
            )
    return rows


def register_lines_refresh(keys: Iterable[LineKey]) -> int:
    """Rewrite the states of these lines from their events; the number of states written."""
    wanted = sorted(set(keys), key=lambda k: (k[0], k[1] is None, k[1] or 0))
    written = 0
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        holders_by_series: dict[int, list[int]] = defaultdict(list)
        company_series: list[int] = []
        for series_id, holder_id in chunk:
            if holder_id is None:
                company_series.append(series_id)
            else:
                holders_by_series[series_id].append(holder_id)
        condition = Q(pk__in=[])
        stale = Q(pk__in=[])
        for series_id, holder_ids in holders_by_series.items():
            condition |= Q(series_id=series_id, holder_id__in=holder_ids) & HOLDER_LINE_EVENTS
            stale |= Q(series_id=series_id, holder_id__in=holder_ids)
        if company_series:
            condition |= Q(series_id__in=company_series) & COMPANY_LINE_EVENTS
            stale |= Q(series_id__in=company_series, holder__isnull=True)
        events_by_line: dict[LineKey, list[LineEvent]] = defaultdict(list)
        company = set(company_series)
        for series_id, holder_id, event in line_events(condition):
            if series_id in company and (
                event.event_type == Type.CANCELLED or event.event_type == Type.ACQUIRED_BY_COMPANY
            ):
                events_by_line[(series_id, None)].append(event)
            if (
                holder_id is not None
                and event.event_type != Type.CANCELLED
                and holder_id in holders_by_series.get(series_id, ())
            ):
                events_by_line[(series_id, holder_id)].append(event)
        totals = TotalsUpdate(set(chunk), stale)
        totals.before()
        RegisterLineState.objects.filter(stale).delete()
        rows = _states_rows(events_by_line)
        RegisterLineState.objects.bulk_create(rows, batch_size=BATCH)
        totals.after(rows)
        written += len(rows)
    return written


def register_rebuild(*, ledger=LedgerEvent, states=RegisterLineState) -> int:
    """Rebuild every line's states from the whole ledger, line by line; the number of states written.
    The totals are rebuilt from them apart (``register_totals_rebuild``).

    ``ledger`` and ``states``: the models to use (a migration passes its historical ones).
    """
    states._default_manager.all().delete()
    written = 0
    pending: dict[LineKey, list[LineEvent]] = {}
    held = 0

    def flush() -> None:
        nonlocal written, held
        rows = _states_rows(pending, states)
        states._default_manager.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
        pending.clear()
        held = 0

    streams = (
        (Q(series__isnull=False) & HOLDER_LINE_EVENTS, False, ("series_id", "holder_id")),
        (Q(series__isnull=False) & COMPANY_LINE_EVENTS, True, ("series_id",)),
    )
    for condition, company, order in streams:
        for series_id, holder_id, event in line_events(condition, line_order=order, ledger=ledger):
            key = (series_id, None) if company else (series_id, holder_id)
            if key not in pending and held >= BATCH:
                flush()
            pending.setdefault(key, []).append(event)
            held += 1
        flush()
    return written
