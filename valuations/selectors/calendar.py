"""The trading calendar as staff have overridden it."""

from __future__ import annotations

from datetime import date

from valuations.models import CalendarOverride


def calendar_overrides() -> dict[date, bool]:
    """Staff's calendar overrides as the mapping grants.domain.calendar takes: date -> open."""
    return dict(CalendarOverride.objects.values_list("date", "is_trading_day"))
