"""The expense schedule: spread by days, exact sums, true-up, acceleration, and J-GAAP vs IFRS."""

from datetime import date

import pytest

from accounting.domain.periods import Period, fiscal_year_containing, quarters_between, quarters_of
from accounting.domain.schedule import (
    EXERCISED,
    IFRS,
    JGAAP,
    LAPSED,
    RightsChange,
    Tranche,
    expense_schedule,
)

GRANT = date(2013, 7, 11)
SEED = Tranche(135, GRANT, date(2014, 6, 30))


def quarters(first=GRANT, last=date(2016, 3, 31)):
    return quarters_between(first, last, end_month=3)


def by_year(rows):
    years: dict[date, int] = {}
    for row in rows:
        end = fiscal_year_containing(row.period.end, end_month=3).end
        years[end] = years.get(end, 0) + row.expense_yen
    return years


def test_seed_series_two_fiscal_years_add_up_to_the_grant():
    rows = expense_schedule(
        standard=JGAAP,
        fair_value_per_right_yen=251_401,
        granted_on=GRANT,
        tranches=[SEED],
        changes=[],
        periods=quarters(),
    )
    total = 251_401 * 135
    years = by_year(rows)
    assert sum(years.values()) == total
    assert years[date(2014, 3, 31)] + years[date(2015, 3, 31)] == total
    assert years[date(2016, 3, 31)] == 0
    assert all(r.expense_yen >= 0 for r in rows)
    # 264 of 355 days fall in the year ending March 2014
    assert abs(years[date(2014, 3, 31)] - total * 264 / 355) < 4


def test_three_fiscal_years_and_a_one_day_period():
    tranche = Tranche(7, date(2014, 3, 31), date(2016, 4, 1))
    rows = expense_schedule(
        standard=JGAAP,
        fair_value_per_right_yen=1_001,
        granted_on=date(2014, 3, 31),
        tranches=[tranche],
        changes=[],
        periods=quarters(date(2014, 3, 31), date(2017, 3, 31)),
    )
    years = by_year(rows)
    assert sum(years.values()) == 7_007
    assert years[date(2014, 3, 31)] > 0  # the one day in the first year earns its share
    assert len([y for y in years.values() if y > 0]) == 4
    assert rows[-1].cumulative_expense_yen == 7_007


def test_past_service_is_expensed_at_the_allotment():
    rows = expense_schedule(
        standard=JGAAP,
        fair_value_per_right_yen=100,
        granted_on=GRANT,
        tranches=[Tranche(10, None, None)],
        changes=[],
        periods=quarters(),
    )
    assert rows[0].expense_yen == 1_000 and sum(r.expense_yen for r in rows) == 1_000


def test_forfeiture_estimate_is_trued_up_at_vesting():
    # 10 rights, 2 expected to be forfeited; none is: the last period catches up the 2
    tranche = Tranche(10, date(2014, 4, 1), date(2015, 3, 31))
    year = fiscal_year_containing(date(2014, 4, 1), end_month=3)
    rows = expense_schedule(
        standard=JGAAP,
        fair_value_per_right_yen=365,
        granted_on=date(2014, 4, 1),
        tranches=[tranche],
        changes=[],
        periods=quarters_of(year),
        estimated_forfeitures=2,
    )
    assert rows[2].cumulative_expense_yen == 2_200  # 275 of 365 days on the estimate of 8 (not 2_750)
    assert rows[-1].cumulative_expense_yen == 3_650  # trued up to the 10 that vested


def test_forfeiture_before_vesting_reverses_what_was_expensed():
    rows = expense_schedule(
        standard=JGAAP,
        fair_value_per_right_yen=1_000,
        granted_on=GRANT,
        tranches=[SEED],
        changes=[RightsChange(date(2014, 1, 15), LAPSED, 100)],
        periods=quarters(),
    )
    assert rows[-1].cumulative_expense_yen == 35 * 1_000
    assert min(r.expense_yen for r in rows) < 0  # the quarter of the forfeiture reverses
    assert sum(r.lapse_gain_yen for r in rows) == 0


def test_exercise_before_vesting_recognises_the_rest_at_once():
    rows = expense_schedule(
        standard=JGAAP,
        fair_value_per_right_yen=251_401,
        granted_on=GRANT,
        tranches=[SEED],
        changes=[RightsChange(date(2013, 7, 24), EXERCISED, 2)],
        periods=quarters(),
    )
    first = rows[0]  # the quarter ending 2013-09-30 holds the exercise
    assert first.period.end == date(2013, 9, 30)
    assert first.accelerated_yen == 2 * 251_401
    assert first.cumulative_expense_yen >= 2 * 251_401
    assert rows[-1].cumulative_expense_yen == 135 * 251_401


def test_lapse_after_vesting_jgaap_gain_ifrs_transfer_within_equity():
    kwargs = dict(
        fair_value_per_right_yen=251_401,
        granted_on=GRANT,
        tranches=[SEED],
        changes=[RightsChange(date(2014, 8, 11), LAPSED, 4)],
        periods=quarters(),
    )
    jgaap = expense_schedule(standard=JGAAP, **kwargs)
    ifrs = expense_schedule(standard=IFRS, **kwargs)
    assert [r.expense_yen for r in jgaap] == [r.expense_yen for r in ifrs]
    assert sum(r.lapse_gain_yen for r in jgaap) == 4 * 251_401
    assert sum(r.equity_transfer_yen for r in jgaap) == 0
    assert sum(r.lapse_gain_yen for r in ifrs) == 0
    assert sum(r.equity_transfer_yen for r in ifrs) == 4 * 251_401


def test_graded_vesting_ifrs_front_loads_jgaap_spreads_as_one():
    tranches = [
        Tranche(50, date(2014, 4, 1), date(2015, 3, 31)),
        Tranche(50, date(2014, 4, 1), date(2016, 3, 31)),
    ]
    periods = quarters(date(2014, 4, 1), date(2016, 3, 31))
    common = dict(
        fair_value_per_right_yen=730,
        granted_on=date(2014, 4, 1),
        tranches=tranches,
        changes=[],
        periods=periods,
    )
    ifrs, jgaap = (
        by_year(expense_schedule(standard=IFRS, **common)),
        by_year(expense_schedule(standard=JGAAP, **common)),
    )
    assert sum(ifrs.values()) == sum(jgaap.values()) == 73_000
    assert ifrs[date(2015, 3, 31)] > jgaap[date(2015, 3, 31)]


def test_refuses_an_unknown_standard():
    with pytest.raises(ValueError):
        expense_schedule(
            standard="usgaap",
            fair_value_per_right_yen=1,
            granted_on=GRANT,
            tranches=[SEED],
            changes=[],
            periods=[Period(GRANT, GRANT)],
        )
