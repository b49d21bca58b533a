"""Numbers as people read them (docs/domain.md reading R61): thousands separators, rates as
percentages, and the option price to a sensible number of places. The full figure stays in the
formula panel, where the filters are not used."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def thousands(value, places: int | str = 0) -> str:
    """``1234567`` -> ``1,234,567``; ``{{ x|thousands:2 }}`` keeps two places. Text is left as it is."""
    if type(value) is int and not int(places):  # counts of rights and shares: a page has thousands
        return f"{value:,}"
    number = _decimal(value)
    if number is None or not number.is_finite():
        return "" if value is None else str(value)
    places = int(places)
    quantum = Decimal(1).scaleb(-places)
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


@register.filter
def percent(value, places: int | str = 2) -> str:
    """A fraction as a percentage: ``0.2731`` -> ``27.31%`` (σ, r and q are stored as fractions)."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return "" if value is None else str(value)
    return thousands(number * 100, places) + "%"


@register.filter
def price(value) -> str:
    """An option price per share in yen: two places, the way the disclosure states it."""
    return thousands(value, 2)
