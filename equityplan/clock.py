"""The one seam for 'now' and 'today', so tests pass explicit dates instead of freezing the clock."""

from datetime import date

from django.utils import timezone


def today() -> date:
    """Today's date in Tokyo (settings.TIME_ZONE), the calendar the terms are written in."""
    return timezone.localdate()
