"""Keep the register's totals per date, so that a total on any date is one row per series, read by
one index probe, rather than a sum over its lines (docs/adr/0008-register-projection.md).

A line's state adds its figures on the day it starts and takes them away on the day it ends; these
changes, summed per series and date and run up, give a series' totals from each date on which they
change until the next. The number of holders on an issuer's register is kept the same way, a holder
counting once however many of its series they hold (docs/domain.md R69). Written in the
transaction that rewrites the lines' states, under the ledger's chain lock
(grants/services/register_lines.py), so no two writers meet. An event recorded late adds its change
to every later row of its series.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connections, router
from django.db.models import DateField, Q, Subquery, Value
from django.db.models.functions import Coalesce

from grants.domain.register import FLOWS, TOTAL_FIGURES
from grants.models import RegisterHolderCount, RegisterLineState, RegisterSeriesTotals, Series

BATCH = 2000
UPSERT_BATCH = 500  # rows per statement: 10 parameters each, well inside SQLite's limit


@dataclass(frozen=True)
class StateSpan:
    """What the totals need of one line's state."""

    series_id: int
    holder_id: int | None
    valid_from: date
    valid_until: date | None
    rights: int
    flows: tuple[int, ...]  # in FLOWS' order

    @classmethod
    def of(cls, row: Mapping) -> StateSpan:
        return cls(
            row["series_id"],
            row["holder_id"],
            row["valid_from"],
            row["valid_until"],
            row["rights"],
            tuple(row[name] for name in FLOWS),
        )

    def figures(self) -> tuple[int, ...]:
        """In TOTAL_FIGURES' order. A line owing rights (fewer than none, reading R6) holds none."""
        held = max(self.rights, 0)
        if self.holder_id is None:
            return (0, 0, held, *self.flows)
        return (1 if held else 0, held, 0, *self.flows)


SPAN_FIELDS = ("series_id", "holder_id", "valid_from", "valid_until", "rights", *FLOWS)
Changes = dict[tuple[int, date], list[int]]


def series_changes(spans: Iterable[StateSpan], sign: int = 1, into: Changes | None = None) -> Changes:
    """Per (series, date), what the spans add on the day they start and take away on the day they end."""
    changes: Changes = into if into is not None else {}
    for span in spans:
        figures = span.figures()
        for on, factor in ((span.valid_from, sign), (span.valid_until, -sign)):
            if on is None:
                continue
            row = changes.setdefault((span.series_id, on), [0] * len(TOTAL_FIGURES))
            for i, n in enumerate(figures):
                row[i] += factor * n
    return changes


