"""Market data older than the rules allow (docs/domain.md reading R25), from stored sources alone."""

from datetime import date

import pytest

from valuations.domain.freshness import (
    YIELDS_IN_TIME_DAYS,
    StaleInput,
    stale_inputs,
    stale_mark,
    yields_due_from,
)

ALLOTMENT = date(2013, 7, 11)


@pytest.mark.parametrize(
    ("valuation_date", "due_from"),
    [
        (date(2013, 7, 11), date(2013, 7, 4)),
        (date(2019, 5, 7), date(2019, 4, 30)),  # after Golden Week 2019: 26 April is too old
        (date(2024, 3, 1), date(2024, 2, 23)),
        (date(2025, 1, 6), date(2024, 12, 30)),
    ],
)
def test_yields_are_in_time_for_seven_days(valuation_date: date, due_from: date) -> None:
    assert YIELDS_IN_TIME_DAYS == 7
    assert yields_due_from(valuation_date) == due_from


@pytest.mark.parametrize(
    ("taken_from", "due_from", "expected"),
    [
        (date(2013, 7, 4), date(2013, 7, 4), None),
        (date(2013, 7, 11), date(2013, 7, 4), None),
        (date(2013, 7, 3), date(2013, 7, 4), {"taken_from": "2013-07-03", "due_from": "2013-07-04"}),
    ],
)
def test_stale_mark(taken_from: date, due_from: date, expected) -> None:
    assert stale_mark(taken_from=taken_from, due_from=due_from) == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        # In time: the close on the date, the yields of the day before.
        (
            {"spot_yen": {"rows": [{"date": "2013-07-11"}]}, "rate": {"date": "2013-07-10"}},
            [],
        ),
        # Exactly seven days before: still in time.
        ({"rate": {"date": "2013-07-04"}}, []),
        # Marked when derived.
        (
            {"rate": {"date": "2013-07-03", "stale": {"taken_from": "2013-07-03", "due_from": "2013-07-04"}}},
            [StaleInput("rate", date(2013, 7, 3), date(2013, 7, 4))],
        ),
        # Stored before marks were kept: judged from the yields' date.
        ({"rate": {"date": "2013-06-20"}}, [StaleInput("rate", date(2013, 6, 20), date(2013, 7, 4))]),
        # A provisional S that fell back to the latest close.
        (
            {"spot_yen": {"provisional_fallback": True, "rows": [{"date": "2013-07-05"}]}},
            [StaleInput("spot_yen", date(2013, 7, 5), ALLOTMENT)],
        ),
        # S and r both stale: S first.
        (
            {
                "rate": {"date": "2013-06-20"},
                "spot_yen": {
                    "provisional_fallback": True,
                    "rows": [{"date": "2013-07-05"}],
                    "stale": {"taken_from": "2013-07-05", "due_from": "2013-07-10"},
                },
            },
            [
                StaleInput("spot_yen", date(2013, 7, 5), date(2013, 7, 10)),
                StaleInput("rate", date(2013, 6, 20), date(2013, 7, 4)),
            ],
        ),
        # An input entered by hand is not read from the stale data.
        ({"rate": {"date": "2013-06-20", "entered_by_hand": True}}, []),
        # Nothing stored.
        ({}, []),
    ],
)
def test_stale_inputs(sources: dict, expected: list[StaleInput]) -> None:
    assert stale_inputs(sources, ALLOTMENT) == expected


def test_days_before_due() -> None:
    assert StaleInput("rate", date(2013, 6, 20), date(2013, 7, 4)).days_before_due == 14
