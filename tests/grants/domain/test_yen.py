"""The rounding helpers: notice (3), (6), (10), (12)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.domain.yen import ceil_yen, floor_shares, floor_yen, half_up_yen, split_capital


@pytest.mark.parametrize(
    ("amount", "ceil", "half_up", "floor"),
    [
        (Decimal("100"), 100, 100, 100),
        (100, 100, 100, 100),
        (Decimal("100.5"), 101, 101, 100),
        (Decimal("100.000001"), 101, 100, 100),
        (Decimal("100.499999"), 101, 100, 100),
        (Decimal("100.999999"), 101, 101, 100),
        (Decimal("0.5"), 1, 1, 0),
        (Decimal("0.000001"), 1, 0, 0),
        (Decimal("0"), 0, 0, 0),
        # The seed's amount per right: C x 200 shares, rounded up (12).
        (Decimal("1425.0000001") * 200, 285_001, 285_000, 285_000),
    ],
)
def test_yen_rounding(amount: Decimal | int, ceil: int, half_up: int, floor: int) -> None:
    assert ceil_yen(amount) == ceil
    assert half_up_yen(amount) == half_up
    assert floor_yen(amount) == floor


@pytest.mark.parametrize("helper", [ceil_yen, half_up_yen, floor_yen])
@pytest.mark.parametrize("amount", [1.5, 0.0, 100.000001])
def test_yen_rounding_refuses_floats(helper, amount: float) -> None:
    with pytest.raises(TypeError, match="float"):
        helper(amount)


@pytest.mark.parametrize("helper", [ceil_yen, half_up_yen, floor_yen])
def test_yen_rounding_refuses_fractions(helper) -> None:
    with pytest.raises(TypeError):
        helper(Fraction(1, 3))


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        (Fraction(200, 3), 66),  # 200 x 1/3
        (Fraction(400, 3), 133),
        (Fraction(2000, 3), 666),
        (Fraction(1999999, 1000000), 1),
        (Fraction(2), 2),
        (Fraction(0), 0),
        (Fraction(1, 1000000), 0),
        (Decimal("66.9999"), 66),
        (Decimal("200"), 200),
        (200, 200),
    ],
)
def test_floor_shares(shares: Fraction | Decimal | int, expected: int) -> None:
    assert floor_shares(shares) == expected


def test_floor_shares_refuses_floats() -> None:
    with pytest.raises(TypeError, match="exact"):
        floor_shares(66.7)


@given(st.fractions(min_value=0, max_value=10**9, max_denominator=10**6))
def test_floor_shares_discards_less_than_one_share(shares: Fraction) -> None:
    whole = floor_shares(shares)
    assert isinstance(whole, int)
    assert whole <= shares < whole + 1


@pytest.mark.parametrize(
    ("upper_limit_yen", "capital", "reserve"),
    [
        (2_852_000, 1_426_000, 1_426_000),  # the seed worked example
        (2_852_001, 1_426_001, 1_426_000),  # half rounded up to the yen (6)1, remainder to reserve (6)2
        (1, 1, 0),
        (0, 0, 0),
    ],
)
def test_split_capital(upper_limit_yen: int, capital: int, reserve: int) -> None:
    assert split_capital(upper_limit_yen) == (capital, reserve)


@given(st.integers(min_value=0, max_value=10**15))
def test_split_capital_always_adds_up(upper_limit_yen: int) -> None:
    capital, reserve = split_capital(upper_limit_yen)
    assert capital + reserve == upper_limit_yen
    assert capital - reserve in (0, 1)
    assert capital == ceil_yen(Decimal(upper_limit_yen) / 2)


@pytest.mark.parametrize(
    ("upper_limit_yen", "error"),
    [
        (2_852_000.0, TypeError),
        (Decimal("2852000"), TypeError),
        (True, TypeError),
        (-1, ValueError),
    ],
)
def test_split_capital_refuses(upper_limit_yen: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        split_capital(upper_limit_yen)  # type: ignore[arg-type]
