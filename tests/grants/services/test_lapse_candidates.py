"""The sweep's prefilter (``lapse_candidate_ids``) holds every lot the rule would lapse.

Property: in random small worlds (positions at the issuer and elsewhere, departures, deaths in and
out of office, successions, transfers, series periods and window terms, month-end dates), the lots
the prefiltered sweep would lapse, and why, are exactly those a scan of every lot with rights would
lapse. The worlds are written as rows (no ledger events: the rule reads none) and rolled back.
"""

import calendar
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from grants.domain.windows import DayShift
from grants.models import Holding, InheritanceCase, Lot, Series, TransferRequest
from grants.selectors.windows import lots_with_windows
from grants.services import LapseReason
from grants.services.lapse import lapse_candidate_ids
from holders.models import Holder, Position
from jobs.sweep import _lapse_reason, lots_that_may_lapse
from tests.factories import CompanyFactory, make_series
from tests.factories.lifecycle import new_person

pytestmark = pytest.mark.django_db

BASE = date(2019, 1, 1)
SPAN_DAYS = 2 * 365


class Rollback(Exception):
    pass


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# Any day of four years, or the last (or the day before the last) of a month: Art 143's edge.
DAYS = st.one_of(
    st.integers(0, SPAN_DAYS).map(lambda n: BASE + timedelta(days=n)),
    st.builds(month_end, st.integers(2019, 2020), st.integers(1, 12)),
    st.builds(lambda y, m: month_end(y, m) - timedelta(days=1), st.integers(2019, 2020), st.integers(1, 12)),
)
SERIES_TERMS = st.fixed_dictionaries(
    {
        "allotment": st.integers(0, 240).map(lambda n: BASE + timedelta(days=n)),
        "period_start_after": st.integers(0, 200),
        "period_days": st.one_of(st.integers(0, 60), st.integers(200, 900)),
        "departure_window_days": st.integers(1, 30),
        "departure_window_shift": st.sampled_from([s.value for s in DayShift]),
        "heir_window_months": st.integers(1, 12),
        "heir_window_shift": st.sampled_from([s.value for s in DayShift]),
        "heir_allowed": st.booleans(),
    }
)
POSITION = st.tuples(
    st.integers(0, 3),  # holder
    st.sampled_from([True, True, True, False]),  # at the issuer (else at another company)
    st.integers(-300, 400).map(lambda n: BASE + timedelta(days=n)),  # started
    st.one_of(st.none(), *[st.integers(0, 500)] * 4),  # days in office (None: still held)
    st.sampled_from([Position.EndReason.RESIGNED] * 4 + [Position.EndReason.DEATH]),
)
LOT = st.tuples(
    st.integers(0, 1),  # series
    st.integers(0, 3),  # holder
    st.sampled_from([Lot.Origin.ALLOTTED, Lot.Origin.SUCCEEDED, Lot.Origin.TRANSFERRED]),
    st.integers(0, 3),  # allottee (transferred lots; the deceased for succeeded ones)
    st.integers(0, 3),  # rights (0: already gone)
    DAYS,  # succession day, for succeeded lots
)
WORLD = st.fixed_dictionaries(
    {
        "series": st.lists(SERIES_TERMS, min_size=2, max_size=2),
        "deaths": st.lists(st.one_of(st.none(), st.none(), DAYS), min_size=4, max_size=4),
        "positions": st.lists(POSITION, min_size=1, max_size=8),
        "lots": st.lists(LOT, min_size=1, max_size=8),
        # A day, or a few days after a position's end (or a succession): where windows close.
        "as_of": st.one_of(
            DAYS,
            st.tuples(
                st.sampled_from(["position", "position", "lot"]),
                st.integers(0, 7),
                st.one_of(st.integers(0, 30), st.integers(0, 200)),
            ),
        ),
    }
)


RESIGNED = Position.EndReason.RESIGNED
LOT_OF_0 = (0, 0, Lot.Origin.ALLOTTED, 0, 3, BASE)
PLAIN_TERMS = {
    "allotment": BASE,
    "period_start_after": 60,
    "period_days": 700,
    "departure_window_days": 10,
    "departure_window_shift": DayShift.TERMS_SILENT.value,
    "heir_window_months": 6,
    "heir_window_shift": DayShift.TERMS_SILENT.value,
    "heir_allowed": True,
}


