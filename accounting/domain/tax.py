"""Tax data at the exercise of non-qualified rights (docs/domain.md §7.4).

The economic benefit is the value of the shares on the exercise date less what is paid for them
(Income Tax Act Enforcement Order Art 84(3)); the value of a listed share is that day's close, or
the nearest earlier close when there was none (reading R33).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

RETIREMENT, EMPLOYMENT, REVIEW = "retirement", "employment", "review"
# Why a category was chosen; the page translates the code.
ONLY_AFTER_LEAVING_OFFICE = "only_after_leaving_office"
WHILE_IN_OFFICE = "while_in_office"
HEIR = "heir"
TRANSFEREE = "transferee"


@dataclass(frozen=True)
class MarketPrice:
    on: date
    close_yen: Decimal
    same_day: bool


def price_on(closes: Sequence[tuple[date, Decimal]], on: date) -> MarketPrice | None:
    """The close on ``on``, else the nearest earlier close; ``closes`` sorted by date, no gaps filled."""
    days = [d for d, _ in closes]
    index = bisect_right(days, on)
    if index == 0:
        return None
    day, close = closes[index - 1]
    return MarketPrice(on=day, close_yen=close, same_day=day == on)


def economic_benefit_yen(*, market_price_yen: Decimal, exercise_price_yen: Decimal, shares: int) -> int:
    """(price - exercise price) x shares, rounded down to the yen; never below zero (reading R33)."""
    for value in (market_price_yen, exercise_price_yen):
        if not isinstance(value, Decimal):
            raise TypeError("prices must be Decimal")
    benefit = ((market_price_yen - exercise_price_yen) * shares).to_integral_value(rounding=ROUND_FLOOR)
    return max(int(benefit), 0)


def income_category(
    *, by_heir: bool, by_transferee: bool, only_after_leaving_office: bool
) -> tuple[str, str]:
    """(category, reason code): the heir's or a transferee's exercise is for review; rights the terms
    let be exercised only after leaving office give retirement income (Income Tax Act Art 30),
    other rights employment income (Art 28) (reading R34)."""
    if by_heir:
        return REVIEW, HEIR
    if by_transferee:
        return REVIEW, TRANSFEREE
    if only_after_leaving_office:
        return RETIREMENT, ONLY_AFTER_LEAVING_OFFICE
    return EMPLOYMENT, WHILE_IN_OFFICE
