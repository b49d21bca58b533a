"""The register replayed from the ledger's events alone: the reference its projection must equal
(the tests and ``verify_register`` compare them; docs/adr/0008-register-projection.md)."""

from collections.abc import Collection
from datetime import date

from django.db.models import Q, QuerySet

from grants.domain.register import ACQUIRED_BY_COMPANY, CANCELLED, FLOWS, RegisterLine
from grants.models import LedgerEvent, Series
from grants.services.register_lines import COMPANY_LINE_EVENTS, HOLDER_LINE_EVENTS, line_events
from holders.models import Holder

from .register import (
    LineFigures,
    Register,
    RegisterRow,
    RegisterSeriesTotal,
    addresses_on,
    register_row,
    register_shares_per_right,
)


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


def build_register(
    *,
    as_of: date,
    known_on: date | None,
    lines: dict[tuple[int, int | None], LineFigures],
    series_ids: QuerySet,
    holder_ids: QuerySet,
) -> Register:
    """The register from its lines' figures on the date: entries for the lines that hold rights,
    a total per series. The company's entry shows the issuer's name and head-office address."""
    flows_by_series: dict[int, dict[str, int]] = {}
    for (series_id, _holder_id), line in lines.items():
        flow = flows_by_series.setdefault(series_id, dict.fromkeys(FLOWS, 0))
        for name, n in line.flows.items():
            flow[name] += n
    held = {key: line for key, line in lines.items() if line.rights > 0}
    # Subqueries rather than IN lists, so the query count stays fixed however many holders there are.
    series_by_id = {
        s.pk: s
        for s in Series.objects.filter(pk__in=series_ids)
        .select_related("company")
        .prefetch_related("share_adjustments")
    }
    holders_by_id = {h.pk: h for h in Holder.objects.filter(pk__in=holder_ids)}
    address_on_date = addresses_on(as_of, holder_ids)
    shares_by_series = {pk: register_shares_per_right(s, as_of, known_on) for pk, s in series_by_id.items()}
    rows = []
    for (series_id, line_holder_id), line in held.items():
        series_obj = series_by_id[series_id]
        holder = holders_by_id[line_holder_id] if line_holder_id is not None else None
        rows.append(
            register_row(
                series_obj,
                holder,
                line,
                shares_per_right=shares_by_series[series_id],
                address=series_obj.company.address if holder is None else address_on_date.get(holder.pk, ""),
            )
        )
    rows.sort(key=_row_order)
    holder_count: dict[int, int] = dict.fromkeys(flows_by_series, 0)
    by_holders: dict[int, int] = dict.fromkeys(flows_by_series, 0)
    by_company: dict[int, int] = dict.fromkeys(flows_by_series, 0)
    for row in rows:
        if row.company_held:
            by_company[row.series.pk] += row.rights
        else:
            by_holders[row.series.pk] += row.rights
            holder_count[row.series.pk] += 1
    totals = [
        RegisterSeriesTotal(
            series=series_by_id[series_id],
            shares_per_right=shares_by_series[series_id],
            holders=holder_count[series_id],
            held_by_holders=by_holders[series_id],
            held_by_company=by_company[series_id],
            **flow,
        )
        for series_id, flow in flows_by_series.items()
    ]
    totals.sort(key=lambda t: (t.series.company.name, t.series.number, t.series.pk))
    return Register(as_of=as_of, rows=rows, totals=totals)


def _row_order(row: RegisterRow) -> tuple:
    """By company and series; in a series the holders by name, then the company's own rights."""
    series = row.series
    if row.holder is None:
        return (series.company.name, series.number, series.pk, True, "", 0)
    return (series.company.name, series.number, series.pk, False, row.holder.name, row.holder.pk)
