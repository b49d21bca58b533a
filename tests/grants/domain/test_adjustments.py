"""Shares per right after splits and consolidations, notice (3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.adjustments import (
    AdjustmentKind,
    adjusted_shares_per_right,
    adjustment_applies_from,
    adjustment_known_from,
    shares_per_right_known_on,
    shares_per_right_on,
)


@pytest.mark.parametrize(
    ("shares_per_right", "ratio", "expected"),
    [
        (200, 2, 400),  # 1:2 split
        (200, 1, 200),
        (200, Fraction(3, 2), 300),  # 2:3 split
        (1, 200, 200),  # the 1:200 split of 2012-10-01
        (200, Fraction(1, 10), 20),  # 10:1 consolidation
        (200, Fraction(1, 3), 66),  # 66.67: the fraction of a share is discarded
        (200, Fraction(2, 3), 133),  # 133.33
        (7, Fraction(1, 10), 0),
        (0, 2, 0),
    ],
)
def test_adjusted_shares_per_right(shares_per_right: int, ratio: Fraction | int, expected: int) -> None:
    assert adjusted_shares_per_right(shares_per_right, ratio) == expected


@pytest.mark.parametrize(
    ("shares_per_right", "ratio", "error"),
    [
        (200, 0, ValueError),
        (200, -2, ValueError),
        (200, Fraction(-1, 2), ValueError),
        (-1, 2, ValueError),
        (200, 0.1, TypeError),
        (200, 2.0, TypeError),
        (200, Decimal("0.1"), TypeError),
        (200, True, TypeError),
        (200.0, 2, TypeError),
    ],
)
def test_adjusted_shares_per_right_refuses(shares_per_right: object, ratio: object, error: type) -> None:
    with pytest.raises(error):
        adjusted_shares_per_right(shares_per_right, ratio)  # type: ignore[arg-type]


@given(st.integers(0, 10**6), st.fractions(min_value=Fraction(1, 1000), max_value=1000, max_denominator=1000))
def test_adjustment_discards_less_than_one_share(shares_per_right: int, ratio: Fraction) -> None:
    adjusted = adjusted_shares_per_right(shares_per_right, ratio)
    exact = shares_per_right * ratio
    assert adjusted <= exact < adjusted + 1


@pytest.mark.parametrize(
    ("kind", "dates", "expected"),
    [
        # Split: from the day after the record date, even when the record date is a Sunday.
        (AdjustmentKind.SPLIT, {"record_date": date(2012, 9, 30)}, date(2012, 10, 1)),
        ("split", {"record_date": date(2012, 9, 30), "effective_date": date(2012, 10, 1)}, date(2012, 10, 1)),
        (AdjustmentKind.SPLIT, {"record_date": date(2023, 12, 31)}, date(2024, 1, 1)),
        # Consolidation: from its effective date.
        (AdjustmentKind.CONSOLIDATION, {"effective_date": date(2018, 10, 1)}, date(2018, 10, 1)),
        (
            "consolidation",
            {"record_date": date(2018, 9, 30), "effective_date": date(2018, 10, 1)},
            date(2018, 10, 1),
        ),
        # Conditional split: once the meeting closes, retroactively from the day after the record date.
        (
            AdjustmentKind.CONDITIONAL_SPLIT,
            {"record_date": date(2024, 3, 31), "meeting_closed_on": date(2024, 6, 27)},
            date(2024, 4, 1),
        ),
        (
            AdjustmentKind.CONDITIONAL_SPLIT,
            {"record_date": date(2021, 3, 31), "meeting_closed_on": date(2021, 6, 25)},
            date(2021, 4, 1),
        ),
        # Record date the day before the meeting closes.
        (
            "conditional_split",
            {"record_date": date(2024, 6, 26), "meeting_closed_on": date(2024, 6, 27)},
            date(2024, 6, 27),
        ),
        # Record date on the day the meeting closes: nothing is retroactive.
        (
            "conditional_split",
            {"record_date": date(2024, 6, 27), "meeting_closed_on": date(2024, 6, 27)},
            date(2024, 6, 28),
        ),
        # Merger, demerger and the like: the board's reasonable adjustment, from the date it fixes.
        (AdjustmentKind.REASONABLE_ADJUSTMENT, {"effective_date": date(2030, 4, 1)}, date(2030, 4, 1)),
    ],
)
def test_adjustment_applies_from(kind: AdjustmentKind | str, dates: dict, expected: date) -> None:
    assert adjustment_applies_from(kind, **dates) == expected


@pytest.mark.parametrize(
    ("kind", "dates", "message"),
    [
        (AdjustmentKind.SPLIT, {"effective_date": date(2012, 10, 1)}, "record_date"),
        (AdjustmentKind.CONSOLIDATION, {"record_date": date(2018, 9, 30)}, "effective_date"),
        (AdjustmentKind.CONDITIONAL_SPLIT, {"record_date": date(2024, 3, 31)}, "meeting_closed_on"),
        (AdjustmentKind.CONDITIONAL_SPLIT, {"meeting_closed_on": date(2024, 6, 27)}, "record_date"),
        (AdjustmentKind.REASONABLE_ADJUSTMENT, {}, "effective_date"),
        (
            AdjustmentKind.CONDITIONAL_SPLIT,
            {"record_date": date(2024, 6, 28), "meeting_closed_on": date(2024, 6, 27)},
            "on or before",
        ),
        ("reverse_split", {"effective_date": date(2030, 4, 1)}, "reverse_split"),
    ],
)
def test_adjustment_applies_from_names_what_is_missing(
    kind: AdjustmentKind | str, dates: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        adjustment_applies_from(kind, **dates)


# The seed series: 200 shares per right at allotment on 11 July 2013 (notice (3), (13)); then a
# hypothetical 1:2 split with record date 30 Sep 2012-style Sunday, and a 10:1 consolidation.
SEED_HISTORY = [
    (date(2013, 7, 11), 200),
    (date(2015, 10, 1), 400),  # 1:2 split, record date Wednesday 30 Sep 2015
    (date(2020, 10, 1), 40),  # 10:1 consolidation effective 1 Oct 2020
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2013, 7, 11), 200),
        (date(2015, 9, 30), 200),  # the record date itself: not yet adjusted
        (date(2015, 10, 1), 400),
        (date(2020, 9, 30), 400),
        (date(2020, 10, 1), 40),
        (date(2043, 7, 11), 40),
    ],
)
def test_shares_per_right_on(on: date, expected: int) -> None:
    assert shares_per_right_on(SEED_HISTORY, on) == expected


def test_shares_per_right_on_does_not_depend_on_order() -> None:
    assert shares_per_right_on(list(reversed(SEED_HISTORY)), date(2016, 1, 1)) == 400


def test_history_built_from_adjustments() -> None:
    history = [(date(2013, 7, 11), 200)]
    for kind, ratio, dates in [
        (AdjustmentKind.SPLIT, 2, {"record_date": date(2015, 9, 30)}),
        (AdjustmentKind.CONSOLIDATION, Fraction(1, 3), {"effective_date": date(2020, 10, 1)}),
    ]:
        history.append(
            (adjustment_applies_from(kind, **dates), adjusted_shares_per_right(history[-1][1], ratio))
        )
    assert history == [(date(2013, 7, 11), 200), (date(2015, 10, 1), 400), (date(2020, 10, 1), 133)]
    assert shares_per_right_on(history, date(2020, 9, 30)) == 400
    assert shares_per_right_on(history, date(2020, 10, 1)) == 133


@pytest.mark.parametrize(
    ("history", "on", "message"),
    [
        (SEED_HISTORY, date(2013, 7, 10), "before 2013-07-11"),
        ([], date(2013, 7, 11), "empty"),
        ([(date(2013, 7, 11), 200), (date(2013, 7, 11), 400)], date(2014, 1, 1), "two adjustments"),
    ],
)
def test_shares_per_right_on_refuses(history: list, on: date, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        shares_per_right_on(history, on)


@pytest.mark.parametrize(
    ("kind", "meeting_closed_on", "expected"),
    [
        # Known from the day after the meeting closes, notice (3).
        (AdjustmentKind.CONDITIONAL_SPLIT, date(2021, 6, 25), date(2021, 6, 26)),
        ("conditional_split", date(2024, 6, 30), date(2024, 7, 1)),
        # Every other kind is known from the day it applies.
        (AdjustmentKind.SPLIT, None, None),
        (AdjustmentKind.CONSOLIDATION, None, None),
        (AdjustmentKind.REASONABLE_ADJUSTMENT, None, None),
    ],
)
def test_adjustment_known_from(kind: AdjustmentKind | str, meeting_closed_on: date | None, expected) -> None:
    assert adjustment_known_from(kind, meeting_closed_on=meeting_closed_on) == expected


def test_a_conditional_split_without_its_meeting_is_never_known() -> None:
    with pytest.raises(ValueError, match="meeting_closed_on"):
        adjustment_known_from(AdjustmentKind.CONDITIONAL_SPLIT)


# 200 at issue; a 1:1.5 split conditional on the meeting closing 25 June 2021, record date 31 March
# 2021: it applies from 1 April 2021 and is known from 26 June 2021. Then a plain 1:2 split with record
# date 30 September 2022, known from the day it applies.
KNOWN_HISTORY = [
    (date(2013, 7, 11), 200, None),
    (date(2021, 4, 1), 300, date(2021, 6, 26)),
    (date(2022, 10, 1), 600, None),
]


@pytest.mark.parametrize(
    ("on", "known_on", "expected"),
    [
        (date(2021, 5, 1), date(2021, 5, 1), 200),  # asked before the meeting: the old number
        (date(2021, 5, 1), date(2021, 6, 25), 200),  # the day the meeting closes: still the old one
        (date(2021, 5, 1), date(2021, 6, 26), 300),  # from the day after: retroactively the new one
        (date(2021, 5, 1), date(2021, 7, 1), 300),
        (date(2021, 4, 1), None, 300),  # everything recorded
        (date(2021, 3, 31), None, 200),  # the record date itself is not adjusted
        (date(2021, 7, 1), date(2021, 7, 1), 300),
        (date(2022, 10, 1), date(2022, 9, 30), 300),  # not yet known, not yet in force
        (date(2022, 10, 1), None, 600),
        (date(2013, 7, 11), date(2013, 1, 1), 200),  # the number at issue is always known
    ],
)
def test_shares_per_right_known_on(on: date, known_on: date | None, expected: int) -> None:
    assert shares_per_right_known_on(KNOWN_HISTORY, on, known_on=known_on) == expected
    assert shares_per_right_known_on(list(reversed(KNOWN_HISTORY)), on, known_on=known_on) == expected


def test_everything_recorded_is_the_plain_lookup() -> None:
    plain = [(applies_from, shares) for applies_from, shares, _known in KNOWN_HISTORY]
    for on in (date(2013, 7, 11), date(2021, 4, 1), date(2021, 6, 26), date(2030, 1, 1)):
        assert shares_per_right_known_on(KNOWN_HISTORY, on) == shares_per_right_on(plain, on)
