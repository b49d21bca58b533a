"""Staff's overrides of the trading calendar, each change on the trail.

An override is staff's word on whether the Tokyo Stock Exchange is open on a day (a one-off closure
such as the full-day outage of 1 Oct 2020, or a holiday beyond the calendar tables); it wins over
every calendar rule. It moves valuation inputs (the next trading day's base price, the weekly
closes, the ex-rights date of a split) and legal deadlines counted in business days, so each change
writes one ledger event with the day as it was before and after.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grants import events
from valuations.models import CalendarOverride

__all__ = ["calendar_override_delete", "calendar_override_set"]


def _state(override: CalendarOverride | None) -> dict | None:
    if override is None:
        return None
    return {"is_open": override.is_trading_day, "note": override.reason}


def _record(*, day: date, before: dict | None, after: dict | None, actor: User) -> None:
    events.event_calendar_changed(day=day, before=before, after=after, actor=actor)


@transaction.atomic
def calendar_override_set(*, day: date, is_open: bool, note: str, actor: User) -> CalendarOverride:
    """Say whether the exchange is open on ``day``, with the reason; replaces staff's earlier word on
    that day. Saying the same again changes nothing and writes nothing."""
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    before = _state(override)
    if override is None:
        override = CalendarOverride(date=day)
    override.is_trading_day = is_open
    override.reason = note.strip()
    after = _state(override)
    if after == before:
        return override
    override.full_clean()
    try:
        with transaction.atomic():
            if before is None:
                override.save()
            else:
                override.save(update_fields=["is_trading_day", "reason"])
    except IntegrityError as exc:  # another override of the same day was added at the same time
        raise ValidationError(
            _("The calendar for %(date)s was changed at the same time; try again.")
            % {"date": day.isoformat()},
            code="concurrent",
        ) from exc
    _record(day=day, before=before, after=after, actor=actor)
    return override


@transaction.atomic
def calendar_override_delete(*, day: date, actor: User) -> None:
    """Withdraw staff's word on ``day``: the calendar rules decide again. Nothing to withdraw writes
    nothing."""
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    if override is None:
        return
    before = _state(override)
    override.delete()
    _record(day=day, before=before, after=None, actor=actor)
