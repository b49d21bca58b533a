"""The notices before an allotment: two clear weeks under Art 240(2), the day before under Art 243(3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.notices import (
    allottee_notice_last_day,
    last_day_with_clear_days,
    shareholders_notice_last_day,
)


@pytest.mark.parametrize(
    ("allotment_date", "last_day"),
    [
        # The seed, notice (13): allotment 11 July 2013; 27 June to 10 July are the two clear weeks.
        (date(2013, 7, 11), date(2013, 6, 26)),
        # Month ends.
        (date(2024, 5, 16), date(2024, 5, 1)),
        (date(2024, 5, 15), date(2024, 4, 30)),
        (date(2024, 7, 1), date(2024, 6, 16)),
        (date(2024, 12, 16), date(2024, 12, 1)),
        # Across a year end.
        (date(2025, 1, 10), date(2024, 12, 26)),
        (date(2025, 1, 15), date(2024, 12, 31)),
        # February in a leap year and in a common year.
        (date(2024, 3, 15), date(2024, 2, 29)),
        (date(2023, 3, 15), date(2023, 2, 28)),
        (date(2024, 3, 1), date(2024, 2, 15)),
        (date(2023, 3, 1), date(2023, 2, 14)),
        (date(2024, 3, 16), date(2024, 3, 1)),
    ],
)
def test_the_shareholders_notice_leaves_two_clear_weeks(allotment_date: date, last_day: date) -> None:
    assert shareholders_notice_last_day(allotment_date) == last_day


@pytest.mark.parametrize(
    ("allotment_date", "last_day"),
    [
        (date(2013, 7, 11), date(2013, 7, 10)),
        (date(2024, 3, 1), date(2024, 2, 29)),
        (date(2023, 3, 1), date(2023, 2, 28)),
        (date(2025, 1, 1), date(2024, 12, 31)),
    ],
)
def test_the_allottee_notice_is_due_the_day_before(allotment_date: date, last_day: date) -> None:
    assert allottee_notice_last_day(allotment_date) == last_day


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_fourteen_whole_days_lie_between_the_notice_and_the_allotment(allotment_date: date) -> None:
    last_day = shareholders_notice_last_day(allotment_date)
    between = [last_day + timedelta(days=n) for n in range(1, (allotment_date - last_day).days)]
    assert len(between) == 14 and between[-1] == allotment_date - timedelta(days=1)


@pytest.mark.parametrize(("clear_days", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_clear_days_are_a_whole_number(clear_days, error: type[Exception]) -> None:
    with pytest.raises(error):
        last_day_with_clear_days(date(2024, 1, 1), clear_days=clear_days)


def test_no_clear_day_is_the_day_before() -> None:
    assert last_day_with_clear_days(date(2024, 1, 1), clear_days=0) == date(2023, 12, 31)