def world_of(*, positions, lots, as_of) -> dict:
    return {
        "series": [PLAIN_TERMS, PLAIN_TERMS],
        "deaths": [None] * 4,
        "positions": positions,
        "lots": lots,
        "as_of": as_of,
    }


@pytest.fixture
def world_base(legal):
    issuer = CompanyFactory()
    elsewhere = CompanyFactory()
    series = [make_series(actor=legal, company=issuer, number=n) for n in (1, 2)]
    holders = [new_person(actor=legal, name=f"Person {n} (fictional)") for n in range(4)]
    return {"legal": legal, "issuer": issuer, "elsewhere": elsewhere, "series": series, "holders": holders}


def build(base, world) -> date:
    legal, holders = base["legal"], base["holders"]
    for series, terms in zip(base["series"], world["series"], strict=True):
        start = terms["allotment"] + timedelta(days=terms["period_start_after"])
        Series.objects.filter(pk=series.pk).update(
            allotment_date=terms["allotment"],
            exercise_period_start=start,
            exercise_period_end=start + timedelta(days=terms["period_days"]),
            departure_window_days=terms["departure_window_days"],
            departure_window_shift=terms["departure_window_shift"],
            heir_window_months=terms["heir_window_months"],
            heir_window_shift=terms["heir_window_shift"],
            heir_allowed=terms["heir_allowed"],
        )
    for holder, died_on in zip(holders, world["deaths"], strict=True):
        Holder.objects.filter(pk=holder.pk).update(died_on=died_on)
    as_of = world["as_of"]
    if isinstance(as_of, tuple):  # resolved below, once the days it counts from are known
        as_of = _relative_day(world, *as_of)
    open_seats = set()
    for who, at_issuer, started, days, reason in world["positions"]:
        company = base["issuer"] if at_issuer else base["elsewhere"]
        if days is None:
            if (who, company.pk) in open_seats:
                continue  # one open seat per title and company
            open_seats.add((who, company.pk))
        Position.objects.create(
            holder=holders[who],
            company=company,
            title=Position.Title.DIRECTOR,
            started_on=started,
            ended_on=None if days is None else started + timedelta(days=days),
            end_reason="" if days is None else reason,
        )
    cases: dict[int, InheritanceCase] = {}
    for series_n, who, origin, other, rights, succeeded_on in world["lots"]:
        series, holder = base["series"][series_n], holders[who]
        holding, _ = Holding.objects.get_or_create(
            series=series, holder=holder, defaults={"rights": 0, "acquired_on": BASE}
        )
        allottee, case, request = holder, None, None
        if origin == Lot.Origin.SUCCEEDED:
            if other == who:
                other = (who + 1) % 4
            allottee = holders[other]
            case = cases.get(other)
            if case is None:
                case = cases[other] = InheritanceCase.objects.create(
                    deceased=allottee,
                    heir=holder,
                    status=InheritanceCase.Status.APPROVED,
                    requested_by=legal,
                    succeeded_on=succeeded_on,
                )
        elif origin == Lot.Origin.TRANSFERRED:
            allottee = holders[other if other != who else (who + 1) % 4]
            request = TransferRequest.objects.create(
                holding=holding,
                series=series,
                transferor=allottee,
                transferee=holder,
                rights=1,
                status=TransferRequest.Status.REGISTERED,
                requested_on=BASE,
                requested_by=legal,
            )
        Lot.objects.create(
            holding=holding,
            rights=rights,
            origin=origin,
            allottee=allottee,
            acquired_on=BASE,
            inheritance_case=case,
            transfer_request=request,
        )
    return as_of


def _relative_day(world, what: str, index: int, days: int) -> date:
    if what == "position":
        ends = [started + timedelta(days=n) for _, _, started, n, _ in world["positions"] if n is not None]
    else:
        ends = [on for _, _, origin, _, _, on in world["lots"] if origin == Lot.Origin.SUCCEEDED]
    return (ends[index % len(ends)] if ends else BASE) + timedelta(days=days)


