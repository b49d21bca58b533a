"""The last days for the notices before an allotment: Art 240(2) and Art 243(3).

Pure date arithmetic: no Django, no clock (docs/domain.md §2.11).
"""

from __future__ import annotations

from datetime import date

from grants.domain.dates import add_days

# Art 240(2): "no later than two weeks before the allotment date".
SHAREHOLDERS_NOTICE_CLEAR_DAYS = 14


def last_day_with_clear_days(event_day: date, *, clear_days: int) -> date:
    """The last day on which something may be done with ``clear_days`` whole days before ``event_day``.

    Neither the day of the act nor the event day is counted (Civil Code Art 140 for the first; the
    event day is the end, not part, of the period): two clear weeks before 11 July 2013 leave 27 June
    to 10 July between them, so the last day is 26 June, ``event_day - (clear_days + 1)``.
    """
    if not isinstance(clear_days, int) or isinstance(clear_days, bool):
        raise TypeError("clear_days is a whole number of days")
    if clear_days < 0:
        raise ValueError("clear_days cannot be negative")
    return add_days(event_day, -(clear_days + 1))


def shareholders_notice_last_day(allotment_date: date) -> date:
    """Art 240(2): the last day for the notice to shareholders, two clear weeks before the allotment.

    Allotment on 11 July 2013: 26 June 2013 (docs/domain.md reading R10).
    """
    return last_day_with_clear_days(allotment_date, clear_days=SHAREHOLDERS_NOTICE_CLEAR_DAYS)


def allottee_notice_last_day(allotment_date: date) -> date:
    """Art 243(3): the notice to each allottee is due by the day before the allotment date."""
    return add_days(allotment_date, -1)
