"""When may a holder exercise rights of a series: the windows of notice (11)2 and (11)3 on real records.

Reads only; the pure date arithmetic is in grants.domain.windows. Used by the exercise and lapse
services and by the pages that show open windows and deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from grants.domain import windows as rules
from grants.models import InheritanceCase, Lot, Series
from holders.models import Holder, Position


@dataclass(frozen=True)
class ExerciseWindow:
    """The days on which a holder may exercise rights of a series, or why there are none.

    ``kind``: "departure" (11)2, "heir" (11)3, "period" (no position condition applies), "in_office",
    "deceased" or "none". ``first``/``last`` are inclusive and already inside the exercise period (5).
    """

    kind: str
    first: date | None = None
    last: date | None = None
    reason: str = ""

    def contains(self, on: date) -> bool:
        return self.first is not None and self.last is not None and self.first <= on <= self.last


def _within_period(series: Series, kind: str, window: tuple[date, date] | None) -> ExerciseWindow:
    if window is None:
        return ExerciseWindow(kind="none", reason=str(_("The window holds no day.")))
    first = max(window[0], series.exercise_period_start)
    last = min(window[1], series.exercise_period_end)
    if first > last:
        return ExerciseWindow(kind="none", reason=str(_("The window lies outside the exercise period.")))
    return ExerciseWindow(kind=kind, first=first, last=last)


def succession_of(holder: Holder) -> InheritanceCase | None:
    """The approved case by which this holder succeeded a deceased holder, if any."""
    return (
        InheritanceCase.objects.filter(heir=holder, status=InheritanceCase.Status.APPROVED)
        .order_by("-succeeded_on")
        .first()
    )


def exercise_window(
    *, holder: Holder, series: Series, succession: InheritanceCase | None | Literal[False] = False
) -> ExerciseWindow:
    """The holder's window for the series, from positions, death and succession.

    * A deceased holder never exercises: the heir does, (11)3; but a holder whose departure window ran
      out before the death had no rights left to pass (Art 287): the window is returned as it was.
    * An heir who succeeded: 6 months (per series) from the day after succession, capped at the end
      of the exercise period, (11)3 and Civil Code Art 143.
    * Office is held at the series' issuer; the whole history since the allotment counts
      (:func:`departure_at_issuer`): in office there, no exercise (11)2; out of office, the window of
      the first loss not undone in time, even if the holder was re-appointed after it ran out.
    * A holder who held no office at the issuer since the allotment (a transferee): the exercise
      period itself.

    ``succession``: pass the holder's approved case (or None) when already fetched, to save a query.
    """
    case = succession_of(holder) if succession is False else succession
    if holder.died_on is not None:
        outcome = departure_at_issuer(holder=holder, series=series)
        if (
            case is None
            and outcome.state == "departed"
            and (outcome.window is None or outcome.window[1] < holder.died_on)
        ):
            # The window ran out before the death: the rights were extinguished then (Art 287).
            return _within_period(series, "departure", outcome.window)
        return ExerciseWindow(
            kind="deceased", reason=str(_("The holder has died; only the heir may exercise."))
        )
    if case is not None:
        assert (
            case.succeeded_on is not None
        )  # an approved case always has it (inheritance_approved_has_heir_and_date)
        window = rules.heir_window(
            case.succeeded_on,
            months=series.heir_window_months,
            period_end=series.exercise_period_end,
            shift=series.heir_window_shift,
        )
        return _within_period(series, "heir", window)
    outcome = departure_at_issuer(holder=holder, series=series)
    if outcome.state == "in_office":
        return ExerciseWindow(
            kind="in_office",
            reason=str(
                _(
                    "The holder still holds office at the issuer; rights are exercisable only after losing it, (11)2."
                )
            ),
        )
    if outcome.state == "never":
        return _within_period(series, "period", (series.exercise_period_start, series.exercise_period_end))
    if outcome.state == "died_in_office":
        return ExerciseWindow(
            kind="deceased", reason=str(_("The holder has died; only the heir may exercise."))
        )
    return _within_period(series, "departure", outcome.window)


def departure_at_issuer(*, holder: Holder, series: Series) -> rules.DepartureOutcome:
    """(11)2 on the holder's whole history of office at the series' issuer since the allotment date.

    Uses the holder's prefetched positions; a seat at another company is no office here.
    """
    spans = rules.office_spans(
        (p.started_on, p.ended_on, p.end_reason == Position.EndReason.DEATH)
        for p in holder.positions.all()
        if p.company_id == series.company_id
    )
    return rules.departure_outcome(
        spans,
        since=series.allotment_date,
        days=series.departure_window_days,
        shift=series.departure_window_shift,
    )


def lot_window(lot: Lot) -> ExerciseWindow:
    """When the rights of one lot may be exercised: the conditions travel with the lot (11).

    * Allotted: the allottee's own window (:func:`exercise_window` without a succession).
    * Succeeded: the heir's window of (11)3 from the succession that made the lot; an heir's own
      allotted rights keep their own conditions. An heir who dies leaves nothing (11)3.
    * Transferred: only when the original allottee's conditions allow (11)2: not while the allottee
      holds office at the issuer; within the allottee's departure window; never after the
      allottee died in office, since the heir's exception of (11)2 covers inherited rights only
      (docs/domain.md, "Readings we chose").

    Reads the lot's holding, series, holder, allottee and case: select or prefetch them for lists.
    """
    series, holder = lot.holding.series, lot.holding.holder
    if lot.origin == Lot.Origin.ALLOTTED:
        return exercise_window(holder=holder, series=series, succession=None)
    if holder.died_on is not None:
        return ExerciseWindow(
            kind="deceased", reason=str(_("The holder has died; these rights cannot pass on, (11)3."))
        )
    if lot.origin == Lot.Origin.SUCCEEDED:
        case = lot.inheritance_case
        assert case is not None and case.succeeded_on is not None  # database constraints
        window = rules.heir_window(
            case.succeeded_on,
            months=series.heir_window_months,
            period_end=series.exercise_period_end,
            shift=series.heir_window_shift,
        )
        return _within_period(series, "heir", window)
    outcome = departure_at_issuer(holder=lot.allottee, series=series)
    if outcome.state == "in_office":
        return ExerciseWindow(
            kind="in_office",
            reason=str(
                _(
                    "The original holder still holds office at the issuer; transferred rights are "
                    "exercisable only within the window their conditions allow, (11)2."
                )
            ),
        )
    if outcome.state == "never":
        return _within_period(series, "period", (series.exercise_period_start, series.exercise_period_end))
    if outcome.state == "died_in_office":
        return ExerciseWindow(
            kind="none",
            reason=str(
                _("The original holder died in office: no window opens for transferred rights, (11)2.")
            ),
        )
    return _within_period(series, "departure", outcome.window)


def in_office_throughout() -> Q:
    """Lots whose window is certainly closed by office (11)2: not succeeded, the holder alive, and the
    person whose office decides (the allottee, who is the holder of allotted rights) in office at the
    issuer from before the allotment with no loss since. The database drops these before the rule
    is asked, so the pages cost what may be open, not every lot held (docs/domain.md reading R68)."""
    at_issuer = Position.objects.filter(
        holder_id=OuterRef("allottee_id"), company_id=OuterRef("holding__series__company_id")
    )
    allotted_on = OuterRef("holding__series__allotment_date")
    return (
        Q(Exists(at_issuer.filter(ended_on__isnull=True, started_on__lte=allotted_on)))
        & ~Q(Exists(at_issuer.filter(ended_on__isnull=False, ended_on__gte=allotted_on)))
        & Q(holding__holder__died_on__isnull=True)
        & (
            Q(origin=Lot.Origin.TRANSFERRED)
            | Q(origin=Lot.Origin.ALLOTTED, allottee_id=F("holding__holder_id"))
        )
    )


# How far past its nominal end a window's last day can move: the shift to a business day after the
# longest run of days off (docs/domain.md reading R70), with room to spare.
SHIFT_ROOM = timedelta(days=31)
CLOSING_KINDS = ("departure", "heir")


def closing_candidate_ids(day: date) -> set[int]:
    """Ids of the lots with rights whose departure or heir window can end on or after ``day``: a
    superset, read from columns the database looks up (docs/domain.md reading R70), in three small
    queries, so that the lots are then read by their keys. A departure window (11)2 ends at most the
    series' days and a shift after the loss of office that opens it; an heir's (11)3 at most its
    months and a shift after the succession."""
    longest = Series.objects.aggregate(days=Max("departure_window_days"), months=Max("heir_window_months"))
    lost_since = day - timedelta(days=longest["days"] or 0) - SHIFT_ROOM
    succeeded_since = day - timedelta(days=31 * (longest["months"] or 0)) - SHIFT_ROOM
    recent_losses = Position.objects.filter(ended_on__gte=lost_since)
    loss_at_issuer = recent_losses.filter(
        company_id=OuterRef("holding__series__company_id"),
        ended_on__gte=OuterRef("holding__series__allotment_date"),
    )
    with_rights = Lot.objects.filter(rights__gt=0)
    ids = set(
        with_rights.filter(
            origin=Lot.Origin.SUCCEEDED, inheritance_case__succeeded_on__gte=succeeded_since
        ).values_list("pk", flat=True)
    )
    # The allottee's office decides (11)2; for allotted rights the allottee is the holder.
    not_succeeded = with_rights.exclude(origin=Lot.Origin.SUCCEEDED)
    for person in ("allottee_id", "holding__holder_id"):
        ids.update(
            not_succeeded.filter(Q(**{f"{person}__in": recent_losses.values("holder_id")}))
            .filter(Exists(loss_at_issuer.filter(holder_id=OuterRef(person))))
            .values_list("pk", flat=True)
        )
    return ids


def lots_with_windows(
    *, holder: Holder | None = None, prefilter: bool = True, closing_from: date | None = None
) -> list[tuple[Lot, ExerciseWindow]]:
    """Lots with rights whose window is not closed by office, each with its window, in fixed queries.

    ``prefilter``: leave out in the database the lots certainly in office (the tests compare).
    ``closing_from``: only the departure and heir windows that end on that day or later (what the
    dashboard shows: the windows open and those closing soon), the lots that cannot have one left
    out in the database (``closing_candidate_ids``)."""
    qs = (
        Lot.objects.filter(rights__gt=0)
        .select_related("holding__series__company", "holding__holder", "allottee", "inheritance_case")
        .prefetch_related("holding__holder__positions", "allottee__positions")
        .order_by("holding__holder__name", "holding__series__number", "acquired_on", "pk")
    )
    if holder is not None:
        qs = qs.filter(holding__holder=holder)
    if prefilter:
        qs = qs.exclude(in_office_throughout())
        if closing_from is not None:
            qs = qs.filter(pk__in=sorted(closing_candidate_ids(closing_from)))
    pairs = [(lot, lot_window(lot)) for lot in qs]
    if closing_from is not None:
        return [
            (lot, window)
            for lot, window in pairs
            if window.kind in CLOSING_KINDS and window.last is not None and window.last >= closing_from
        ]
    return [(lot, window) for lot, window in pairs if window.kind != "in_office"]


LotWindows = list[tuple[Lot, ExerciseWindow]]


def open_windows(*, as_of: date, windows: LotWindows | None = None) -> list[dict]:
    """Windows open on ``as_of`` (departure (11)2 and heir (11)3), for the holder page and the dashboard.
    ``windows``: ``lots_with_windows(closing_from=as_of)`` if the caller has read it already (a page
    that also lists the deadlines reads it once)."""
    rows = []
    for lot, window in lots_with_windows(closing_from=as_of) if windows is None else windows:
        holding = lot.holding
        if window.kind in CLOSING_KINDS and window.contains(as_of):
            assert window.last is not None  # contains() is False without both ends
            rows.append(
                {
                    "kind": window.kind,
                    "holding": holding,
                    "lot": lot,
                    "rights": lot.rights,
                    "holder": holding.holder,
                    "series": holding.series,
                    "first": window.first,
                    "last": window.last,
                    "days_left": (window.last - as_of).days,
                    "url": holding.holder.get_absolute_url(),
                }
            )
    return sorted(rows, key=lambda r: (r["last"], r["holder"].name))