def full_scan(as_of: date) -> dict[int, str]:
    """What the sweep did before the prefilter: ask the rule of every lot with rights."""
    lots = (
        Lot.objects.filter(rights__gt=0)
        .select_related("holding__series", "holding__holder", "allottee", "inheritance_case")
        .prefetch_related("holding__holder__positions", "allottee__positions")
    )
    return {lot.pk: reason for lot in lots if (reason := _lapse_reason(lot, as_of)) is not None}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=WORLD)
@example(
    world=world_of(positions=[(0, True, BASE, 120, RESIGNED)], lots=[LOT_OF_0], as_of=("position", 0, 20))
)
@example(  # the loss before the exercise period opens: no window at all, extinguished the next day
    world=world_of(positions=[(0, True, BASE, 5, RESIGNED)], lots=[LOT_OF_0], as_of=("position", 0, 2))
)
@example(  # re-appointed within the window: the loss is undone, nothing lapses
    world=world_of(
        positions=[(0, True, BASE, 120, RESIGNED), (0, True, BASE + timedelta(days=125), None, RESIGNED)],
        lots=[LOT_OF_0],
        as_of=("position", 0, 30),
    )
)
@example(  # transferred rights whose allottee died in office: extinguished the day after
    world=world_of(
        positions=[(1, True, BASE, 120, Position.EndReason.DEATH)],
        lots=[(0, 0, Lot.Origin.TRANSFERRED, 1, 2, BASE)],
        as_of=("position", 0, 3),
    )
)
@example(  # a loss of office at another company counts for nothing
    world=world_of(positions=[(0, False, BASE, 120, RESIGNED)], lots=[LOT_OF_0], as_of=("position", 0, 30))
)
@example(  # a departure window open: on the dashboard, closing in five days
    world=world_of(positions=[(0, True, BASE, 120, RESIGNED)], lots=[LOT_OF_0], as_of=("position", 0, 5))
)
@example(  # an heir's window open, 100 days after the succession
    world=world_of(
        positions=[(0, True, BASE, None, RESIGNED)],
        lots=[(0, 0, Lot.Origin.SUCCEEDED, 1, 2, BASE + timedelta(days=200))],
        as_of=("lot", 0, 100),
    )
)
def test_the_prefiltered_sweep_lapses_exactly_what_the_full_scan_lapses(world_base, world):
    try:
        with transaction.atomic():
            as_of = build(world_base, world)
            expected = full_scan(as_of)
            assert set(expected) <= lapse_candidate_ids(as_of=as_of)
            found = {
                lot.pk: reason
                for lot in lots_that_may_lapse(as_of)
                if (reason := _lapse_reason(lot, as_of)) is not None
            }
            assert found == expected
            # The windows the pages, reminders and deadlines list: the lots the database leaves
            # out as in office throughout would all have been left out by the rule.
            assert _windows(prefilter=True) == _windows(prefilter=False)
            # The dashboard's: the departure and heir windows ending on the day or later, the lots
            # that cannot have one left out in the database (R70).
            for day in (as_of - timedelta(days=1), as_of, as_of + timedelta(days=1)):
                assert _closing(day) == _closing_in_full_scan(day), day
            raise Rollback
    except Rollback:
        pass


def _windows(*, prefilter: bool) -> list:
    return [(lot.pk, window) for lot, window in lots_with_windows(prefilter=prefilter)]


def _closing(day: date) -> list:
    return [(lot.pk, window) for lot, window in lots_with_windows(closing_from=day)]


def _closing_in_full_scan(day: date) -> list:
    return [
        (lot.pk, window)
        for lot, window in lots_with_windows(prefilter=False)
        if window.kind in ("departure", "heir") and window.last is not None and window.last >= day
    ]


