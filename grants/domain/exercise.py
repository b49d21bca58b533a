"""Figures of one exercise: shares delivered, money paid, and the capital it creates.

Notice (4) payment, (6) capital and capital reserve, (10) fractions of a share; OCA Art 17 for the upper
limit of the capital increase. Yen are ``int`` or ``Decimal``; every rounding goes through
:mod:`grants.domain.yen`. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from grants.domain.yen import ceil_yen, floor_shares, split_capital


@dataclass(frozen=True)
class ExerciseFigures:
    """Everything an exercise writes to the register and the ledger, each figure exact.

    ``upper_limit_yen`` is the OCA Art 17(1) limit for the whole exercise (book value of the rights plus
    the payment); ``new_shares_upper_limit_yen`` is the part attributable to newly issued shares, which
    ``capital_yen`` and ``reserve_yen`` always add up to.
    """

    rights: int
    shares_per_right: int
    shares: int
    exercise_price_per_share_yen: Decimal
    payment_yen: int
    book_value_yen: int
    upper_limit_yen: int
    new_shares: int
    treasury_shares: int
    capital_yen: int
    reserve_yen: int
    new_shares_upper_limit_yen: int


def _whole(value: object, name: str, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def exercise_figures(
    *,
    rights: int,
    shares_per_right: int,
    exercise_price_per_share_yen: Decimal | int,
    amount_paid_per_right_yen: int,
    new_shares_ratio: Fraction | int = Fraction(1),
) -> ExerciseFigures:
    """Compute the figures of exercising ``rights`` whole rights.

    * Shares delivered = rights x shares per right; rights are never split (notice (11)1) and shares
      per right is whole after every adjustment (notice (3)), so no fraction of a share arises here.
    * Payment = shares x exercise price (notice (4)), paid in cash on exercise (Companies Act Art 281).
      An exercise price with fractions of a yen can make the exact product fractional: it is then
      rounded up to the yen, so the holder always pays at least the full exercise price. A price of 0
      is legal (Companies Act Art 236(3), director grants of listed companies).
    * Book value of the rights = amount paid per right x rights (notices (12), (14): the allotment price,
      paid by set-off).
    * OCA Art 17(1) upper limit L = book value + payment; the issuance costs are zero under the OCA
      supplementary provisions.
    * Where treasury shares are delivered for part of the exercise, ``new_shares_ratio`` is the share of
      newly issued shares: new shares = floor(shares x ratio) (notice (10): fractions of a share rounded
      down), the rest are treasury shares. Only the part of L attributable to new shares,
      floor(L x new shares / shares) to the yen, goes to capital (OCA Art 17(1) apportions L by the
      new-share proportion).
    * Capital = half that limit rounded up to the yen, reserve = the remainder (notice (6)1, (6)2).
    """
    _whole(rights, "rights", 1)
    _whole(shares_per_right, "shares_per_right", 1)
    _whole(amount_paid_per_right_yen, "amount_paid_per_right_yen", 0)

    if isinstance(exercise_price_per_share_yen, bool) or not isinstance(
        exercise_price_per_share_yen, Decimal | int
    ):
        raise TypeError(
            "exercise_price_per_share_yen must be Decimal or int, "
            f"not {type(exercise_price_per_share_yen).__name__}"
        )
    price = Decimal(exercise_price_per_share_yen)
    if not price.is_finite():
        raise ValueError("exercise_price_per_share_yen must be a finite amount")
    if price < 0:
        raise ValueError("exercise_price_per_share_yen cannot be negative")

    if isinstance(new_shares_ratio, bool) or not isinstance(new_shares_ratio, Fraction | int):
        raise TypeError(f"new_shares_ratio must be a Fraction or int, not {type(new_shares_ratio).__name__}")
    ratio = Fraction(new_shares_ratio)
    if not 0 <= ratio <= 1:
        raise ValueError(f"new_shares_ratio must be between 0 and 1, got {ratio}")

    shares = rights * shares_per_right
    payment_yen = ceil_yen(shares * price)
    book_value_yen = amount_paid_per_right_yen * rights
    upper_limit_yen = book_value_yen + payment_yen

    new_shares = floor_shares(shares * ratio)
    treasury_shares = shares - new_shares
    # Rounded down: the company never books more capital than the new shares carry.
    new_shares_upper_limit_yen = upper_limit_yen * new_shares // shares
    capital_yen, reserve_yen = split_capital(new_shares_upper_limit_yen)

    return ExerciseFigures(
        rights=rights,
        shares_per_right=shares_per_right,
        shares=shares,
        exercise_price_per_share_yen=price,
        payment_yen=payment_yen,
        book_value_yen=book_value_yen,
        upper_limit_yen=upper_limit_yen,
        new_shares=new_shares,
        treasury_shares=treasury_shares,
        capital_yen=capital_yen,
        reserve_yen=reserve_yen,
        new_shares_upper_limit_yen=new_shares_upper_limit_yen,
    )
