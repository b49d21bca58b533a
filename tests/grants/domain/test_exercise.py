"""Figures of an exercise: notice (4), (6), (10) and OCA Art 17."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.exercise import ExerciseFigures, exercise_figures


def test_seed_worked_example() -> None:
    # Seed series: 200 shares per right (3), exercise price 1 yen (4); amount paid per right 285,000 yen.
    figures = exercise_figures(
        rights=10, shares_per_right=200, exercise_price_per_share_yen=1, amount_paid_per_right_yen=285_000
    )
    assert figures == ExerciseFigures(
        rights=10,
        shares_per_right=200,
        shares=2_000,
        exercise_price_per_share_yen=Decimal(1),
        payment_yen=2_000,
        book_value_yen=2_850_000,
        upper_limit_yen=2_852_000,
        new_shares=2_000,
        treasury_shares=0,
        capital_yen=1_426_000,
        reserve_yen=1_426_000,
        new_shares_upper_limit_yen=2_852_000,
    )


@pytest.mark.parametrize(
    (
        "rights",
        "shares_per_right",
        "price",
        "amount_paid",
        "ratio",
        "shares",
        "payment",
        "upper_limit",
        "new_shares",
        "new_limit",
        "capital",
        "reserve",
    ),
    [
        # The seed example.
        (10, 200, 1, 285_000, Fraction(1), 2_000, 2_000, 2_852_000, 2_000, 2_852_000, 1_426_000, 1_426_000),
        # An odd upper limit: capital is rounded up (6)1, the reserve is the remainder (6)2.
        (1, 200, 1, 2_851_801, Fraction(1), 200, 200, 2_852_001, 200, 2_852_001, 1_426_001, 1_426_000),
        # The same odd limit reached through a price with sen: 2,000 x 1.0005 = 2,001 yen exactly.
        (
            10,
            200,
            Decimal("1.0005"),
            285_000,
            Fraction(1),
            2_000,
            2_001,
            2_852_001,
            2_000,
            2_852_001,
            1_426_001,
            1_426_000,
        ),
        # A price whose product is not whole yen: 2,000 x 1.0001 = 2,000.2 -> the holder pays 2,001.
        (
            10,
            200,
            Decimal("1.0001"),
            285_000,
            Fraction(1),
            2_000,
            2_001,
            2_852_001,
            2_000,
            2_852_001,
            1_426_001,
            1_426_000,
        ),
        # Exercise price 0 (Companies Act Art 236(3)): only the book value goes to capital.
        (10, 200, 0, 285_000, Fraction(1), 2_000, 0, 2_850_000, 2_000, 2_850_000, 1_425_000, 1_425_000),
        # After a 1:2 split (notice (3)): 400 shares per right.
        (3, 400, 1, 285_000, Fraction(1), 1_200, 1_200, 856_200, 1_200, 856_200, 428_100, 428_100),
        # Half treasury shares: only half the limit goes to capital (OCA Art 17(1)).
        (10, 200, 1, 285_000, Fraction(1, 2), 2_000, 2_000, 2_852_000, 1_000, 1_426_000, 713_000, 713_000),
        # A third new shares: 666 new (fraction rounded down), 1,334 treasury; 2,852,000 x 666/2,000.
        (10, 200, 1, 285_000, Fraction(1, 3), 2_000, 2_000, 2_852_000, 666, 949_716, 474_858, 474_858),
        # Apportioning that does not come out in whole yen: 2,852,001 x 666/2,000 = 949,716.333 -> 949,716.
        (
            10,
            200,
            Decimal("1.0005"),
            285_000,
            Fraction(1, 3),
            2_000,
            2_001,
            2_852_001,
            666,
            949_716,
            474_858,
            474_858,
        ),
        # Treasury shares only: nothing goes to capital.
        (10, 200, 1, 285_000, 0, 2_000, 2_000, 2_852_000, 0, 0, 0, 0),
    ],
)
def test_exercise_figures(
    rights: int,
    shares_per_right: int,
    price: Decimal | int,
    amount_paid: int,
    ratio: Fraction | int,
    shares: int,
    payment: int,
    upper_limit: int,
    new_shares: int,
    new_limit: int,
    capital: int,
    reserve: int,
) -> None:
    figures = exercise_figures(
        rights=rights,
        shares_per_right=shares_per_right,
        exercise_price_per_share_yen=price,
        amount_paid_per_right_yen=amount_paid,
        new_shares_ratio=ratio,
    )
    assert figures.shares == shares
    assert figures.payment_yen == payment
    assert figures.book_value_yen == amount_paid * rights
    assert figures.upper_limit_yen == upper_limit
    assert figures.new_shares == new_shares
    assert figures.treasury_shares == shares - new_shares
    assert figures.new_shares_upper_limit_yen == new_limit
    assert (figures.capital_yen, figures.reserve_yen) == (capital, reserve)


def test_exercise_price_is_kept_as_a_decimal() -> None:
    figures = exercise_figures(
        rights=1, shares_per_right=200, exercise_price_per_share_yen=1, amount_paid_per_right_yen=0
    )
    assert isinstance(figures.exercise_price_per_share_yen, Decimal)
    assert isinstance(figures.payment_yen, int)


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"rights": 0}, ValueError, "rights"),
        ({"rights": -1}, ValueError, "rights"),
        ({"rights": 1.0}, TypeError, "rights"),
        ({"shares_per_right": 0}, ValueError, "shares_per_right"),
        ({"exercise_price_per_share_yen": -1}, ValueError, "negative"),
        ({"exercise_price_per_share_yen": 1.0}, TypeError, "float"),
        ({"exercise_price_per_share_yen": Decimal("NaN")}, ValueError, "finite"),
        ({"amount_paid_per_right_yen": -1}, ValueError, "amount_paid_per_right_yen"),
        ({"amount_paid_per_right_yen": Decimal("285000")}, TypeError, "amount_paid_per_right_yen"),
        ({"new_shares_ratio": Fraction(3, 2)}, ValueError, "between 0 and 1"),
        ({"new_shares_ratio": Fraction(-1, 2)}, ValueError, "between 0 and 1"),
        ({"new_shares_ratio": 0.5}, TypeError, "float"),
    ],
)
def test_exercise_figures_refuses(overrides: dict, error: type[Exception], message: str) -> None:
    arguments = {
        "rights": 10,
        "shares_per_right": 200,
        "exercise_price_per_share_yen": 1,
        "amount_paid_per_right_yen": 285_000,
    }
    with pytest.raises(error, match=message):
        exercise_figures(**{**arguments, **overrides})


@given(
    rights=st.integers(1, 10_000),
    shares_per_right=st.integers(1, 10_000),
    price=st.decimals(min_value=0, max_value=100_000, places=4),
    amount_paid=st.integers(0, 10**8),
    ratio=st.fractions(min_value=0, max_value=1, max_denominator=1_000),
)
def test_exercise_figures_always_balance(
    rights: int, shares_per_right: int, price: Decimal, amount_paid: int, ratio: Fraction
) -> None:
    figures = exercise_figures(
        rights=rights,
        shares_per_right=shares_per_right,
        exercise_price_per_share_yen=price,
        amount_paid_per_right_yen=amount_paid,
        new_shares_ratio=ratio,
    )
    assert figures.shares == rights * shares_per_right
    # The holder never pays less than the exact price, and less than a yen more.
    assert figures.shares * price <= figures.payment_yen < figures.shares * price + 1
    assert figures.upper_limit_yen == figures.book_value_yen + figures.payment_yen
    assert figures.new_shares + figures.treasury_shares == figures.shares
    assert figures.new_shares <= figures.shares * ratio < figures.new_shares + 1
    assert figures.new_shares_upper_limit_yen <= figures.upper_limit_yen
    assert figures.capital_yen + figures.reserve_yen == figures.new_shares_upper_limit_yen
    assert figures.capital_yen - figures.reserve_yen in (0, 1)
