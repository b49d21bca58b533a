"""Tokyo Stock Exchange trading days: docs/domain.md §4."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import exchange_calendars
import pandas as pd
import pytest

from grants.domain.calendar import (
    ONE_OFF_CLOSURES,
    ex_rights_date,
    is_business_day,
    is_trading_day,
    next_trading_day,
    previous_trading_day,
    settlement_date,
    trading_days_between,
    xtks_coverage,
)


@pytest.mark.parametrize(
    ("day", "open_", "why"),
    [
        (date(2013, 7, 11), True, "seed allotment date, a Thursday"),
        (date(2013, 7, 13), False, "Saturday"),
        (date(2013, 7, 14), False, "Sunday"),
        (date(2013, 7, 15), False, "Marine Day"),
        (date(2020, 10, 1), False, "full-day system outage"),
        (date(2020, 10, 2), True, "the day after the outage"),
        (date(2019, 12, 31), False, "31 Dec, a Tuesday"),
        (date(2020, 1, 2), False, "2 Jan, a Thursday"),
        (date(2020, 1, 3), False, "3 Jan, a Friday"),
        (date(2020, 1, 6), True, "first session of 2020"),
        (date(2019, 5, 1), False, "enthronement holiday (2019 only)"),
        (date(2040, 12, 28), True, "last XTKS session"),
        # Beyond XTKS: the jpholiday fallback.
        (date(2041, 1, 4), True, "first weekday after the new-year closure, 2041"),
        (date(2043, 1, 1), False, "New Year's Day 2043, a Thursday"),
        (date(2043, 1, 2), False, "2 Jan 2043, a Friday"),
        (date(2043, 12, 31), False, "31 Dec 2043, a Thursday"),
        (date(2045, 5, 3), False, "Constitution Memorial Day 2045, a Wednesday"),
        (date(2045, 5, 8), True, "Monday after Golden Week 2045"),
        (date(2041, 3, 20), False, "vernal equinox 2041, missing from XTKS's tables"),
        (date(2045, 5, 6), False, "Saturday"),
        # Before XTKS: the fallback too.
        (date(1996, 12, 31), False, "31 Dec 1996"),
        (date(1996, 1, 15), False, "Coming of Age Day 1996"),
        (date(1996, 1, 16), True, "a Tuesday in 1996"),
    ],
)
def test_is_trading_day(day, open_, why):
    assert is_trading_day(day) is open_, why


def test_coverage_is_read_from_the_calendar():
    coverage = xtks_coverage()
    assert coverage.first_session == date(1997, 1, 6)
    assert coverage.last_session == date(2040, 12, 28)
    assert xtks_coverage() is coverage  # built once per process


@pytest.mark.filterwarnings("ignore:Series.values returning an ndarray")
def test_xtks_already_knows_the_2020_outage():
    assert date(2020, 10, 1) in ONE_OFF_CLOSURES
    assert not exchange_calendars.get_calendar("XTKS", start="2020-09-01", end="2020-10-31").is_session(
        pd.Timestamp("2020-10-01")
    )


def test_fallback_rule_agrees_with_xtks_where_both_apply():
    """The jpholiday rule used beyond 2040 reproduces XTKS on 2000-2040, so the seam is clean."""
    from grants.domain.calendar import _rule_says_open

    coverage = xtks_coverage()
    day, disagreements = date(2000, 1, 1), []
    while day <= coverage.last_session:
        if (day in coverage.sessions) != (_rule_says_open(day) and day not in ONE_OFF_CLOSURES):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


@pytest.mark.parametrize(
    ("overrides", "day", "open_"),
    [
        ({date(2013, 7, 11): False}, date(2013, 7, 11), False),  # staff closes a session
        ({date(2013, 7, 13): True}, date(2013, 7, 13), True),  # and opens a Saturday
        ({date(2045, 5, 3): True}, date(2045, 5, 3), True),  # beyond XTKS too
        ({date(2020, 10, 1): True}, date(2020, 10, 1), True),  # even over a one-off closure
        ({date(2013, 7, 12): False}, date(2013, 7, 11), True),  # other days unaffected
    ],
)
def test_overrides_win(overrides, day, open_):
    assert is_trading_day(day, overrides) is open_
    assert is_business_day(day, overrides) is open_


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2013, 7, 11), date(2013, 7, 12)),
        (date(2013, 7, 12), date(2013, 7, 16)),  # Friday -> weekend and Marine Day
        (date(2019, 12, 30), date(2020, 1, 6)),  # across the year end
        (date(2020, 9, 30), date(2020, 10, 2)),  # over the outage
        (date(2040, 12, 28), date(2041, 1, 4)),  # from XTKS into the fallback
        (date(2042, 12, 30), date(2043, 1, 5)),
    ],
)
def test_next_trading_day(day, expected):
    assert next_trading_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2013, 7, 12), date(2013, 7, 11)),
        (date(2013, 7, 16), date(2013, 7, 12)),
        (date(2020, 1, 6), date(2019, 12, 30)),  # across the year end
        (date(2020, 10, 2), date(2020, 9, 30)),
        (date(2041, 1, 4), date(2040, 12, 28)),
        (date(2043, 1, 5), date(2042, 12, 30)),
    ],
)
def test_previous_trading_day(day, expected):
    assert previous_trading_day(day) == expected


def test_next_and_previous_respect_overrides():
    overrides = {date(2013, 7, 12): False, date(2013, 7, 13): True}
    assert next_trading_day(date(2013, 7, 11), overrides) == date(2013, 7, 13)
    assert previous_trading_day(date(2013, 7, 16), overrides) == date(2013, 7, 13)


def test_trading_days_between_is_inclusive():
    assert trading_days_between(date(2019, 12, 27), date(2020, 1, 7)) == [
        date(2019, 12, 27),
        date(2019, 12, 30),
        date(2020, 1, 6),
        date(2020, 1, 7),
    ]
    assert trading_days_between(date(2013, 7, 13), date(2013, 7, 15)) == []
    assert trading_days_between(date(2013, 7, 11), date(2013, 7, 11)) == [date(2013, 7, 11)]


def test_trading_days_between_rejects_reversed_range():
    with pytest.raises(ValueError, match="after end"):
        trading_days_between(date(2013, 7, 12), date(2013, 7, 11))


def test_a_year_has_a_plausible_number_of_sessions():
    assert len(trading_days_between(date(2013, 1, 1), date(2013, 12, 31))) == 245
    assert 240 <= len(trading_days_between(date(2045, 1, 1), date(2045, 12, 31))) <= 250


def test_datetime_is_refused():
    with pytest.raises(TypeError, match="not a datetime"):
        is_trading_day(datetime(2013, 7, 11, 9, 0))


@pytest.mark.parametrize(
    ("trade_day", "settles", "why"),
    [
        (date(2012, 9, 25), date(2012, 9, 28), "T+3"),
        (date(2012, 9, 26), date(2012, 10, 1), "T+3 over a weekend"),
        (date(2019, 7, 11), date(2019, 7, 17), "T+3 over Marine Day, the last full T+3 cycle"),
        (date(2019, 7, 12), date(2019, 7, 18), "the last T+3 trade"),
        (date(2019, 7, 16), date(2019, 7, 18), "the first T+2 trade settles with the last T+3 one"),
        (date(2019, 7, 17), date(2019, 7, 19), "T+2"),
        (date(2019, 12, 27), date(2020, 1, 6), "T+2 over the new-year closure"),
    ],
)
def test_settlement_date(trade_day, settles, why):
    assert settlement_date(trade_day) == settles, why


@pytest.mark.parametrize(
    ("record_date", "ex_rights", "why"),
    [
        (date(2012, 9, 30), date(2012, 9, 26), "the seed's 1:200 split: record date a Sunday, T+3"),
        (date(2013, 3, 29), date(2013, 3, 27), "record date a Friday, T+3"),
        (date(2012, 12, 31), date(2012, 12, 26), "year end, T+3: 31 Dec is closed"),
        (date(2019, 7, 17), date(2019, 7, 12), "around the switch: 11 Jul (T+3) settles on the 17th"),
        (date(2019, 7, 18), date(2019, 7, 17), "around the switch: 12 and 16 Jul both settle on the 18th"),
        (date(2019, 7, 19), date(2019, 7, 18), "T+2 from the switch on"),
        (date(2019, 12, 31), date(2019, 12, 27), "year end, T+2: 31 Dec is closed"),
        (date(2020, 3, 31), date(2020, 3, 30), "T+2: one trading day before the record date"),
        (date(2020, 10, 2), date(2020, 9, 30), "over the full-day outage of 1 Oct 2020"),
    ],
)
def test_ex_rights_date(record_date, ex_rights, why):
    assert ex_rights_date(record_date) == ex_rights, why
    # the last cum-rights trade settles by the record date, the ex-rights one after it
    assert settlement_date(previous_trading_day(ex_rights)) <= record_date < settlement_date(ex_rights)


def test_ex_rights_date_respects_overrides():
    # Staff close Tuesday 2020-03-31: the trade of Friday 27 Mar then settles after the record date.
    assert ex_rights_date(date(2020, 3, 31), {date(2020, 3, 31): False}) == date(2020, 3, 27)
