"""Fiscal years and quarters: each ends on the last day of a month (docs/domain.md §7.2)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """An accounting period, both days inclusive."""

    start: date
    end: date

    def contains(self, on: date) -> bool:
        return self.start <= on <= self.end

    def days_within(self, first: date, last: date) -> int:
        """Days of ``first`` to ``last`` (inclusive) that fall in this period."""
        lo, hi = max(self.start, first), min(self.end, last)
        return (hi - lo).days + 1 if hi >= lo else 0


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def fiscal_year_containing(on: date, *, end_month: int) -> Period:
    """The fiscal year that ``on`` falls in, for a year ending on the last day of ``end_month``."""
    end_year = on.year if on.month <= end_month else on.year + 1
    end = month_end(end_year, end_month)
    start_year, start_month = _add_months(end_year, end_month, -11)
    return Period(date(start_year, start_month, 1), end)


def fiscal_year_ending(end: date, *, end_month: int) -> Period:
    """The fiscal year that ends on ``end``; ``end`` must be the last day of ``end_month``."""
    if end.month != end_month or end != month_end(end.year, end.month):
        raise ValueError(
            f"{end.isoformat()} is not the last day of a fiscal year ending in month {end_month}"
        )
    return fiscal_year_containing(end, end_month=end_month)


def quarters_of(year: Period) -> list[Period]:
    """The four quarters of a fiscal year, three months each."""
    rows = []
    start = year.start
    for _ in range(4):
        end_year, end_month = _add_months(start.year, start.month, 2)
        end = month_end(end_year, end_month)
        rows.append(Period(start, end))
        start = end + timedelta(days=1)
    return rows


def quarters_between(first: date, last: date, *, end_month: int) -> list[Period]:
    """Every fiscal quarter from the one holding ``first`` to the one holding ``last``."""
    rows: list[Period] = []
    year = fiscal_year_containing(first, end_month=end_month)
    while year.start <= last:
        rows.extend(q for q in quarters_of(year) if q.end >= first and q.start <= last)
        year = fiscal_year_containing(year.end + timedelta(days=1), end_month=end_month)
    return rows
