"""The register of stock acquisition rights (Art 249) as of any date, computed from the ledger."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from grants.models import LedgerEvent, Series
from holders.models import Holder, HolderAddress

Type = LedgerEvent.Type

# Events by which a holder acquires rights: their effective date is the register's acquisition date.
ACQUISITION_EVENT_TYPES = frozenset({Type.ALLOTTED, Type.SUCCESSION, Type.TRANSFER_REGISTERED})
# A series' total besides the rights on the register, and the events by which rights leave holders
# for good (rights acquired by the company stay on the register, on the company's own line).
FLOWS = ("allotted", "exercised", "lapsed", "cancelled", "restructured")
OUTFLOW_EVENT_TYPES: dict[str, str] = {
    Type.EXERCISED: "exercised",
    Type.LAPSED: "lapsed",
    Type.RESTRUCTURED: "restructured",
}


# How each acquisition event opens a lot on a register line: its origin, as grants.models.Lot says.
LOT_ORIGIN_OF: dict[str, str] = {
    Type.ALLOTTED: "allotted",
    Type.SUCCESSION: "succeeded",
    Type.TRANSFER_REGISTERED: "transferred",
}


@dataclass(frozen=True)
class RegisterRow:
    """One entry of the register (Art 249) on a date: a holder's rights, or the company's own.

    The company's own rights (自己新株予約権), acquired without contribution under notice (8), are
    an entry of their own with the company as holder: ``holder`` is None and the name and address are
    the issuer's name and head-office address (docs/domain.md §2.7, reading R7).
    """

    series: Series
    holder: Holder | None  # None: the company's own rights
    rights: int
    acquired_on: date
    shares_per_right: int
    address: str
    exercise_price_per_share_yen: Decimal
    exercise_period_start: date
    exercise_period_end: date
    share_class: str
    certificate_numbers: str = ""  # clause (16): no certificates are issued
    # The lots the rights are made of: (origin, acquired on, rights), each with its own conditions (11).
    lots: tuple[tuple[str, date, int], ...] = ()

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


class _Line:
    """One register line (a holder's, or the company's own rights) as lots of [date, rights].

    Rights leaving are taken from the earliest lot first; rights leaving a line that holds none (an
    event dated before the one that brought them) are owed, and the next increase settles them first,
    so the line's rights are always the sum of its events (docs/domain.md reading R6).
    """

    __slots__ = ("lots", "owed")

    def __init__(self) -> None:
        self.lots: list[list] = []  # [acquired on, rights, origin]
        self.owed = 0

    def add(self, rights: int, on: date, *, opens_lot: bool, origin: str = "allotted") -> None:
        settled = min(self.owed, rights)
        self.owed -= settled
        rights -= settled
        if not rights:
            return
        if opens_lot or not self.lots:
            self.lots.append([on, rights, origin])
        else:
            self.lots[0][1] += rights

    def remove(self, rights: int, lot: tuple[str, date] | None = None) -> None:
        """Take rights off the lot the event names (an exercise or a lapse of one lot), else the
        earliest lots first, as the services do."""
        if lot is not None:
            for each in self.lots:
                if (each[2], each[0]) == lot and each[1]:
                    taken = min(rights, each[1])
                    each[1] -= taken
                    rights -= taken
                    break
            self.lots = [each for each in self.lots if each[1]]
        while rights and self.lots:
            taken = min(rights, self.lots[0][1])
            self.lots[0][1] -= taken
            rights -= taken
            if self.lots[0][1] == 0:
                self.lots.pop(0)
        self.owed += rights

    @property
    def rights(self) -> int:
        return sum(lot[1] for lot in self.lots) - self.owed


def register_with_totals_as_of(
    *,
    as_of: date,
    series: Series | None = None,
    known_on: date | None = None,
    companies: Collection[int] | None = None,
    holder: Holder | None = None,
) -> Register:
    """The register of stock acquisition rights as of a date, computed from the ledger alone.

    ``known_on``: read the shares per right as they were known on that day (a conditional split is
    known only from the day after its meeting closed, notice (3)); None: as known today.

    One pass over the events effective on or before ``as_of`` that change rights, summed per series
    and holder; lines that sum to nothing are not on the register.

    Acquisition date (Art 249 item 3): each acquisition (allotment, succession, registered
    transfer) opens a lot dated by its effective date; rights leaving the holding (exercise, lapse,
    transfer out, acquisition by the company...) are taken from the earliest lot first; the row's
    date is that of the earliest lot still held. Any other increase (a reversal, successor rights on
    a restructuring) joins the earliest lot still held, or opens one on its own date if none is.

    The company's own rights (notice (8), Art 276): each `acquired_by_company` event moves the
    holder's rights to the company's line of the series, opening a lot dated by the acquisition; each
    `cancelled` event takes the rights it names (its payload) from that line, earliest lot first.
    The company's entry shows the issuer's name and head-office address.

    Each series with such events on or before the date has a total: the rights on the register and
    where the others went (exercised, lapsed, cancelled, passed to a successor series).

    Queries: five, whatever the number of holders: the events as plain values, the series (with
    their company) and their share adjustments, the holders, and the holders' addresses; each
    object is built once. The company's entries come from the same events and series.
    """
    relevant = LedgerEvent.objects.filter(effective_date__lte=as_of, series__isnull=False).filter(
        (Q(holder__isnull=False) & ~Q(rights_delta=0)) | Q(event_type=Type.CANCELLED)
    )
    if series is not None:
        relevant = relevant.filter(series=series)
    if companies is not None:  # the reader's companies only (docs/domain.md reading R47)
        relevant = relevant.filter(series__company_id__in=companies)
    if holder is not None:  # one holder's lines; the series totals are then theirs alone
        relevant = relevant.filter(holder=holder)
    events = (
        relevant.annotate(
            cancelled_rights=Case(
                When(event_type=Type.CANCELLED, then=Cast(KT("payload__rights"), IntegerField())),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("effective_date", "pk")
        .values_list(
            "series_id",
            "holder_id",
            "rights_delta",
            "event_type",
            "effective_date",
            "cancelled_rights",
            "payload__lot_origin",
            "payload__lot_acquired_on",
        )
    )
    # (series_pk, holder_pk or None for the company's own rights) -> the line
    lines: dict[tuple[int, int | None], _Line] = {}
    # series_pk -> figure -> rights
    flows: dict[int, dict[str, int]] = {}
    for series_id, holder_id, delta, event_type, effective_date, cancelled, lot_origin, lot_on in events:
        flow = flows.setdefault(series_id, dict.fromkeys(FLOWS, 0))
        if event_type == Type.CANCELLED:
            lines.setdefault((series_id, None), _Line()).remove(cancelled or 0)
            flow["cancelled"] += cancelled or 0
            continue
        line = lines.setdefault((series_id, holder_id), _Line())
        if delta > 0:
            line.add(
                delta,
                effective_date,
                opens_lot=event_type in ACQUISITION_EVENT_TYPES,
                origin=LOT_ORIGIN_OF.get(event_type, "allotted"),
            )
        else:
            line.remove(-delta, (lot_origin, date.fromisoformat(lot_on)) if lot_origin and lot_on else None)
        if event_type == Type.ACQUIRED_BY_COMPANY:
            lines.setdefault((series_id, None), _Line()).add(-delta, effective_date, opens_lot=True)
        if event_type == Type.ALLOTTED or (event_type == Type.RESTRUCTURED and delta > 0):
            flow["allotted"] += delta
        elif event_type in OUTFLOW_EVENT_TYPES:
            flow[OUTFLOW_EVENT_TYPES[event_type]] -= delta
    held = {key: line for key, line in lines.items() if line.rights > 0}
    # Subqueries rather than IN lists, so the query count stays fixed however many holders there are.
    holder_ids = relevant.filter(holder__isnull=False).values("holder_id")
    series_by_id = {
        s.pk: s
        for s in Series.objects.filter(pk__in=relevant.values("series_id"))
        .select_related("company")
        .prefetch_related("share_adjustments")
    }
    holders_by_id = {h.pk: h for h in Holder.objects.filter(pk__in=holder_ids)}
    address_on_date: dict[int, str] = {}
    for holder_id, address in (
        HolderAddress.objects.filter(holder_id__in=holder_ids, valid_from__lte=as_of)
        .order_by("holder_id", "valid_from")
        .values_list("holder_id", "address")
    ):
        address_on_date[holder_id] = address  # the latest one from on or before the date wins
    shares_by_series = {pk: register_shares_per_right(s, as_of, known_on) for pk, s in series_by_id.items()}
    rows = []
    for (series_id, line_holder_id), line in held.items():
        series_obj = series_by_id[series_id]
        holder = holders_by_id[line_holder_id] if line_holder_id is not None else None
        rows.append(
            RegisterRow(
                series=series_obj,
                holder=holder,
                rights=line.rights,
                acquired_on=line.lots[0][0],
                shares_per_right=shares_by_series[series_id],
                address=series_obj.company.address if holder is None else address_on_date.get(holder.pk, ""),
                exercise_price_per_share_yen=series_obj.exercise_price_per_share_yen,
                exercise_period_start=series_obj.exercise_period_start,
                exercise_period_end=series_obj.exercise_period_end,
                share_class=series_obj.share_class,
                lots=tuple((origin, on, rights) for on, rights, origin in line.lots if rights > 0),
            )
        )
    rows.sort(key=_row_order)
    holder_count: dict[int, int] = dict.fromkeys(flows, 0)
    by_holders: dict[int, int] = dict.fromkeys(flows, 0)
    by_company: dict[int, int] = dict.fromkeys(flows, 0)
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
            allotted=flow["allotted"],
            exercised=flow["exercised"],
            lapsed=flow["lapsed"],
            cancelled=flow["cancelled"],
            restructured=flow["restructured"],
        )
        for series_id, flow in flows.items()
    ]
    totals.sort(key=lambda t: (t.series.company.name, t.series.number, t.series.pk))
    return Register(as_of=as_of, rows=rows, totals=totals)


def _row_order(row: RegisterRow) -> tuple:
    """By company and series; in a series the holders by name, then the company's own rights."""
    series = row.series
    if row.holder is None:
        return (series.company.name, series.number, series.pk, True, "", 0)
    return (series.company.name, series.number, series.pk, False, row.holder.name, row.holder.pk)
