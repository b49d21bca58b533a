"""Exact yen and share arithmetic: every rounding in the app goes through one of these helpers.

Yen are ``Decimal`` or ``int``, never ``float``. Each helper cites the clause it implements.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

YEN = Decimal("1")


def _as_decimal(value: Decimal | int | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        # Exact: compare floor/ceil on the fraction itself, never through a float.
        raise TypeError("use ceil_yen_fraction / floor_shares for Fraction values")
    if isinstance(value, float):
        raise TypeError("yen must be Decimal or int, not float")
    return Decimal(value)


def ceil_yen(amount: Decimal | int) -> int:
    """Round up to the whole yen: notice (12) 'fractions of less than one yen being rounded up'."""
    return int(_as_decimal(amount).to_integral_value(rounding=ROUND_CEILING))


def half_up_yen(amount: Decimal | int) -> int:
    """Round half up to the whole yen (some issuers' per-share rule)."""
    return int(_as_decimal(amount).to_integral_value(rounding=ROUND_HALF_UP))


def floor_yen(amount: Decimal | int) -> int:
    """Round down to the whole yen."""
    return int(_as_decimal(amount).to_integral_value(rounding=ROUND_FLOOR))


def floor_shares(shares: Fraction | Decimal | int) -> int:
    """Discard fractions of a share: notice (3) adjustment and (10) exercise, 'rounded down'."""
    if isinstance(shares, float):
        raise TypeError("share counts must be exact, not float")
    if isinstance(shares, Fraction):
        return shares.numerator // shares.denominator
    return int(Decimal(shares).to_integral_value(rounding=ROUND_FLOOR))


def split_capital(upper_limit_yen: int) -> tuple[int, int]:
    """Split the OCA Art 17 upper limit into (capital, capital reserve): notice (6).

    Capital is half the upper limit rounded up to the yen (6)1; the reserve is the remainder by
    subtraction (6)2, so the two always add up to the limit exactly.
    """
    if not isinstance(upper_limit_yen, int) or isinstance(upper_limit_yen, bool):
        raise TypeError("the upper limit is a whole number of yen")
    if upper_limit_yen < 0:
        raise ValueError("the upper limit cannot be negative")
    capital_yen = -(-upper_limit_yen // 2)
    return capital_yen, upper_limit_yen - capital_yen
