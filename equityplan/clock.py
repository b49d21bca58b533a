"""The one seam for 'now' and 'today', so tests pass explicit dates instead of freezing the clock."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def today() -> date:
    """Today's date in Tokyo (settings.TIME_ZONE), the calendar the terms are written in."""
    return timezone.localdate()


def check_not_future(**days: date | None) -> None:
    """Refuse an event dated after today: a death, a position, a payment or a resolution is recorded
    once it has happened, never ahead of it.

    Keyword arguments name the fields (``died_on=...``, ``resolution_date=...``); ``None`` is skipped.
    Every field dated after today gets an error with code ``future``, so a form shows it on its field.
    """
    now = today()
    errors = {
        field: ValidationError(
            _("%(date)s is after today (%(today)s): only what has already happened can be recorded.")
            % {"date": day.isoformat(), "today": now.isoformat()},
            code="future",
        )
        for field, day in days.items()
        if day is not None and day > now
    }
    if errors:
        raise ValidationError(errors)
