"""The register of stock acquisition rights (Art 249) as of any date, computed from the ledger."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from grants.models import LedgerEvent, Series
from holders.models import Holder, HolderAddress

# Events by which a holder acquires rights: their effective date is the register's acquisition date.
ACQUISITION_EVENT_TYPES = frozenset(
    {LedgerEvent.Type.ALLOTTED, LedgerEvent.Type.SUCCESSION, LedgerEvent.Type.TRANSFER_REGISTERED}
)


@dataclass(frozen=True)
class RegisterRow:
    """One holding as the register (Art 249) shows it on a date."""

    series: Series
    holder: Holder
    rights: int
    acquired_on: date
    shares_per_right: int
    address: str
    exercise_price_per_share_yen: Decimal
    exercise_period_start: date
    exercise_period_end: date
    share_class: str
    certificate_numbers: str = ""  # clause (16): no certificates are issued

    @property
    def shares(self) -> int:
        return self.rights * self.shares_per_right


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


def register_as_of(*, as_of: date, series: Series | None = None) -> list[RegisterRow]:
    """The register of stock acquisition rights as of a date, computed from the ledger alone.

    One pass over the events effective on or before ``as_of`` that change rights, summed per
    (series, holder); holdings that sum to zero are not on the register.

    Acquisition date (Art 249 item 3): each acquisition (allotment, succession, registered
    transfer) opens a lot dated by its effective date; rights leaving the holding (exercise, lapse,
    transfer out, acquisition by the company...) are taken from the earliest lot first; the row's
    date is that of the earliest lot still held. Any other increase (a reversal, successor rights on
    a restructuring) joins the earliest lot still held, or opens one on its own date if none is.

    Queries: five, whatever the number of holders: the events as plain values, the series (with
    their company) and their share adjustments, the holders, and the holders' addresses; each
    object is built once.
    """
    relevant = LedgerEvent.objects.filter(
        effective_date__lte=as_of, holder__isnull=False, series__isnull=False
    ).exclude(rights_delta=0)
    if series is not None:
        relevant = relevant.filter(series=series)
    events = relevant.order_by("effective_date", "pk").values_list(
        "series_id", "holder_id", "rights_delta", "event_type", "effective_date"
    )
    # (series_pk, holder_pk) -> lots as [date, rights], oldest first
    holdings: dict[tuple[int, int], list[list]] = {}
    for series_id, holder_id, delta, event_type, effective_date in events:
        lots = holdings.setdefault((series_id, holder_id), [])
        if delta > 0:
            if event_type in ACQUISITION_EVENT_TYPES or not lots:
                lots.append([effective_date, delta])
            else:
                lots[0][1] += delta
            continue
        remaining = -delta
        while remaining and lots:
            taken = min(remaining, lots[0][1])
            lots[0][1] -= taken
            remaining -= taken
            if lots[0][1] == 0:
                lots.pop(0)
    held = {key: lots for key, lots in holdings.items() if sum(lot[1] for lot in lots) > 0}
    # Subqueries rather than IN lists, so the query count stays fixed however many holders there are.
    holder_ids = relevant.values("holder_id")
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
    shares_by_series = {pk: register_shares_per_right(s, as_of) for pk, s in series_by_id.items()}
    rows = []
    for (series_id, holder_id), lots in held.items():
        series_obj, holder = series_by_id[series_id], holders_by_id[holder_id]
        rows.append(
            RegisterRow(
                series=series_obj,
                holder=holder,
                rights=sum(lot[1] for lot in lots),
                acquired_on=lots[0][0],
                shares_per_right=shares_by_series[series_id],
                address=address_on_date.get(holder_id, ""),
                exercise_price_per_share_yen=series_obj.exercise_price_per_share_yen,
                exercise_period_start=series_obj.exercise_period_start,
                exercise_period_end=series_obj.exercise_period_end,
                share_class=series_obj.share_class,
            )
        )
    rows.sort(key=lambda r: (r.series.company.name, r.series.number, r.holder.name, r.holder.pk))
    return rows