def presence_changes(
    spans: Iterable[StateSpan], company_of: Mapping[int, int]
) -> dict[tuple[int, date], int]:
    """Per (company, date), how many holders come onto (+) or leave (-) the issuer's register: a
    holder is on it while any of their lines in its series holds rights."""
    edges: dict[tuple[int, int], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for span in spans:
        if span.holder_id is None or span.rights <= 0:
            continue
        holder_edges = edges[(company_of[span.series_id], span.holder_id)]
        holder_edges[span.valid_from] += 1
        if span.valid_until is not None:
            holder_edges[span.valid_until] -= 1
    changes: dict[tuple[int, date], int] = defaultdict(int)
    for (company_id, _holder_id), holder_edges in edges.items():
        held = 0
        for on in sorted(holder_edges):
            before, held = held, held + holder_edges[on]
            if (before > 0) != (held > 0):
                changes[(company_id, on)] += 1 if held > 0 else -1
    return changes


def _upsert(model, key: tuple[str, str], figures: Sequence[str], rows: Sequence[tuple]) -> None:
    """Write each row, replacing the figures of the row of its key: one statement per batch, the same
    SQL on PostgreSQL and SQLite (``INSERT ... ON CONFLICT ... DO UPDATE``)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in (*key, *figures)]
    replaced = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in columns[len(key) :])
    keys = ", ".join(q(c) for c in columns[: len(key)])
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_BATCH):
            batch = rows[start : start + UPSERT_BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES {', '.join([one] * len(batch))}"
                f" ON CONFLICT ({keys}) DO UPDATE SET {replaced}",
                [value for row in batch for value in row],
            )


def run_up(
    changes: Mapping[date, Sequence[int]], rows: Mapping[date, Sequence[int]]
) -> dict[date, list[int]]:
    """The rows that ``changes`` alter, given the key's ``rows`` from the last one before its first
    change onwards: each change is added to the row of its date (a new one, starting from the row
    before it, if there is none) and to every later row."""
    width = len(next(iter(changes.values())))
    written: dict[date, list[int]] = {}
    before = [0] * width  # the row in force before the current date, as it was
    added = [0] * width  # the changes so far
    for on in sorted(rows.keys() | changes.keys()):
        was = rows.get(on)
        if was is not None:
            before = list(was)
        if on in changes:
            added = [a + c for a, c in zip(added, changes[on], strict=True)]
        now = [b + a for b, a in zip(before, added, strict=True)]
        if was is None or now != list(was):
            written[on] = now
    return written


def _apply(
    model, key: str, figures: Sequence[str], changes: Mapping[tuple[int, date], Sequence[int]]
) -> None:
    """Add ``changes`` (per key id and date) to the model's rows: one read of the rows they alter
    (from the last one before each key's first change), one upsert per batch."""
    by_key: dict[int, dict[date, Sequence[int]]] = defaultdict(dict)
    for (pk, on), row in changes.items():
        by_key[pk][on] = row
    if not by_key:
        return
    manager = model._default_manager
    column = f"{key}_id"
    altered = Q()
    for pk, dated in by_key.items():
        first = min(dated)
        last_before = manager.filter(**{column: pk, "on__lt": first}).order_by("-on").values("on")[:1]
        altered |= Q(**{column: pk}) & Q(
            on__gte=Coalesce(Subquery(last_before), Value(first, output_field=DateField()))
        )
    rows: dict[int, dict[date, Sequence[int]]] = defaultdict(dict)
    for row in manager.filter(altered).values_list(column, "on", *figures):
        rows[row[0]][row[1]] = row[2:]
    _upsert(
        model,
        (key, "on"),
        figures,
        [
            (pk, on, *figures_now)
            for pk, dated in by_key.items()
            for on, figures_now in run_up(dated, rows[pk]).items()
        ],
    )


def _apply_series(changes: Changes) -> None:
    """A new date gets its row even if it changes nothing, so that a series is in the totals from
    its first line's first day, as its lines are."""
    _apply(RegisterSeriesTotals, "series", TOTAL_FIGURES, changes)


def _apply_holders(changes: Mapping[tuple[int, date], int]) -> None:
    _apply(RegisterHolderCount, "company", ("holders",), {key: (n,) for key, n in changes.items() if n})


class TotalsUpdate:
    """Around one rewrite of some lines' states (those ``stale`` matches): ``before`` reads what the
    totals hold of them and of their holders' other lines at the same issuers, ``after`` adds the
    difference the new states make. Queries: two before; after, a read and an upsert for the series
    and, when holders' lines changed, for the issuers' holder counts."""

    def __init__(self, lines: set[tuple[int, int | None]], stale: Q) -> None:
        self.lines = lines
        self.stale = stale
        self.holder_ids = {holder_id for _s, holder_id in lines if holder_id is not None}
        self.company_of: dict[int, int] = {}
        self.old: list[StateSpan] = []
        self.others: list[StateSpan] = []  # the holders' lines at the same issuers that stay as they are

    def before(self) -> None:
        series_ids = {series_id for series_id, _h in self.lines}
        self.company_of = dict(Series.objects.filter(pk__in=series_ids).values_list("pk", "company_id"))
        their_lines = Q(
            holder_id__in=self.holder_ids, series__company_id__in=set(self.company_of.values()), rights__gt=0
        )
        rows = RegisterLineState.objects.filter(self.stale | their_lines if self.holder_ids else self.stale)
        for row in rows.values(*SPAN_FIELDS, "series__company_id"):
            span = StateSpan.of(row)
            if (span.series_id, span.holder_id) in self.lines:
                self.old.append(span)
            else:
                self.company_of[span.series_id] = row["series__company_id"]
                self.others.append(span)

    def after(self, new_rows: Iterable[RegisterLineState]) -> None:
        new = [
            StateSpan(
                r.series_id,
                r.holder_id,
                r.valid_from,
                r.valid_until,
                r.rights,
                tuple(getattr(r, name) for name in FLOWS),
            )
            for r in new_rows
        ]
        changes = series_changes(self.old, sign=-1)
        series_changes(new, into=changes)
        _apply_series(changes)
        if self.holder_ids:
            was = presence_changes([*self.others, *self.old], self.company_of)
            now = presence_changes([*self.others, *new], self.company_of)
            _apply_holders({key: now.get(key, 0) - was.get(key, 0) for key in was.keys() | now.keys()})


def register_totals_rebuild(
    *,
    states=RegisterLineState,
    series_model=Series,
    series_totals_model=RegisterSeriesTotals,
    holder_counts_model=RegisterHolderCount,
) -> int:
    """Rebuild the totals from the lines' states; the number of rows written. The models are
    parameters so that a migration can pass its historical ones."""
    series_totals_model._default_manager.all().delete()
    holder_counts_model._default_manager.all().delete()
    company_of = dict(series_model._default_manager.values_list("pk", "company_id"))
    by_series: Changes = {}
    by_holder_issuer: dict[tuple[int, date], int] = defaultdict(int)
    held: list[StateSpan] = []  # one holder's lines at a time
    holder: int | None = None
    rows = (
        states._default_manager.order_by("holder_id", "series_id", "valid_from")
        .values(*SPAN_FIELDS)
        .iterator(chunk_size=BATCH)
    )
    for row in rows:
        span = StateSpan.of(row)
        series_changes([span], into=by_series)
        if span.holder_id is None:
            continue
        if span.holder_id != holder:
            for k, n in presence_changes(held, company_of).items():
                by_holder_issuer[k] += n
            held, holder = [], span.holder_id
        held.append(span)
    for k, n in presence_changes(held, company_of).items():
        by_holder_issuer[k] += n
    series_rows = [
        series_totals_model(series_id=s, on=on, **dict(zip(TOTAL_FIGURES, row, strict=True)))
        for (s, on), row in _run_up_all(by_series)
    ]
    holder_rows = [
        holder_counts_model(company_id=c, on=on, holders=row[0])
        for (c, on), row in _run_up_all({k: [n] for k, n in by_holder_issuer.items() if n})
    ]
    series_totals_model._default_manager.bulk_create(series_rows, batch_size=BATCH)
    holder_counts_model._default_manager.bulk_create(holder_rows, batch_size=BATCH)
    return len(series_rows) + len(holder_rows)


def _run_up_all(
    changes: Mapping[tuple[int, date], Sequence[int]],
) -> Iterable[tuple[tuple[int, date], list[int]]]:
    """Every key's rows from its changes alone (no rows yet)."""
    by_key: dict[int, dict[date, Sequence[int]]] = defaultdict(dict)
    for (key_id, on), row in changes.items():
        by_key[key_id][on] = row
    for key_id, dated in by_key.items():
        for on, row in run_up(dated, {}).items():
            yield (key_id, on), row
