"""The register of stock acquisition rights (Art 249) as of any date, computed from the ledger."""

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from equityplan.bulk import collection_paused, plain_rows
from grants.domain.register import FLOWS, TOTAL_FIGURES
from grants.models import RegisterLineState, RegisterSeriesTotals, Series
from holders.models import Holder, HolderAddress


@dataclass(slots=True)
class RegisterRow:
    """One entry of the register (Art 249) on a date: a holder's rights, or the company's own.

    Not frozen: the whole register builds one per line (176,000 at 50,000 holders), and a frozen
    dataclass's ``__init__`` costs three times as much. Nothing changes a row once built.

    The company's own rights (自己新株予約権), acquired without contribution under notice (8), are
    an entry of their own with the company as holder: ``holder`` is None and the name and address are
    the issuer's name and head-office address (docs/domain.md §2.7, reading R7).
    """

    series: Series
    holder: Holder | None  # None: the company's own rights
    rights: int
    acquired_on: date
    shares_per_right: int  # on the register's date
    address: str
    # The lots the rights are made of: (origin, acquired on, rights), each with its own conditions (11).
    lots: tuple[tuple[str, date, int], ...] = ()

    # An entry's terms are its series' (the content of the rights, Art 249 item 3).
    @property
    def exercise_price_per_share_yen(self) -> Decimal:
        return self.series.exercise_price_per_share_yen

    @property
    def exercise_period_start(self) -> date:
        return self.series.exercise_period_start

    @property
    def exercise_period_end(self) -> date:
        return self.series.exercise_period_end

    @property
    def share_class(self) -> str:
        return self.series.share_class

    @property
    def certificate_numbers(self) -> str:
        return ""  # clause (16): no certificates are issued

    @property
    def lot_detail(self) -> tuple[tuple[str, date, int], ...]:
        """The lots worth showing: a holder's, where they differ in origin or date (11)."""
        if self.holder is None or (len(self.lots) <= 1 and all(o == "allotted" for o, _d, _n in self.lots)):
            return ()
        return self.lots

    @property
    def shares(self) -> int:
        return self.rights * self.shares_per_right

    @property
    def company_held(self) -> bool:
        """The company's own rights: they cannot be exercised (Art 280(6)) and may be cancelled (Art 276)."""
        return self.holder is None

    @property
    def holder_name(self) -> str:
        return self.holder.name if self.holder is not None else self.series.company.name


@dataclass(frozen=True)
class RegisterSeriesTotal:
    """A series' rights as of a date, summed from the same ledger events as its register entries.

    allotted = held by holders + held by the company + exercised + lapsed + cancelled + passed to a
    successor series (restructured); ``balanced`` says whether the figures meet (docs/domain.md R7).
    Rights delivered to a successor series under notice (9) count as allotted in that series.
    """

    series: Series
    shares_per_right: int
    holders: int  # holders with rights on the register
    held_by_holders: int
    held_by_company: int
    allotted: int
    exercised: int
    lapsed: int
    cancelled: int
    restructured: int

    @property
    def rights(self) -> int:
        """The rights on the register: the holders' and the company's own."""
        return self.held_by_holders + self.held_by_company

    @property
    def shares(self) -> int:
        return self.rights * self.shares_per_right

    @property
    def accounted(self) -> int:
        return self.rights + self.exercised + self.lapsed + self.cancelled + self.restructured

    @property
    def balanced(self) -> bool:
        return self.accounted == self.allotted


@dataclass(frozen=True)
class Register:
    """The register as of a date: its entries and, per series, the total that balances."""

    as_of: date
    rows: list[RegisterRow]
    totals: list[RegisterSeriesTotal]

    @property
    def total_rights(self) -> int:
        return sum(r.rights for r in self.rows)

    @property
    def total_shares(self) -> int:
        return sum(r.shares for r in self.rows)

    @property
    def holders(self) -> list[Holder]:
        """The holders with an entry, each once, in the register's order (the company is not one)."""
        seen: dict[int, Holder] = {}
        for row in self.rows:
            if row.holder is not None:
                seen.setdefault(row.holder.pk, row.holder)
        return list(seen.values())

    @property
    def balanced(self) -> bool:
        return all(t.balanced for t in self.totals)


def register_shares_per_right(series: Series, on: date, known_on: date | None = None) -> int:
    """Shares per right on a date; before the first history entry, the number at issue.

    ``known_on``: as known that day, without the adjustments not yet known then (a conditional
    split before its meeting closed, docs/domain.md §2.2); ``None``: everything recorded.
    """
    history = sorted(series.share_adjustments.all(), key=lambda a: a.applies_from)
    if not history:
        return 0
    if on < history[0].applies_from:
        return history[0].shares_per_right
    return series.shares_per_right_on(on, known_on=known_on)


