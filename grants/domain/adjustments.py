"""Adjustment of the number of shares per right after splits, consolidations and restructurings.

Notice (3): "Number of Shares Granted after adjustment = Number of Shares Granted before adjustment x
Ratio of share split or share consolidation", fractions of less than one share rounded down. The
number in force on a date is a lookup in the adjustment history (docs/domain.md §2.2), never a single field.
Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from fractions import Fraction

from grants.domain.dates import add_days
from grants.domain.yen import floor_shares


class AdjustmentKind(StrEnum):
    """The corporate actions that change the shares per right, notice (3)."""

    SPLIT = "split"
    CONSOLIDATION = "consolidation"
    CONDITIONAL_SPLIT = "conditional_split"
    REASONABLE_ADJUSTMENT = "reasonable_adjustment"


def adjusted_shares_per_right(shares_per_right: int, ratio: Fraction | int) -> int:
    """Shares per right after a split or consolidation: notice (3), ``floor(old x ratio)``.

    ``ratio`` is exact: ``2`` for a 1:2 split, ``Fraction(1, 10)`` for a 10:1 consolidation.
    Fractions of a share are discarded (200 x 1/3 -> 66). Floats are refused: a binary ratio such as
    ``0.1`` is not the ratio the board resolved.
    """
    if not isinstance(shares_per_right, int) or isinstance(shares_per_right, bool):
        raise TypeError("shares per right is a whole number of shares")
    if shares_per_right < 0:
        raise ValueError("shares per right cannot be negative")
    if not isinstance(ratio, Fraction | int) or isinstance(ratio, bool):
        raise TypeError(f"the ratio must be a Fraction or int, not {type(ratio).__name__}")
    if ratio <= 0:
        raise ValueError("the split or consolidation ratio must be positive")
    return floor_shares(shares_per_right * Fraction(ratio))


def adjustment_applies_from(
    kind: AdjustmentKind | str,
    *,
    record_date: date | None = None,
    effective_date: date | None = None,
    meeting_closed_on: date | None = None,
) -> date:
    """First day on which the adjusted shares per right apply: notice (3).

    * ``split``: the day after the record date, whatever day of the week that is (record date Sunday
      2012-09-30 -> 2012-10-01).
    * ``consolidation``: the day the consolidation becomes effective.
    * ``conditional_split`` (a split conditional on a shareholders' meeting approving a reduction of
      surplus and an increase of capital, with its record date on or before the day the meeting
      closes): retroactively from the day after the record date (record date 2021-03-31, meeting
      closed 2021-06-25 -> 2021-04-01). Both dates are required; the record date must not fall after
      the meeting. Nothing is known of it until the day after the meeting closes: see
      :func:`adjustment_known_from`.
    * ``reasonable_adjustment`` (merger, demerger and the like: the board's adjustment "within a
      reasonable range"): the effective date the board fixes.

    Dates a kind does not use are ignored. A missing required date raises ``ValueError`` naming it.
    """
    kind = AdjustmentKind(kind)
    if kind is AdjustmentKind.SPLIT:
        return add_days(_required(record_date, "record_date", kind), 1)
    if kind is AdjustmentKind.CONDITIONAL_SPLIT:
        closed_on = _required(meeting_closed_on, "meeting_closed_on", kind)
        fixed_on = _required(record_date, "record_date", kind)
        if fixed_on > closed_on:
            raise ValueError(
                "a conditional split's record_date must be on or before the day the meeting closes"
            )
        return add_days(fixed_on, 1)
    # consolidation and reasonable_adjustment
    return _required(effective_date, "effective_date", kind)


def adjustment_known_from(
    kind: AdjustmentKind | str, *, meeting_closed_on: date | None = None
) -> date | None:
    """First day on which an adjustment that applies retroactively is known: notice (3).

    A conditional split applies "from the day after the meeting closes ... retroactively from the
    day after the record date": until then the old number stands, so it is known from the day after
    the meeting closes (meeting closed 2021-06-25 -> 2021-06-26). Every other kind is known from the
    day it applies: ``None``.
    """
    kind = AdjustmentKind(kind)
    if kind is not AdjustmentKind.CONDITIONAL_SPLIT:
        return None
    return add_days(_required(meeting_closed_on, "meeting_closed_on", kind), 1)


def _required(value: date | None, name: str, kind: AdjustmentKind) -> date:
    if value is None:
        raise ValueError(f"{name} is required for a {kind.value} adjustment")
    return value


def shares_per_right_on(history: Sequence[tuple[date, int]], on: date) -> int:
    """Shares per right in force on ``on``: the last history entry with ``applies_from <= on``.

    ``history`` holds ``(applies_from, shares_per_right)`` pairs, the first being the number at
    allotment (notice (3): 200 in the seed); the order does not matter. Two entries for the same day
    are ambiguous and refused. A date before the first entry raises ``ValueError``.
    """
    entries = sorted(history, key=lambda entry: entry[0])
    if not entries:
        raise ValueError("the adjustment history is empty")
    for earlier, later in zip(entries, entries[1:], strict=False):
        if earlier[0] == later[0]:
            raise ValueError(f"two adjustments apply from {later[0].isoformat()}")
    if on < entries[0][0]:
        raise ValueError(
            f"no shares per right before {entries[0][0].isoformat()} (asked for {on.isoformat()})"
        )
    in_force = entries[0][1]
    for applies_from, shares_per_right in entries:
        if applies_from > on:
            break
        in_force = shares_per_right
    return in_force


def shares_per_right_known_on(
    history: Sequence[tuple[date, int, date | None]], on: date, *, known_on: date | None = None
) -> int:
    """Shares per right in force on ``on`` as it was known on ``known_on``: notice (3), docs/domain.md §2.2.

    ``history`` holds ``(applies_from, shares_per_right, known_from)`` triples; ``known_from`` is
    ``None`` for an entry known from the day it applies. An entry is left out when it was not yet
    known on ``known_on``, except the earliest, the number at issue, which the terms fix. ``known_on``
    ``None`` is everything recorded. A split conditional on a meeting with record date 2021-03-31
    closing 2021-06-25 applies from 2021-04-01 but is known from 2021-06-26: on 2021-05-01 it is the
    old number as known on 2021-05-01 and the new one as known on 2021-07-01.
    """
    entries = sorted(history, key=lambda entry: entry[0])
    if known_on is not None:
        entries = entries[:1] + [
            entry for entry in entries[1:] if (entry[2] if entry[2] is not None else entry[0]) <= known_on
        ]
    return shares_per_right_on([(applies_from, shares) for applies_from, shares, _known in entries], on)
