"""Tokyo Stock Exchange trading days: docs/domain.md §4.

Within the range that exchange-calendars' XTKS calendar covers, its sessions are the answer. Its
holiday tables stop (the equinoxes are listed one by one up to 2040), yet exercise periods and legal
deadlines run 30 years, so outside that range the rule is rebuilt from ``jpholiday``: weekdays that
are not national holidays and not 31 Dec or 1-3 Jan. Staff overrides (a database table on the Django
side, passed in as a mapping) win over everything. Settlement (T+3, then T+2 from 2019-07-16) gives
the ex-rights date, from which prices are quoted on a split's new basis.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import jpholiday

from grants.domain.dates import add_days

__all__ = [
    "ONE_OFF_CLOSURES",
    "T_PLUS_2_FROM",
    "Overrides",
    "ex_rights_date",
    "is_business_day",
    "is_trading_day",
    "next_trading_day",
    "previous_trading_day",
    "settlement_date",
    "trading_days_between",
    "xtks_coverage",
]

Overrides = Mapping[date, bool]
"""date -> True (open) / False (closed), maintained by staff; wins over every rule."""

# Full-day closures no holiday rule predicts. XTKS already lists 2020-10-01 (the arrowhead
# system failure, "EquityTradingSystemFailure"); it is repeated here so the answer does not
# depend on the library version, and so new outages have an obvious home in code.
ONE_OFF_CLOSURES: frozenset[date] = frozenset({date(2020, 10, 1)})

# JPX shortened settlement of share trades from three trading days to two for trades from this day on.
T_PLUS_2_FROM = date(2019, 7, 16)


@dataclass(frozen=True)
class XtksCoverage:
    """The sessions of the XTKS calendar and the first/last session it can vouch for."""

    first_session: date
    last_session: date
    sessions: frozenset[date]


@functools.cache
def xtks_coverage() -> XtksCoverage:
    """Build the XTKS calendar once per process (it takes about half a second) and keep its sessions.

    ``get_calendar("XTKS")`` defaults to one year ahead of today, so the end is asked for
    explicitly: 31 Dec of the year of the last ad hoc holiday it knows (the equinox tables), which
    is the last day its holiday data is complete. Its ``last_session`` then marks where the
    fallback rule takes over.
    """
    import exchange_calendars  # slow import: only paid on first use
    import pandas as pd

    with warnings.catch_warnings():
        # exchange-calendars 4.13 trips a pandas deprecation warning inside its own code; it is
        # not ours to fix and would otherwise be printed by every process on first use.
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray", module="pandas")
        probe = exchange_calendars.get_calendar("XTKS")
        last_listed_holiday = max(pd.Timestamp(d) for d in probe.adhoc_holidays)
        calendar = exchange_calendars.get_calendar(
            "XTKS",
            start=probe.bound_min(),
            end=pd.Timestamp(year=last_listed_holiday.year, month=12, day=31),
        )
    return XtksCoverage(
        first_session=calendar.first_session.date(),
        last_session=calendar.last_session.date(),
        sessions=frozenset(ts.date() for ts in calendar.sessions),
    )


def _is_new_year_closure(d: date) -> bool:
    # TSE year-end/new-year holidays: 31 Dec and 1-3 Jan (not national holidays).
    return (d.month == 12 and d.day == 31) or (d.month == 1 and d.day <= 3)


def _rule_says_open(d: date) -> bool:
    """Fallback outside XTKS: weekday, not a national holiday, not 31 Dec - 3 Jan."""
    return d.weekday() < 5 and not jpholiday.is_holiday(d) and not _is_new_year_closure(d)


def is_trading_day(d: date, overrides: Overrides | None = None) -> bool:
    """Whether the TSE is open on ``d`` for a full day: docs/domain.md §4."""
    if isinstance(d, datetime):
        # A datetime never equals a date, so it would silently read as "closed".
        raise TypeError("pass a date, not a datetime")
    if overrides is not None and d in overrides:
        return bool(overrides[d])
    if d in ONE_OFF_CLOSURES:
        return False
    coverage = xtks_coverage()
    if coverage.first_session <= d <= coverage.last_session:
        return d in coverage.sessions
    return _rule_says_open(d)


def is_business_day(d: date, overrides: Overrides | None = None) -> bool:
    """Company business day for legal deadlines: the same rule as a TSE trading day.

    Weekends, national holidays and 31 Dec - 3 Jan are off (docs/domain.md §4). It is a separate name,
    not an alias, because the windows module counts deadlines in business days and should not
    change meaning silently if the trading-day rule ever diverges (e.g. a market-only outage).
    """
    return is_trading_day(d, overrides)


def next_trading_day(d: date, overrides: Overrides | None = None) -> date:
    """The first trading day strictly after ``d``."""
    candidate = add_days(d, 1)
    while not is_trading_day(candidate, overrides):
        candidate = add_days(candidate, 1)
    return candidate


def previous_trading_day(d: date, overrides: Overrides | None = None) -> date:
    """The last trading day strictly before ``d``."""
    candidate = add_days(d, -1)
    while not is_trading_day(candidate, overrides):
        candidate = add_days(candidate, -1)
    return candidate


def trading_days_between(start: date, end: date, overrides: Overrides | None = None) -> list[date]:
    """Trading days from ``start`` to ``end``, both included, in order."""
    if start > end:
        raise ValueError(f"start {start.isoformat()} is after end {end.isoformat()}")
    days = []
    d = start
    while d <= end:
        if is_trading_day(d, overrides):
            days.append(d)
        d = add_days(d, 1)
    return days


def settlement_date(trade_day: date, overrides: Overrides | None = None) -> date:
    """The day a share trade on ``trade_day`` settles: three trading days later for trades before
    2019-07-16 (T+3), two from then on (T+2)."""
    settles = trade_day
    for _ in range(3 if trade_day < T_PLUS_2_FROM else 2):
        settles = next_trading_day(settles, overrides)
    return settles


def ex_rights_date(record_date: date, overrides: Overrides | None = None) -> date:
    """The ex-rights date (権利落日) for a record date: the first trading day whose trades settle after it.

    A buyer on that day is not on the register at the record date, so from that day the share is
    quoted on the new basis after a split or consolidation. The record date may be a day off: record
    date Sunday 2012-09-30 (T+3) -> Wednesday 2012-09-26; record date 2020-03-31 (T+2) -> 2020-03-30.
    """
    # The last trading day on or before the record date always settles after it; walk back while
    # the trading day before it does too (at most three steps).
    if is_trading_day(record_date, overrides):
        ex_rights = record_date
    else:
        ex_rights = previous_trading_day(record_date, overrides)
    while True:
        earlier = previous_trading_day(ex_rights, overrides)
        if settlement_date(earlier, overrides) <= record_date:
            return ex_rights
        ex_rights = earlier