def register_as_of(
    *,
    as_of: date,
    series: Series | None = None,
    known_on: date | None = None,
    companies: Collection[int] | None = None,
    holder: Holder | None = None,
) -> list[RegisterRow]:
    """The entries of the register as of a date: the holders' and the company's own rights;
    with ``holder``, that holder's entries alone (an extract, Art 250)."""
    return register_with_totals_as_of(
        as_of=as_of, series=series, known_on=known_on, companies=companies, holder=holder
    ).rows


@dataclass(frozen=True)
class LineFigures:
    """What one register line holds on a date, and the flows it has seen up to it."""

    rights: int
    acquired_on: date | None
    lots: tuple[tuple[str, date, int], ...]
    flows: dict[str, int]


def states_on(as_of: date) -> QuerySet[RegisterLineState]:
    """The register lines' states in force on a date (docs/adr/0008-register-projection.md)."""
    return RegisterLineState.objects.filter(valid_from__lte=as_of).filter(
        Q(valid_until__gt=as_of) | Q(valid_until__isnull=True)
    )


def scoped(
    states: QuerySet,
    *,
    series: Series | None = None,
    companies: Collection[int] | None = None,
    holder: Holder | None = None,
) -> QuerySet:
    """States of the series in scope."""
    if series is not None:
        states = states.filter(series=series)
    if companies is not None:  # the reader's companies only (docs/domain.md reading R47)
        states = states.filter(series__company_id__in=companies)
    if holder is not None:  # one holder's lines; the series totals are then theirs alone
        states = states.filter(holder=holder)
    return states


def register_with_totals_as_of(
    *,
    as_of: date,
    series: Series | None = None,
    known_on: date | None = None,
    companies: Collection[int] | None = None,
    holder: Holder | None = None,
) -> Register:
    """The register of stock acquisition rights as of a date, read from the ledger's projection.

    ``known_on``: read the shares per right as they were known on that day (a conditional split is
    known only from the day after its meeting closed, notice (3)); None: as known today.

    Each line's state on the date (``grants.domain.register``: lots, acquisition date, flows) is
    kept by the ledger in ``RegisterLineState``; lines that hold nothing are not on the register,
    but their flows count in their series' total (allotted = held + exercised + lapsed + cancelled
    + passed to a successor series). ``register_replayed`` computes the same from the events.

    Queries: five, whatever the number of holders: the series in scope with their company, share
    adjustments and totals row in force (``register_totals``), the entries with their holders'
    names, and the holders' addresses on the date (``whole_register``).
    """
    scope = RegisterScope(as_of=as_of, known_on=known_on, series=series, companies=companies, holder=holder)
    totals = register_totals(scope)
    return Register(as_of=as_of, rows=whole_register(scope, totals=totals), totals=totals)


# The page's sorts within a series: the database's order for each, then the register's own (by name).
ORDER_OF_SORT: dict[str, tuple[str, ...]] = {
    "": (),
    "holder": ("holder__name", "holder__name_kana"),
    "-holder": ("-holder__name", "-holder__name_kana"),
    "rights": ("rights",),
    "-rights": ("-rights",),
    "shares": ("rights",),  # one number of shares per right in a series: the same order
    "-shares": ("-rights",),
    "acquired": ("acquired_on",),
    "-acquired": ("-acquired_on",),
}


@dataclass(frozen=True)
class RegisterScope:
    as_of: date
    known_on: date | None = None
    series: Series | None = None
    companies: Collection[int] | None = None
    holder: Holder | None = None

    def states(self) -> QuerySet[RegisterLineState]:
        return scoped(states_on(self.as_of), series=self.series, companies=self.companies, holder=self.holder)

    def entries(self, query: str = "") -> QuerySet[RegisterLineState]:
        """The lines holding rights on the date, those whose holder (or, for the company's own
        rights, the issuer) matches ``query``."""
        entries = self.states().filter(rights__gt=0)
        if query:
            entries = entries.filter(
                Q(holder__name__icontains=query)
                | Q(holder__name_kana__icontains=query)
                | Q(holder__isnull=True, series__company__name__icontains=query)
                | Q(holder__isnull=True, series__company__name_ja__icontains=query)
            )
        return entries


