"""The note's movements of rights in a fiscal year, before and after vesting (ASBJ Statement No. 8
para 16(3), docs/domain.md §7.3). Counted in rights; the caller turns them into shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .periods import Period
from .schedule import EXERCISED, RightsChange


@dataclass(frozen=True)
class Movements:
    unvested_open: int
    granted: int
    forfeited: int
    vested: int
    unvested_close: int
    vested_open: int
    exercised: int
    lapsed: int
    unexercised_close: int

    @property
    def outstanding_open(self) -> int:
        return self.unvested_open + self.vested_open

    @property
    def outstanding_close(self) -> int:
        return self.unvested_close + self.unexercised_close

    def scaled(self, factor: int) -> Movements:
        return Movements(*(getattr(self, f) * factor for f in self.__dataclass_fields__))


def movements(
    *, granted_on: date, granted: int, vest_on: date, changes: Sequence[RightsChange], year: Period
) -> Movements:
    """``vest_on``: the last day of the service period (the allotment date for past service).

    An exercise before vesting counts as vesting and exercise the same day (reading R31).
    """

    def total(kind_filter, lo: date | None, hi: date) -> int:
        return sum(c.rights for c in changes if kind_filter(c) and (lo is None or c.on >= lo) and c.on <= hi)

    pre_exercise = lambda c: c.kind == EXERCISED and c.on <= vest_on  # noqa: E731
    pre_other = lambda c: c.kind != EXERCISED and c.on <= vest_on  # noqa: E731
    post_other = lambda c: c.kind != EXERCISED and c.on > vest_on  # noqa: E731
    any_exercise = lambda c: c.kind == EXERCISED  # noqa: E731
    day_before = date.fromordinal(year.start.toordinal() - 1)

    granted_before = granted if granted_on < year.start else 0
    granted_in = granted if year.contains(granted_on) else 0
    if vest_on < year.start:
        unvested_open = 0
    else:
        unvested_open = (
            granted_before - total(pre_exercise, None, day_before) - total(pre_other, None, day_before)
        )
    forfeited = total(pre_other, year.start, year.end)
    pre_exercised_in = total(pre_exercise, year.start, year.end)
    if vest_on > year.end:
        vested = pre_exercised_in
        unvested_close = unvested_open + granted_in - forfeited - pre_exercised_in
    elif vest_on >= year.start:  # the rights vest in this year
        vested, unvested_close = unvested_open + granted_in - forfeited, 0
    else:
        vested, unvested_close = 0, 0
    left_before = granted_before - total(lambda c: True, None, day_before)
    vested_open = left_before - unvested_open
    exercised = total(any_exercise, year.start, year.end)
    lapsed = total(post_other, year.start, year.end)
    unexercised_close = vested_open + vested - exercised - lapsed
    return Movements(
        unvested_open=unvested_open,
        granted=granted_in,
        forfeited=forfeited,
        vested=vested,
        unvested_close=unvested_close,
        vested_open=vested_open,
        exercised=exercised,
        lapsed=lapsed,
        unexercised_close=unexercised_close,
    )
