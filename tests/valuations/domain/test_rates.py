"""The choice of r from a day's yield curve, notice (12)6."""

from __future__ import annotations

from decimal import Decimal

import pytest

from valuations.domain.problems import ProblemError
from valuations.domain.rates import rate_for_term

CURVE = {
    1: Decimal("0.00110"),
    5: Decimal("0.00418"),
    10: Decimal("0.00830"),
    15: Decimal("0.01289"),
    20: Decimal("0.01765"),
    25: None,
    30: Decimal("0.01904"),
    40: None,
}


@pytest.mark.parametrize(
    ("term", "rule", "rate", "description"),
    [
        (Decimal(15), "interpolate", Decimal("0.01289"), "15-year JGB yield 0.01289 (exact tenor)"),  # seed
        (15, "interpolate", Decimal("0.01289"), "15-year JGB yield 0.01289 (exact tenor)"),
        # 0.00830 + (0.01289 - 0.00830) x 2/5 = 0.00830 + 0.001836
        (
            Decimal(12),
            "interpolate",
            Decimal("0.010136"),
            "linear interpolation for 12 years between the 10-year JGB yield 0.00830 "
            "and the 15-year JGB yield 0.01289",
        ),
        # 25 has no quote: between 20 and 30, halfway.
        (
            Decimal(25),
            "interpolate",
            Decimal("0.018345"),
            "linear interpolation for 25 years between the 20-year JGB yield 0.01765 "
            "and the 30-year JGB yield 0.01904",
        ),
        # 3.6 years: 0.00110 + (0.00418 - 0.00110) x 2.6/4 = 0.00110 + 0.002002
        (Decimal("3.6"), "interpolate", Decimal("0.003102"), None),
        (
            Decimal(12),
            "nearest",
            Decimal("0.00830"),
            "10-year JGB yield 0.00830 (nearest available tenor to 12 years)",
        ),
        (Decimal("12.5"), "nearest", Decimal("0.01289"), None),  # tie goes to the longer tenor
        (Decimal(24), "nearest", Decimal("0.01765"), None),  # 25 has no quote, 20 is nearer than 30
        (Decimal(15), "nearest", Decimal("0.01289"), "15-year JGB yield 0.01289 (exact tenor)"),
    ],
)
def test_rate_for_term(term, rule, rate, description):
    got_rate, got_description = rate_for_term(CURVE, term, rule)
    assert got_rate == rate
    if description is not None:
        assert got_description == description


def test_rate_for_term_handles_negative_yields():
    rate, _ = rate_for_term({5: Decimal("-0.00315"), 10: Decimal("-0.00172")}, Decimal(8))
    assert rate == Decimal("-0.00315") + (Decimal("0.00143") * 3 / 5)


@pytest.mark.parametrize(
    ("yields", "term", "rule", "error", "message"),
    [
        (CURVE, Decimal("0.5"), "interpolate", ValueError, "no extrapolation"),
        (CURVE, Decimal(45), "interpolate", ValueError, "no extrapolation"),
        ({10: None, 15: None}, Decimal(12), "interpolate", ValueError, "no yields"),
        (CURVE, Decimal(0), "interpolate", ValueError, "more than 0"),
        (CURVE, 12.0, "interpolate", TypeError, "not float"),
        (CURVE, Decimal(12), "average", ValueError, "unknown rule 'average'"),
    ],
)
def test_rate_for_term_rejects(yields, term, rule, error, message):
    with pytest.raises(error, match=message) as raised:
        rate_for_term(yields, term, rule)
    if error is ValueError:
        assert isinstance(raised.value, ProblemError)