def in_force_on(model, key: str, on: date, field: str = "pk") -> Subquery:
    """``field`` of the ``model`` row in force on ``on`` for the outer row (the last of its ``key``
    on or before the date): one probe of the (key, on) index (docs/adr/0008-register-projection.md)."""
    latest = model.objects.filter(**{key: OuterRef("pk"), "on__lte": on}).order_by("-on")
    return Subquery(latest.values(field)[:1])


def register_totals(scope: RegisterScope) -> list[RegisterSeriesTotal]:
    """Each series' total on the date: its totals row in force on the date, then read by its key (a
    join on the probe would be planned as a scan of every row), or for one holder an aggregate over
    their lines' states. Queries: three (with the series and their share adjustments)."""
    if scope.holder is None:
        in_scope = Series.objects.annotate(in_force=in_force_on(RegisterSeriesTotals, "series", scope.as_of))
        in_scope = in_scope.filter(in_force__isnull=False)
        if scope.series is not None:
            in_scope = in_scope.filter(pk=scope.series.pk)
        if scope.companies is not None:  # the reader's companies only (docs/domain.md reading R47)
            in_scope = in_scope.filter(company_id__in=scope.companies)
        series_list = list(in_scope.select_related("company").prefetch_related("share_adjustments"))
        series_by_id: dict[int, Series] = {s.pk: s for s in series_list}
        figures = RegisterSeriesTotals.objects.filter(pk__in=[s.in_force for s in series_list]).values(
            "series_id", *TOTAL_FIGURES
        )
        by_id = {row.pop("series_id"): row for row in figures}
    else:
        holder_line = Q(rights__gt=0, holder__isnull=False)
        company_line = Q(rights__gt=0, holder__isnull=True)
        figures = (
            scope.states()
            .values("series_id")
            .order_by("series_id")
            .annotate(
                holders=Count("pk", filter=holder_line),
                held_by_holders=Coalesce(Sum("rights", filter=holder_line), 0),
                held_by_company=Coalesce(Sum("rights", filter=company_line), 0),
                **{name: Coalesce(Sum(name), 0) for name in FLOWS},
            )
        )
        by_id = {row.pop("series_id"): row for row in figures}
        series_by_id = _series(by_id)
    totals = [
        RegisterSeriesTotal(
            series=series_by_id[pk],
            shares_per_right=register_shares_per_right(series_by_id[pk], scope.as_of, scope.known_on),
            **row,
        )
        for pk, row in by_id.items()
    ]
    totals.sort(key=lambda t: (t.series.company.name, t.series.number, t.series.pk))
    return totals


def _series(ids) -> dict[int, Series]:
    return {
        s.pk: s
        for s in Series.objects.filter(pk__in=list(ids))
        .select_related("company")
        .prefetch_related("share_adjustments")
    }


