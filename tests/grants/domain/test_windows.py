"""Departure and heir windows, notice (11)2 and (11)3, counted under Civil Code Arts 140-143."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.windows import (
    DayShift,
    civil_code_period_end,
    departure_window,
    heir_window,
    shift_deadline,
)

# The seed series' exercise period, notice (5): 12 July 2013 to 11 July 2043.
SEED_PERIOD_END = date(2043, 7, 11)

# Days off that the tests below rely on, so they do not depend on the holiday tables.
_DAYS_OFF = {
    date(2013, 12, 31),
    date(2014, 1, 1),
    date(2014, 1, 2),
    date(2014, 1, 3),
    # Golden Week 2019: 29 April to 6 May were all holidays.
    *(date(2019, 4, 29) + timedelta(days=n) for n in range(8)),
}


def business_day(day: date) -> bool:
    """Weekdays that are not in ``_DAYS_OFF``: a small, fixed stand-in for the exchange calendar."""
    return day.weekday() < 5 and day not in _DAYS_OFF


def every_day(day: date) -> bool:
    return True


@pytest.mark.parametrize(
    ("event_day", "months", "days", "expected"),
    [
        # Art 141: a period in days ends on its last day; day 1 is the day after the event (Art 140).
        (date(2024, 6, 30), 0, 10, date(2024, 7, 10)),
        (date(2024, 6, 30), 0, 1, date(2024, 7, 1)),
        (date(2023, 12, 25), 0, 10, date(2024, 1, 4)),
        # Art 143(2): the day before the corresponding day of the last month.
        (date(2024, 1, 10), 6, 0, date(2024, 7, 10)),
        (date(2024, 3, 15), 1, 0, date(2024, 4, 15)),
        # Art 143(2) proviso: no corresponding day -> the last day of that month.
        (date(2023, 8, 30), 6, 0, date(2024, 2, 29)),
        (date(2022, 8, 30), 6, 0, date(2023, 2, 28)),
        (date(2023, 8, 29), 6, 0, date(2024, 2, 29)),  # starts 30 Aug: Feb 2024 has no 30th
        (date(2023, 8, 28), 6, 0, date(2024, 2, 28)),  # starts 29 Aug: the day before 29 Feb 2024
        # Counting starts on the 1st: the period ends at the end of a month (Art 143(1)).
        (date(2024, 1, 31), 6, 0, date(2024, 7, 31)),
        (date(2023, 2, 28), 1, 0, date(2023, 3, 31)),  # not 28 March: counting starts 1 March
        # Across a year end.
        (date(2023, 9, 15), 6, 0, date(2024, 3, 15)),
        (date(2023, 12, 31), 12, 0, date(2024, 12, 31)),
        # Months first, then days.
        (date(2024, 1, 10), 1, 5, date(2024, 2, 15)),
    ],
)
def test_civil_code_period_end(event_day: date, months: int, days: int, expected: date) -> None:
    assert civil_code_period_end(event_day, months=months, days=days) == expected


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({}, ValueError),
        ({"months": -1}, ValueError),
        ({"days": -3}, ValueError),
        ({"months": 1.5}, TypeError),
        ({"days": True}, TypeError),
    ],
)
def test_civil_code_period_end_refuses_bad_periods(kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        civil_code_period_end(date(2024, 1, 1), **kwargs)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 60))
def test_month_period_ends_in_the_named_month_or_just_before_it(event_day: date, months: int) -> None:
    end = civil_code_period_end(event_day, months=months)
    start = event_day + timedelta(days=1)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    first_of_month = date(year, month, 1)
    last_of_month = date(year, month, calendar.monthrange(year, month)[1])
    if start.day == 1:
        # Art 143(1): counting from the start of a month ends at the end of the previous month.
        assert end == first_of_month - timedelta(days=1)
    else:
        assert first_of_month <= end <= last_of_month


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(0, 40),
    st.integers(1, 60),
)
def test_a_later_event_never_ends_a_period_earlier(event_day: date, later_by: int, months: int) -> None:
    later_event = event_day + timedelta(days=later_by)
    assert civil_code_period_end(later_event, months=months) >= civil_code_period_end(
        event_day, months=months
    )


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_one_month_lasts_28_to_31_days(event_day: date) -> None:
    assert 28 <= (civil_code_period_end(event_day, months=1) - event_day).days <= 31


@pytest.mark.parametrize(
    ("last_day", "shift", "expected"),
    [
        # 31 Dec 2013 is off; 1-3 Jan 2014 are off; 4-5 Jan 2014 are a weekend.
        (date(2013, 12, 31), DayShift.NEXT_BUSINESS_DAY, date(2014, 1, 6)),
        (date(2013, 12, 31), DayShift.PREVIOUS_BUSINESS_DAY, date(2013, 12, 30)),
        (date(2013, 12, 31), DayShift.NONE, date(2013, 12, 31)),
        # Strings are accepted as well as the enum.
        (date(2013, 12, 31), "next_business_day", date(2014, 1, 6)),
        (date(2013, 12, 31), "previous_business_day", date(2013, 12, 30)),
        (date(2013, 12, 31), "none", date(2013, 12, 31)),
        # A business day never moves.
        (date(2013, 12, 30), DayShift.NEXT_BUSINESS_DAY, date(2013, 12, 30)),
        (date(2013, 12, 30), DayShift.PREVIOUS_BUSINESS_DAY, date(2013, 12, 30)),
        # Weekend: Saturday 6 July 2024.
        (date(2024, 7, 6), DayShift.NEXT_BUSINESS_DAY, date(2024, 7, 8)),
        (date(2024, 7, 6), DayShift.PREVIOUS_BUSINESS_DAY, date(2024, 7, 5)),
    ],
)
def test_shift_deadline(last_day: date, shift: DayShift | str, expected: date) -> None:
    assert shift_deadline(last_day, shift, business_day) == expected


def test_shift_deadline_refuses_an_unknown_shift() -> None:
    with pytest.raises(ValueError):
        shift_deadline(date(2024, 7, 6), "following", business_day)


def test_shift_deadline_gives_up_on_a_calendar_without_business_days() -> None:
    with pytest.raises(ValueError, match="no business day"):
        shift_deadline(date(2024, 7, 6), DayShift.NEXT_BUSINESS_DAY, lambda day: False)


def test_shift_none_never_consults_the_calendar() -> None:
    def no_calendar(day: date) -> bool:
        raise AssertionError("the calendar was consulted")

    assert shift_deadline(date(2013, 12, 31), DayShift.NONE, no_calendar) == date(2013, 12, 31)


@pytest.mark.parametrize(
    ("lost_position_on", "shift", "expected"),
    [
        # Notice (11)2: "within ten (10) days from the day following the day the person loses ...".
        (date(2024, 6, 30), DayShift.NONE, (date(2024, 7, 1), date(2024, 7, 10))),
        # 10 July 2024 is a Wednesday: no shift whatever the setting.
        (date(2024, 6, 30), DayShift.NEXT_BUSINESS_DAY, (date(2024, 7, 1), date(2024, 7, 10))),
        # Left on Saturday 21 Dec 2013: day 10 is 31 Dec, a day off.
        (date(2013, 12, 21), DayShift.NONE, (date(2013, 12, 22), date(2013, 12, 31))),
        (date(2013, 12, 21), DayShift.NEXT_BUSINESS_DAY, (date(2013, 12, 22), date(2014, 1, 6))),
        (date(2013, 12, 21), DayShift.PREVIOUS_BUSINESS_DAY, (date(2013, 12, 22), date(2013, 12, 30))),
        # Left on Friday 26 Apr 2019: all ten days (27 Apr - 6 May) were off.
        (date(2019, 4, 26), DayShift.NONE, (date(2019, 4, 27), date(2019, 5, 6))),
        (date(2019, 4, 26), DayShift.NEXT_BUSINESS_DAY, (date(2019, 4, 27), date(2019, 5, 7))),
        (date(2019, 4, 26), DayShift.PREVIOUS_BUSINESS_DAY, None),
    ],
)
def test_departure_window(
    lost_position_on: date, shift: DayShift, expected: tuple[date, date] | None
) -> None:
    assert departure_window(lost_position_on, shift=shift, is_business_day=business_day) == expected


def test_departure_window_in_other_numbers_of_days() -> None:
    assert departure_window(date(2024, 6, 30), days=30, is_business_day=business_day) == (
        date(2024, 7, 1),
        date(2024, 7, 30),
    )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
def test_departure_window_always_holds_ten_days_without_a_shift(lost_position_on: date) -> None:
    window = departure_window(lost_position_on, is_business_day=every_day)
    assert window is not None
    first_day, last_day = window
    assert first_day == lost_position_on + timedelta(days=1)
    assert (last_day - first_day).days + 1 == 10


@pytest.mark.parametrize(
    ("succeeded_on", "shift", "period_end", "expected"),
    [
        # Notice (11)3 "within six (6) months after inheriting", Civil Code Art 143.
        (date(2024, 1, 10), DayShift.NONE, SEED_PERIOD_END, (date(2024, 1, 11), date(2024, 7, 10))),
        (date(2023, 8, 30), DayShift.NONE, SEED_PERIOD_END, (date(2023, 8, 31), date(2024, 2, 29))),
        (date(2022, 8, 30), DayShift.NONE, SEED_PERIOD_END, (date(2022, 8, 31), date(2023, 2, 28))),
        # 28 Feb 2023 is a Tuesday: no shift needed.
        (
            date(2022, 8, 30),
            DayShift.NEXT_BUSINESS_DAY,
            SEED_PERIOD_END,
            (date(2022, 8, 31), date(2023, 2, 28)),
        ),
        # Ends on Saturday 6 July 2024.
        (date(2024, 1, 6), DayShift.NONE, SEED_PERIOD_END, (date(2024, 1, 7), date(2024, 7, 6))),
        (
            date(2024, 1, 6),
            DayShift.NEXT_BUSINESS_DAY,
            SEED_PERIOD_END,
            (date(2024, 1, 7), date(2024, 7, 8)),
        ),
        (
            date(2024, 1, 6),
            DayShift.PREVIOUS_BUSINESS_DAY,
            SEED_PERIOD_END,
            (date(2024, 1, 7), date(2024, 7, 5)),
        ),
        # Capped at the end of the seed's exercise period, 11 July 2043 (notice (5)).
        (date(2043, 3, 1), DayShift.NONE, SEED_PERIOD_END, (date(2043, 3, 2), SEED_PERIOD_END)),
        (date(2043, 7, 10), DayShift.NONE, SEED_PERIOD_END, (date(2043, 7, 11), SEED_PERIOD_END)),
        # The six months would end on Sunday 12 July 2043 -> Monday 13 July, capped back to 11 July.
        (
            date(2043, 1, 12),
            DayShift.NEXT_BUSINESS_DAY,
            SEED_PERIOD_END,
            (date(2043, 1, 13), SEED_PERIOD_END),
        ),
        # The six months would end on Sunday 12 July 2043 -> Friday 10 July, inside the period.
        (
            date(2043, 1, 12),
            DayShift.PREVIOUS_BUSINESS_DAY,
            SEED_PERIOD_END,
            (date(2043, 1, 13), date(2043, 7, 10)),
        ),
        # Ends exactly on the period end.
        (date(2043, 1, 11), DayShift.NONE, SEED_PERIOD_END, (date(2043, 1, 12), SEED_PERIOD_END)),
        # Succession on or after the last day of the exercise period: nothing left to exercise.
        (date(2043, 7, 11), DayShift.NONE, SEED_PERIOD_END, None),
        (date(2043, 8, 1), DayShift.NEXT_BUSINESS_DAY, SEED_PERIOD_END, None),
    ],
)
def test_heir_window(
    succeeded_on: date, shift: DayShift, period_end: date, expected: tuple[date, date] | None
) -> None:
    window = heir_window(succeeded_on, period_end=period_end, shift=shift, is_business_day=business_day)
    assert window == expected


def test_heir_window_in_other_numbers_of_months() -> None:
    assert heir_window(
        date(2023, 8, 30), months=3, period_end=SEED_PERIOD_END, is_business_day=business_day
    ) == (date(2023, 8, 31), date(2023, 11, 30))


@given(
    st.dates(min_value=date(2013, 7, 12), max_value=date(2044, 12, 31)),
    st.sampled_from(list(DayShift)),
)
def test_heir_window_never_passes_the_exercise_period(succeeded_on: date, shift: DayShift) -> None:
    window = heir_window(succeeded_on, period_end=SEED_PERIOD_END, shift=shift, is_business_day=business_day)
    if succeeded_on >= SEED_PERIOD_END:
        assert window is None
    else:
        assert window is not None
        first_day, last_day = window
        assert first_day == succeeded_on + timedelta(days=1)
        assert first_day <= last_day <= SEED_PERIOD_END


# The default calendar (grants.domain.calendar.is_business_day): weekdays that are not national
# holidays, 31 Dec or 1-3 Jan.


def test_departure_window_with_the_default_calendar_over_the_year_end() -> None:
    assert departure_window(date(2013, 12, 21), shift=DayShift.NEXT_BUSINESS_DAY) == (
        date(2013, 12, 22),
        date(2014, 1, 6),
    )
    assert departure_window(date(2013, 12, 21), shift=DayShift.PREVIOUS_BUSINESS_DAY) == (
        date(2013, 12, 22),
        date(2013, 12, 30),
    )


def test_heir_window_with_the_default_calendar_over_a_national_holiday() -> None:
    # Six months from 3 Nov 2023 end on Friday 3 May 2024, Constitution Day; 4-6 May are
    # Greenery Day, Children's Day and its substitute holiday. The next business day is Tuesday 7 May,
    # the previous one Thursday 2 May.
    assert heir_window(date(2023, 11, 3), period_end=SEED_PERIOD_END, shift=DayShift.NEXT_BUSINESS_DAY) == (
        date(2023, 11, 4),
        date(2024, 5, 7),
    )
    assert heir_window(
        date(2023, 11, 3), period_end=SEED_PERIOD_END, shift=DayShift.PREVIOUS_BUSINESS_DAY
    ) == (date(2023, 11, 4), date(2024, 5, 2))


# Where the terms are silent, Civil Code Art 142 ends the period on the next day that is not a day
# off, by the default calendar (docs/domain.md §6.4, reading R3). Real dates, real holidays.


@pytest.mark.parametrize(
    ("lost_position_on", "silent_last_day", "unshifted_last_day"),
    [
        # Day 10 is Sunday 16 June 2024 -> Monday 17 June.
        (date(2024, 6, 6), date(2024, 6, 17), date(2024, 6, 16)),
        # Day 10 is Marine Day, Monday 15 July 2024 -> Tuesday 16 July.
        (date(2024, 7, 5), date(2024, 7, 16), date(2024, 7, 15)),
        # Day 10 is Culture Day, Friday 3 November 2023, then a weekend -> Monday 6 November.
        (date(2023, 10, 24), date(2023, 11, 6), date(2023, 11, 3)),
        # Day 10 is Constitution Day, Friday 3 May 2024, then 4-6 May -> Tuesday 7 May.
        (date(2024, 4, 23), date(2024, 5, 7), date(2024, 5, 3)),
        # Golden Week 2019: day 10 is Monday 6 May, the last of ten days off -> Tuesday 7 May.
        (date(2019, 4, 26), date(2019, 5, 7), date(2019, 5, 6)),
        # Day 10 is 31 December 2024; 1-3 January are off and 4-5 January a weekend -> 6 January.
        (date(2024, 12, 21), date(2025, 1, 6), date(2024, 12, 31)),
        # Day 10 is a business day (Wednesday 10 July 2024): nothing moves.
        (date(2024, 6, 30), date(2024, 7, 10), date(2024, 7, 10)),
    ],
)
def test_departure_window_where_the_terms_are_silent(
    lost_position_on: date, silent_last_day: date, unshifted_last_day: date
) -> None:
    first_day = lost_position_on + timedelta(days=1)
    assert departure_window(lost_position_on, shift=DayShift.TERMS_SILENT) == (first_day, silent_last_day)
    assert departure_window(lost_position_on, shift="terms_silent") == (first_day, silent_last_day)
    # Silence is the default, and moves the day exactly as "next business day" does.
    assert departure_window(lost_position_on) == (first_day, silent_last_day)
    assert departure_window(lost_position_on, shift=DayShift.NEXT_BUSINESS_DAY) == (
        first_day,
        silent_last_day,
    )
    # Terms that say "no shift" keep the day off as the last day.
    assert departure_window(lost_position_on, shift=DayShift.NONE) == (first_day, unshifted_last_day)


@pytest.mark.parametrize(
    ("succeeded_on", "period_end", "expected"),
    [
        # Six months end on Saturday 6 July 2024 -> Monday 8 July.
        (date(2024, 1, 6), SEED_PERIOD_END, (date(2024, 1, 7), date(2024, 7, 8))),
        # Six months end on Saturday 13 September 2025; Monday 15 September is Respect for the Aged
        # Day -> Tuesday 16 September.
        (date(2025, 3, 13), SEED_PERIOD_END, (date(2025, 3, 14), date(2025, 9, 16))),
        # Six months end on Saturday 11 July 2043, the last day of the seed's exercise period: Art 142
        # would move it to Monday 13 July, and the exercise period still wins (notice (5)).
        (date(2043, 1, 11), SEED_PERIOD_END, (date(2043, 1, 12), SEED_PERIOD_END)),
        # Six months end on Sunday 12 July 2043, after the period: capped to Saturday 11 July.
        (date(2043, 1, 12), SEED_PERIOD_END, (date(2043, 1, 13), SEED_PERIOD_END)),
        # A period that ends on a Friday caps a window whose Saturday end Art 142 moves to Monday.
        (date(2024, 1, 6), date(2024, 7, 5), (date(2024, 1, 7), date(2024, 7, 5))),
    ],
)
def test_heir_window_where_the_terms_are_silent(
    succeeded_on: date, period_end: date, expected: tuple[date, date]
) -> None:
    assert heir_window(succeeded_on, period_end=period_end, shift=DayShift.TERMS_SILENT) == expected
    assert heir_window(succeeded_on, period_end=period_end) == expected


def test_terms_silent_shifts_on_a_given_calendar_as_next_business_day_does() -> None:
    for last_day in (date(2013, 12, 31), date(2024, 7, 6), date(2013, 12, 30), date(2019, 5, 3)):
        assert shift_deadline(last_day, DayShift.TERMS_SILENT, business_day) == shift_deadline(
            last_day, DayShift.NEXT_BUSINESS_DAY, business_day
        )


# --- (11)2 on the whole history of office -------------------------------------------------------

from grants.domain.windows import OfficeSpan, departure_outcome, office_spans  # noqa: E402

ALLOTTED = date(2013, 7, 11)


def _never_off(_day):
    return True


@pytest.mark.parametrize(
    ("positions", "expected"),
    [
        # director to executive officer with no day between: one span
        (
            [(date(2013, 6, 21), date(2014, 6, 27), False), (date(2014, 6, 28), None, False)],
            [(date(2013, 6, 21), None)],
        ),
        # a gap of a day is a loss of office: two spans
        (
            [(date(2013, 6, 21), date(2014, 6, 27), False), (date(2014, 6, 29), None, False)],
            [(date(2013, 6, 21), date(2014, 6, 27)), (date(2014, 6, 29), None)],
        ),
        # overlapping offices end with the later one
        (
            [(date(2013, 6, 21), date(2016, 6, 30), False), (date(2014, 1, 1), date(2015, 3, 31), False)],
            [(date(2013, 6, 21), date(2016, 6, 30))],
        ),
    ],
)
def test_office_spans_merge_continuous_positions(positions, expected):
    assert [(s.started_on, s.ended_on) for s in office_spans(positions)] == expected


@pytest.mark.parametrize(
    ("spans", "state", "window"),
    [
        ([OfficeSpan(date(2013, 6, 21), None)], "in_office", None),
        ([], "never", None),
        # an office that ended before the allotment is not the one the rights depend on
        ([OfficeSpan(date(2010, 1, 1), date(2012, 3, 31))], "never", None),
        (
            [OfficeSpan(date(2013, 6, 21), date(2020, 6, 30))],
            "departed",
            (date(2020, 7, 1), date(2020, 7, 10)),
        ),
        # re-appointed after the window ran out: the first window decides (Art 287)
        (
            [OfficeSpan(date(2013, 6, 21), date(2020, 6, 30)), OfficeSpan(date(2020, 7, 20), None)],
            "departed",
            (date(2020, 7, 1), date(2020, 7, 10)),
        ),
        # re-appointed on the window's last day: the loss is undone, the later loss decides
        (
            [
                OfficeSpan(date(2013, 6, 21), date(2020, 6, 30)),
                OfficeSpan(date(2020, 7, 10), date(2022, 3, 31)),
            ],
            "departed",
            (date(2022, 4, 1), date(2022, 4, 10)),
        ),
        ([OfficeSpan(date(2013, 6, 21), date(2020, 6, 30), ended_by_death=True)], "died_in_office", None),
    ],
)
def test_departure_outcome_reads_the_whole_history(spans, state, window):
    outcome = departure_outcome(spans, since=ALLOTTED, days=10, shift="none", is_business_day=_never_off)
    assert (outcome.state, outcome.window) == (state, window)
