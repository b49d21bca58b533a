"""Exercise windows after a holder's departure or death, counted under Civil Code Arts 140-143.

Pure date arithmetic: no Django, no clock. Every window is an inclusive ``(first_day, last_day)`` pair;
``None`` means the window holds no day at all (see each function).

Counting rules (docs/domain.md §6):

* Civil Code Art 140: a period counted from an event that happens during a day starts on the next day.
* Civil Code Art 141: a period ends at the end of its last day.
* Civil Code Art 143: a period in months follows the calendar and ends on the day before the day of the
  last month that corresponds to the starting day; where that month has no such day, it ends on the last
  day of that month.
* Civil Code Art 142 moves a last day that is a day off to the next day; issuers' terms sometimes say
  "next business day", "previous business day" or "no shift" instead: a per-series :class:`DayShift`,
  whose ``TERMS_SILENT`` records that the terms say nothing, so Art 142 applies (docs/domain.md
  reading R3).
"""

from __future__ import annotations

import calendar as _gregorian
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from grants.domain.dates import DateOutOfRange, add_days

BusinessDayRule = Callable[[date], bool]

# No calendar has a run of days off this long; hitting it means the business-day rule is broken.
_MAX_SHIFT_DAYS = 366


class DayShift(StrEnum):
    """How a last day that is not a business day moves (per series; Civil Code Art 142 by default).

    ``TERMS_SILENT``: the terms say nothing, so Civil Code Art 142 moves the end to the next day that
    is not a day off, by the same business-day rule as ``NEXT_BUSINESS_DAY`` (docs/domain.md §6.4,
    reading R3). The other three are what the terms say in so many words.
    """

    TERMS_SILENT = "terms_silent"
    NONE = "none"
    NEXT_BUSINESS_DAY = "next_business_day"
    PREVIOUS_BUSINESS_DAY = "previous_business_day"


def civil_code_period_end(start_event_day: date, *, months: int = 0, days: int = 0) -> date:
    """Last day of a period counted from an event on ``start_event_day``: Civil Code Arts 140-143.

    Counting starts the day after the event (Art 140). A period in days ends on its last day
    (Art 141): ``days=10`` from 30 June ends on 10 July. A period in months ends on the day before the
    corresponding day of the last month, or on that month's last day when it has no corresponding day
    (Art 143(2)): ``months=6`` from 30 August (counting starts 31 August) ends on the last day of
    February. Where both are given, the months are counted first and the days run on from the end of
    the months.

    No business-day shift is applied here: see :func:`shift_deadline`.
    """
    for value in (months, days):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("months and days are whole numbers")
    if months < 0 or days < 0:
        raise ValueError("a period cannot be negative")
    if months == 0 and days == 0:
        raise ValueError("a period needs a number of months or days")

    first_day = add_days(start_event_day, 1)  # Art 140: the first day is not counted
    end = start_event_day  # a zero-month period "ends" the day before counting starts
    if months:
        month_index = first_day.month - 1 + months
        year = first_day.year + month_index // 12
        month = month_index % 12 + 1
        if year > 9999:
            raise DateOutOfRange(start_event_day, f" (+{months} months)")
        month_length = _gregorian.monthrange(year, month)[1]
        if first_day.day <= month_length:
            # Art 143(2): the day before the corresponding day of the last month.
            end = add_days(date(year, month, first_day.day), -1)
        else:
            # Art 143(2) proviso: no corresponding day, so the last day of that month.
            end = date(year, month, month_length)
    return add_days(end, days)


def _business_day_rule(is_business_day: BusinessDayRule | None) -> BusinessDayRule:
    if is_business_day is not None:
        return is_business_day
    # Imported here so the window arithmetic does not depend on the holiday tables unless it shifts.
    from grants.domain.calendar import is_business_day as default_rule

    return default_rule


def shift_deadline(
    last_day: date, shift: DayShift | str, is_business_day: BusinessDayRule | None = None
) -> date:
    """Move a last day that is not a business day, as the series' terms say (Civil Code Art 142).

    ``DayShift.NONE`` keeps the day as it is; ``NEXT_BUSINESS_DAY`` moves it forward and
    ``PREVIOUS_BUSINESS_DAY`` back to the nearest business day; ``TERMS_SILENT`` moves it forward as
    Civil Code Art 142 does (the same rule as ``NEXT_BUSINESS_DAY``). A business day stays put.
    ``is_business_day`` defaults to :func:`grants.domain.calendar.is_business_day`.
    """
    shift = DayShift(shift)
    if shift is DayShift.NONE:
        return last_day
    rule = _business_day_rule(is_business_day)
    step = -1 if shift is DayShift.PREVIOUS_BUSINESS_DAY else 1
    day = last_day
    for _ in range(_MAX_SHIFT_DAYS):
        if rule(day):
            return day
        day = add_days(day, step)
    raise ValueError(f"no business day within {_MAX_SHIFT_DAYS} days of {last_day.isoformat()}")