def _in_register_order(states: QuerySet[RegisterLineState], sort: str = "") -> QuerySet[RegisterLineState]:
    """By series as the sections are, the holders sorted by ``sort`` then by name, then the
    company's own rights."""
    return states.annotate(
        company_line=Case(
            When(holder__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by(
        "series__company_id",
        "series__number",
        "series_id",
        "company_line",
        *ORDER_OF_SORT[sort],
        "holder__name",
        "holder_id",
    )


def _row_of(state: RegisterLineState, total: RegisterSeriesTotal, address: str) -> RegisterRow:
    holder: Holder | None = state.holder
    line = LineFigures(
        rights=state.rights,
        acquired_on=state.acquired_on,
        lots=tuple((origin, date.fromisoformat(on), n) for origin, on, n in state.lots),
        flows={},
    )
    return register_row(
        total.series,
        holder,
        line,
        shares_per_right=total.shares_per_right,
        address=total.series.company.address if holder is None else address,
    )


def _address_on(as_of: date, holder: str) -> Subquery:
    """The address in force on ``as_of`` of the holder ``OuterRef(holder)``: one per holder and day,
    so the first entry of the (holder, day) index read backwards."""
    latest = HolderAddress.objects.filter(holder_id=OuterRef(holder), valid_from__lte=as_of).order_by(
        "-valid_from"
    )
    return Subquery(latest.values("address")[:1])


def register_entries(scope: RegisterScope, *, totals: list[RegisterSeriesTotal]) -> Iterator[RegisterRow]:
    """Every entry in the register's order, each with its holder's address on the date, one at a time
    from a server-side cursor (PostgreSQL), each with a holder object that has their name only and
    no lots (the files show neither), so memory stays flat however many there are."""
    series_by_id = {t.series.pk: t for t in totals}
    states = _in_register_order(scope.entries()).annotate(address_on=_address_on(scope.as_of, "holder_id"))
    read = states.values_list("series_id", "holder_id", "rights", "acquired_on", "address_on", "holder__name")
    for series_id, holder_id, rights, acquired_on, address_on, name in read.iterator(chunk_size=2000):
        total = series_by_id[series_id]
        holder = Holder.named(holder_id, name) if holder_id is not None else None
        yield register_row(
            total.series,
            holder,
            LineFigures(rights, acquired_on, (), {}),
            shares_per_right=total.shares_per_right,
            address=total.series.company.address if holder is None else address_on or "",
        )


def whole_register(scope: RegisterScope, *, totals: list[RegisterSeriesTotal]) -> list[RegisterRow]:
    """Every entry with its lots, in the register's order (the replay's), in two reads: the lines
    with their holders' names, and the holders' addresses on the date. Each holder object has their
    name (another field is read when asked for), as in the files. The lines are read by a plain
    cursor, sorted in Python (cheaper here than the database's sort of the wide rows, and names
    compare by code point, as the replay's, whatever the database's collation), and each distinct
    lots text is decoded once: per row, Django's row machinery and ``json.loads`` cost more than the
    query (docs/adr/0008-register-projection.md)."""
    lines = (
        scope.entries()
        .order_by()
        .values_list("series_id", "holder_id", "rights", "acquired_on", "lots", "holder__name")
    )
    read = plain_rows(lines)
    # The register's order: in each series its holders by name (then id), then the company's own
    # line; the series in the totals' order. The holders are sorted once, by name, and the lines by
    # their holder's place: whole numbers compare faster than the same names again in every series.
    names = {line[1]: line[5] for line in read if line[1] is not None}
    place = {holder_id: i for i, (holder_id, _name) in enumerate(sorted(names.items(), key=itemgetter(1, 0)))}
    sections: dict[int, list[tuple]] = {t.series.pk: [] for t in totals}
    for line in sorted((line for line in read if line[1] is not None), key=lambda line: place[line[1]]):
        sections[line[0]].append(line)
    for line in read:
        if line[1] is None:
            sections[line[0]].append(line)
    # The whole register names most holders: every address on the date costs less than picking
    # theirs out (which reads the lines' states a second time); a series or a holder picks.
    whole = scope.series is None and scope.holder is None
    address_by_id = addresses_on(scope.as_of, None if whole else scope.entries().values("holder_id"))
    holder_by_id: dict[int, tuple[Holder, str]] = {}  # built once, with the address
    decoded: dict[str, tuple[tuple[str, date, int], ...]] = {}  # many lines have the same lots
    dates_as_text = bool(read) and isinstance(read[0][3], str)  # a plain cursor on SQLite
    rows = []
    with collection_paused():
        for total in totals:
            series, shares_per_right = total.series, total.shares_per_right
            for _series_id, holder_id, rights, acquired_on, stored, name in sections[series.pk]:
                text = stored if isinstance(stored, str) else json.dumps(stored)
                lots = decoded.get(text)
                if lots is None:
                    lots = decoded[text] = tuple(
                        (o, date.fromisoformat(on), n) for o, on, n in json.loads(text)
                    )
                if holder_id is None:
                    holder, address = None, series.company.address
                else:
                    known = holder_by_id.get(holder_id)
                    if known is None:
                        known = holder_by_id[holder_id] = (
                            Holder.named(holder_id, name),
                            address_by_id.get(holder_id, ""),
                        )
                    holder, address = known
                if dates_as_text:
                    acquired_on = date.fromisoformat(acquired_on)
                # By position, in the fields' order: keywords cost a third more, per row.
                rows.append(RegisterRow(series, holder, rights, acquired_on, shares_per_right, address, lots))
    return rows


def addresses_on(as_of: date, holder_ids) -> dict[int, str]:
    """Each holder's address on a date (of every holder where ``holder_ids`` is None): the latest
    one from on or before it (one per holder and day). Read by a plain cursor, in (holder, day)
    order: the dict keeps each holder's last."""
    addresses = HolderAddress.objects.filter(valid_from__lte=as_of)
    if holder_ids is not None:
        addresses = addresses.filter(holder_id__in=holder_ids)
    return dict(plain_rows(addresses.order_by("holder_id", "valid_from").values_list("holder_id", "address")))


def register_row(
    series: Series, holder: Holder | None, line: LineFigures, *, shares_per_right: int, address: str
) -> RegisterRow:
    assert line.acquired_on is not None  # a line holding rights holds a lot
    return RegisterRow(
        series=series,
        holder=holder,
        rights=line.rights,
        acquired_on=line.acquired_on,
        shares_per_right=shares_per_right,
        address=address,
        lots=line.lots,
    )
