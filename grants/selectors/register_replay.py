"""The register replayed from the ledger's events alone: the reference its projection must equal
(the tests and ``verify_register`` compare them; docs/adr/0008-register-projection.md)."""

from collections.abc import Collection
from datetime import date

from django.db.models import Q

from grants.domain.register import ACQUIRED_BY_COMPANY, CANCELLED, RegisterLine
from grants.models import LedgerEvent, Series
from grants.services.register_lines import COMPANY_LINE_EVENTS, HOLDER_LINE_EVENTS, line_events
from holders.models import Holder

from .register import LineFigures, Register, build_register


def register_replayed(
    *,
    as_of: date,
    series: Series | None = None,
    known_on: date | None = None,
    companies: Collection[int] | None = None,
    holder: Holder | None = None,
) -> Register:
    """One pass over the events effective on or before ``as_of`` that change rights, in (effective
    date, id) order, each applied to its line (and an acquisition by the company to the company's
    line too)."""
    condition = Q(effective_date__lte=as_of, series__isnull=False) & (
        HOLDER_LINE_EVENTS | COMPANY_LINE_EVENTS
    )
    if series is not None:
        condition &= Q(series=series)
    if companies is not None:
        condition &= Q(series__company_id__in=companies)
    if holder is not None:
        condition &= Q(holder=holder) & HOLDER_LINE_EVENTS
    lines: dict[tuple[int, int | None], RegisterLine] = {}
    for series_id, holder_id, event in line_events(condition):
        if event.event_type == CANCELLED or (event.event_type == ACQUIRED_BY_COMPANY and holder is None):
            lines.setdefault((series_id, None), RegisterLine(company=True)).apply(event)
        if event.event_type != CANCELLED:
            lines.setdefault((series_id, holder_id), RegisterLine()).apply(event)
    figures = {
        key: LineFigures(
            rights=line.rights, acquired_on=line.acquired_on, lots=line.held_lots(), flows=line.flows
        )
        for key, line in lines.items()
    }
    events = LedgerEvent.objects.filter(condition)
    return build_register(
        as_of=as_of,
        known_on=known_on,
        lines=figures,
        series_ids=events.values("series_id"),
        holder_ids=events.filter(holder__isnull=False).values("holder_id"),
    )
