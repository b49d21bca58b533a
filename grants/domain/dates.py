"""Date arithmetic that refuses instead of overflowing (docs/domain.md R51).

``date`` covers years 1 to 9999; a day computed from a day near either end (the next day, a window,
T years back) raises ``OverflowError`` or a bare ``ValueError``. Here both become ``DateOutOfRange``,
a ``ValueError`` naming the day, which the services turn into a refusal of the field.
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["DateOutOfRange", "add_days", "add_years"]


class DateOutOfRange(ValueError):
    def __init__(self, day: date, detail: str = ""):
        self.day = day
        super().__init__(f"{day.isoformat()} is too far from today to compute with{detail}")


def add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise DateOutOfRange(day, f" ({days:+d} days)") from None


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (earlier when negative); 29 February becomes 28 February."""
    year = day.year + years
    if not 1 <= year <= 9999:
        raise DateOutOfRange(day, f" ({years:+d} years)")
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
