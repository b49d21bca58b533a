"""Largest remainder: whole yen, never negative, always the exact total (docs/domain.md reading R27)."""

from datetime import date

import pytest

from accounting.domain.allocation import largest_remainder
from accounting.domain.periods import (
    Period,
    fiscal_year_containing,
    fiscal_year_ending,
    quarters_between,
    quarters_of,
)


@pytest.mark.parametrize(
    "total,weights,expected",
    [
        (10, [1, 1, 1], [4, 3, 3]),  # the tie goes to the earlier period
        (1, [1, 1], [1, 0]),
        (0, [3, 4], [0, 0]),
        (7, [0, 5, 0], [0, 7, 0]),
        (100, [1, 2], [33, 67]),
        (33_939_135, [264, 91], [25_239_244, 8_699_891]),
    ],
)
def test_the_shares_add_up_exactly(total, weights, expected):
    shares = largest_remainder(total, weights)
    assert shares == expected
    assert sum(shares) == total
    assert all(s >= 0 for s in shares)


def test_odd_totals_over_many_periods_always_add_up():
    for total in (1, 3, 999, 1_000_003, 7_777_777):
        for weights in ([1] * 7, [31, 28, 31, 30], [1, 365, 1], [2, 3, 5, 7, 11]):
            shares = largest_remainder(total, weights)
            assert sum(shares) == total and min(shares) >= 0
            whole = sum(weights)
            # no share is more than one yen from its exact proportion
            assert all(abs(s * whole - total * w) < whole for s, w in zip(shares, weights, strict=True))


def test_refuses_floats_and_negative_totals():
    with pytest.raises(TypeError):
        largest_remainder(10.0, [1])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        largest_remainder(-1, [1])


def test_one_day_period_gets_its_day():
    q = Period(date(2014, 3, 31), date(2014, 3, 31))
    assert q.days_within(date(2014, 3, 31), date(2014, 6, 30)) == 1
    assert largest_remainder(92, [1, 91]) == [1, 91]


def test_a_leap_year_has_366_days_of_service():
    year = fiscal_year_ending(date(2016, 3, 31), end_month=3)
    assert year == Period(date(2015, 4, 1), date(2016, 3, 31))
    assert year.days_within(date(2015, 4, 1), date(2016, 3, 31)) == 366
    assert fiscal_year_ending(date(2024, 2, 29), end_month=2).start == date(2023, 3, 1)


def test_fiscal_years_and_quarters():
    assert fiscal_year_containing(date(2013, 7, 11), end_month=3) == Period(
        date(2013, 4, 1), date(2014, 3, 31)
    )
    assert fiscal_year_containing(date(2013, 12, 31), end_month=12) == Period(
        date(2013, 1, 1), date(2013, 12, 31)
    )
    quarters = quarters_of(fiscal_year_containing(date(2013, 7, 11), end_month=3))
    assert [q.end for q in quarters] == [
        date(2013, 6, 30),
        date(2013, 9, 30),
        date(2013, 12, 31),
        date(2014, 3, 31),
    ]
    spanned = quarters_between(date(2013, 7, 11), date(2014, 6, 30), end_month=3)
    assert spanned[0].start == date(2013, 7, 1) and spanned[-1].end == date(2014, 6, 30)
    with pytest.raises(ValueError):
        fiscal_year_ending(date(2014, 3, 30), end_month=3)