def test_in_office_holders_of_a_running_series_are_not_examined(world_base):
    """The point of the prefilter: nobody who cannot lapse is read."""
    base = world_base
    series = base["series"][0]
    for holder in base["holders"]:
        Position.objects.create(
            holder=holder, company=base["issuer"], title=Position.Title.DIRECTOR, started_on=BASE
        )
        holding = Holding.objects.create(series=series, holder=holder, rights=3, acquired_on=BASE)
        Lot.objects.create(
            holding=holding, rights=3, origin=Lot.Origin.ALLOTTED, allottee=holder, acquired_on=BASE
        )
    # Office elsewhere ended, and a seat at the issuer ended before the allotment: neither counts.
    Position.objects.create(
        holder=base["holders"][0],
        company=base["elsewhere"],
        title=Position.Title.DIRECTOR,
        started_on=BASE,
        ended_on=date(2019, 6, 1),
        end_reason=Position.EndReason.RESIGNED,
    )
    Position.objects.create(
        holder=base["holders"][1],
        company=base["issuer"],
        title=Position.Title.EXECUTIVE_OFFICER,
        started_on=date(2001, 1, 1),
        ended_on=date(2002, 1, 1),
        end_reason=Position.EndReason.RESIGNED,
    )
    assert lapse_candidate_ids(as_of=date(2020, 1, 6)) == set()
    ended = Position.objects.filter(holder=base["holders"][2], company=base["issuer"]).get()
    Position.objects.filter(pk=ended.pk).update(
        ended_on=date(2020, 1, 3), end_reason=Position.EndReason.RETIRED
    )
    lot = Lot.objects.get(holding__holder=base["holders"][2])
    assert lapse_candidate_ids(as_of=date(2020, 1, 3)) == set()  # the loss is not before as_of
    assert lapse_candidate_ids(as_of=date(2020, 1, 6)) == {lot.pk}
    Holder.objects.filter(pk=base["holders"][3].pk).update(died_on=date(2020, 1, 7))
    assert lapse_candidate_ids(as_of=date(2020, 1, 6)) == {lot.pk}
    dead = Lot.objects.get(holding__holder=base["holders"][3])
    assert lapse_candidate_ids(as_of=date(2020, 1, 7)) == {lot.pk, dead.pk}


def test_the_candidates_are_read_in_a_fixed_number_of_queries(world_base, django_assert_num_queries):
    base = world_base
    series = base["series"][0]
    Series.objects.filter(pk=series.pk).update(exercise_period_end=date(2019, 12, 31))
    for holder in base["holders"]:
        holding = Holding.objects.create(series=series, holder=holder, rights=3, acquired_on=BASE)
        Lot.objects.create(
            holding=holding, rights=3, origin=Lot.Origin.ALLOTTED, allottee=holder, acquired_on=BASE
        )
    with django_assert_num_queries(5 + 3):  # five candidate queries; lots, then two prefetches
        lots = list(lots_that_may_lapse(date(2020, 1, 6)))
    assert len(lots) == 4


@pytest.mark.parametrize(
    ("positions", "lot", "as_of", "lapses"),
    [
        ([(0, True, BASE, 120, RESIGNED)], LOT_OF_0, ("position", 0, 20), True),
        ([(0, True, BASE, 5, RESIGNED)], LOT_OF_0, ("position", 0, 2), True),
        ([(0, True, BASE, 120, RESIGNED), (0, True, BASE + timedelta(days=125), None, RESIGNED)], LOT_OF_0,
         ("position", 0, 30), False),
        ([(1, True, BASE, 120, Position.EndReason.DEATH)], (0, 0, Lot.Origin.TRANSFERRED, 1, 2, BASE),
         ("position", 0, 3), True),
        ([(0, False, BASE, 120, RESIGNED)], LOT_OF_0, ("position", 0, 30), False),
    ],
)  # fmt: skip
def test_the_explicit_worlds_lapse_by_departure_or_not(world_base, positions, lot, as_of, lapses):
    """The examples above test what they say: a departure lapses, or nothing does."""
    as_of = build(world_base, world_of(positions=positions, lots=[lot], as_of=as_of))
    expected = {pk: LapseReason.DEPARTURE_WINDOW_ENDED for pk in Lot.objects.values_list("pk", flat=True)}
    assert full_scan(as_of) == (expected if lapses else {})
    assert set(expected) <= lapse_candidate_ids(as_of=as_of) or not lapses