def departure_window(
    lost_position_on: date,
    *,
    days: int = 10,
    shift: DayShift | str = DayShift.TERMS_SILENT,
    is_business_day: BusinessDayRule | None = None,
) -> tuple[date, date] | None:
    """Window in which a holder who lost office may exercise: notice (11)2.

    "only within ten (10) days from the day following the day the person loses his or her position":
    day 1 is the day after the loss (Civil Code Art 140), so a loss on 30 June gives 1-10 July. Only
    the last day is shifted, per ``shift``.

    Returns ``None`` when the window holds no day: this happens only when ``PREVIOUS_BUSINESS_DAY``
    moves the last day before the first (every day of the window is a day off, as in the ten-day
    Golden Week of 27 April - 6 May 2019). The caller intersects the result with the exercise period
    (notice (5)); this function does not know it.
    """
    first_day = add_days(lost_position_on, 1)
    last_day = shift_deadline(civil_code_period_end(lost_position_on, days=days), shift, is_business_day)
    if last_day < first_day:
        return None
    return first_day, last_day


def heir_window(
    succeeded_on: date,
    *,
    months: int = 6,
    period_end: date,
    shift: DayShift | str = DayShift.TERMS_SILENT,
    is_business_day: BusinessDayRule | None = None,
) -> tuple[date, date] | None:
    """Window in which the one heir who succeeded a deceased holder may exercise: notice (11)3.

    "only within six (6) months after inheriting": counting starts the day after succession (Civil
    Code Art 140) and ends under Art 143 (succeeded 10 January -> 11 January to 10 July; succeeded
    30 August -> 31 August to the last day of February). The last day is shifted per ``shift`` and
    then capped at ``period_end``, the last day of the exercise period (notice (5)), so a shift never
    carries the window past it.

    Returns ``None`` when no day of the window lies within the exercise period (succession on or after
    ``period_end``). The start of the exercise period is the caller's to apply.
    """
    first_day = add_days(succeeded_on, 1)
    last_day = shift_deadline(civil_code_period_end(succeeded_on, months=months), shift, is_business_day)
    last_day = min(last_day, period_end)
    if last_day < first_day:
        return None
    return first_day, last_day


@dataclass(frozen=True)
class OfficeSpan:
    """A continuous time in office at one company: ``ended_on`` None while held."""

    started_on: date
    ended_on: date | None
    ended_by_death: bool = False


def office_spans(positions: Iterable[tuple[date, date | None, bool]]) -> list[OfficeSpan]:
    """Positions ``(started_on, ended_on, ended_by_death)`` merged into continuous spans of office.

    Moving from director to executive officer without a day between is no loss of office (11)2: a
    position starting on or before the day after another ends continues the same span.
    """
    spans: list[OfficeSpan] = []
    for started, ended, by_death in sorted(positions, key=lambda p: (p[0], p[1] or date.max)):
        last = spans[-1] if spans else None
        if last is not None and (last.ended_on is None or started <= last.ended_on + timedelta(days=1)):
            if last.ended_on is None or ended is None:
                spans[-1] = OfficeSpan(last.started_on, None)
            elif ended > last.ended_on:
                spans[-1] = OfficeSpan(last.started_on, ended, by_death)
            continue
        spans.append(OfficeSpan(started, ended, by_death))
    return spans


@dataclass(frozen=True)
class DepartureOutcome:
    """What (11)2 makes of a holder's whole history of office at the issuer.

    ``state``: "in_office" (no window yet), "departed" (``window`` is the one in which the rights may
    be exercised; after it they are extinguished, Art 287; None when it held no day), "died_in_office"
    (the loss by death opens no window: the heir's (11)3 applies) or "never" (no office at the issuer
    since the allotment: no condition of office applies, e.g. a transferee).
    """

    state: str
    lost_on: date | None = None
    window: tuple[date, date] | None = None


def departure_outcome(
    spans: Sequence[OfficeSpan],
    *,
    since: date,
    days: int = 10,
    shift: DayShift | str = DayShift.TERMS_SILENT,
    is_business_day: BusinessDayRule | None = None,
) -> DepartureOutcome:
    """The first loss of office since ``since`` (the allotment date) that was not undone in time.

    A window that runs out extinguishes the rights then (Art 287), whatever happens later: a
    re-appointment or a death after the window's last day changes nothing. A re-appointment on or
    before that last day undoes the loss, and the next loss opens a new window (docs/domain.md,
    "Readings we chose").
    """
    relevant = [s for s in spans if s.ended_on is None or s.ended_on >= since]
    if not relevant:
        return DepartureOutcome("never")
    for i, span in enumerate(relevant):
        if span.ended_on is None:
            return DepartureOutcome("in_office")
        if span.ended_by_death:
            return DepartureOutcome("died_in_office", lost_on=span.ended_on)
        window = departure_window(span.ended_on, days=days, shift=shift, is_business_day=is_business_day)
        deadline = window[1] if window is not None else span.ended_on
        following = relevant[i + 1] if i + 1 < len(relevant) else None
        if following is not None and following.started_on <= deadline:
            continue  # re-appointed before the window ran out: the loss is undone
        return DepartureOutcome("departed", lost_on=span.ended_on, window=window)
    raise AssertionError("the spans end in one of the states above")  # the loop always returns
