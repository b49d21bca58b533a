"""The risk-free rate r of notice (12)6: the JGB yield for the term T, from one day's yield curve."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from valuations.domain.problems import ProblemError, gettext_noop

__all__ = ["RateRule", "rate_for_term"]


class RateRule(StrEnum):
    """How r is taken from a day's yield curve: a per-series setting (docs/domain.md §3 r)."""

    INTERPOLATE = "interpolate"  # exact tenor, else linear between the neighbours
    NEAREST = "nearest"  # the available tenor closest to T


def rate_for_term(
    yields: dict[int, Decimal | None], term_years: Decimal | int, rule: RateRule | str = "interpolate"
) -> tuple[Decimal, str]:
    """The risk-free rate for a term T and how it was obtained: notice (12), docs/domain.md §3 r.

    The seed takes the yield of the JGB whose remaining years match T (15 years). With
    "interpolate", an exact tenor wins, else the line between the nearest available tenors below
    and above (tenors without a quote are skipped); no extrapolation. With "nearest", the
    closest available tenor; a tie goes to the longer tenor. Decimal arithmetic throughout.
    """
    if isinstance(term_years, float) or isinstance(term_years, bool):
        raise TypeError("term_years must be a Decimal or int, not float")
    term = Decimal(term_years)
    if not term.is_finite() or term <= 0:
        raise ProblemError(gettext_noop("term_years must be more than 0, got %(term)s"), term=str(term_years))
    try:
        rule = RateRule(rule)
    except ValueError:
        raise ProblemError(
            gettext_noop("unknown rule %(rule)s: use 'interpolate' or 'nearest'"), rule=repr(rule)
        ) from None
    available = {tenor: value for tenor, value in yields.items() if value is not None}
    if not available:
        raise ProblemError(gettext_noop("no yields are available for that day"))
    term_text = format(term.normalize(), "f")

    if rule is RateRule.NEAREST:
        tenor = min(available, key=lambda t: (abs(t - term), -t))
        how = "exact tenor" if tenor == term else f"nearest available tenor to {term_text} years"
        return available[tenor], f"{tenor}-year JGB yield {available[tenor]} ({how})"

    if term == term.to_integral_value() and int(term) in available:
        tenor = int(term)
        return available[tenor], f"{tenor}-year JGB yield {available[tenor]} (exact tenor)"
    below = [t for t in available if t < term]
    above = [t for t in available if t > term]
    if not below or not above:
        raise ProblemError(
            gettext_noop(
                "cannot interpolate a %(term)s-year yield: available tenors are %(low)s to %(high)s "
                "years and there is no extrapolation"
            ),
            term=term_text,
            low=min(available),
            high=max(available),
        )
    low, high = max(below), min(above)
    y_low, y_high = available[low], available[high]
    # Multiply before dividing so the common cases (gaps of 1, 5, 10 years) stay exact.
    rate = y_low + (y_high - y_low) * (term - low) / (high - low)
    return rate, (
        f"linear interpolation for {term_text} years between the {low}-year JGB yield {y_low} "
        f"and the {high}-year JGB yield {y_high}"
    )
