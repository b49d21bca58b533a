"""Black-Scholes pricing and rounding of the amount per right: notice (12), docs/domain.md §3."""

from __future__ import annotations

import math
import warnings
from decimal import Decimal

import numpy as np
import pytest
import QuantLib as ql
from hypothesis import given, settings
from hypothesis import strategies as st

from valuations.domain import pricing
from valuations.domain.pricing import (
    PricingInputs,
    RoundingRule,
    amount_per_right_yen,
    black_scholes_call,
    price_option,
    price_to_decimal,
)

QL_TODAY = ql.Date(1, 7, 2013)


def quantlib_call(
    spot: float, strike: float, days: int, volatility: float, rate: float, dividend_yield: float
) -> tuple[float, float]:
    """Reference price from QuantLib's AnalyticEuropeanEngine and the T it used.

    QuantLib works with dates, so T is (maturity - today) / 365 under Actual365Fixed, with flat,
    continuously compounded rate and dividend curves; the same T is fed to our function.
    """
    ql.Settings.instance().evaluationDate = QL_TODAY
    day_count = ql.Actual365Fixed()
    maturity = QL_TODAY + days
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(spot)),
        ql.YieldTermStructureHandle(ql.FlatForward(QL_TODAY, dividend_yield, day_count, ql.Continuous)),
        ql.YieldTermStructureHandle(ql.FlatForward(QL_TODAY, rate, day_count, ql.Continuous)),
        ql.BlackVolTermStructureHandle(
            ql.BlackConstantVol(QL_TODAY, ql.NullCalendar(), volatility, day_count)
        ),
    )
    option = ql.VanillaOption(ql.PlainVanillaPayoff(ql.Option.Call, strike), ql.EuropeanExercise(maturity))
    option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    return option.NPV(), day_count.yearFraction(QL_TODAY, maturity)


def assert_matches_quantlib(ours: float, reference: float, spot: float) -> None:
    """Relative difference <= 1e-9.

    Far out of the money C is the difference of two nearly equal tiny terms, and both
    implementations lose digits to that cancellation differently; below a millionth of the spot
    (0.003 yen on a 3,000 yen share) only an absolute bound of 1e-12 x spot is meaningful.
    """
    if reference >= 1e-6 * spot:
        assert abs(ours - reference) <= 1e-9 * reference, (ours, reference)
    else:
        assert abs(ours - reference) <= 1e-12 * spot, (ours, reference)


@settings(max_examples=300, deadline=None)
@given(
    spot=st.floats(1.0, 100_000.0),
    strike_ratio=st.one_of(st.just(0.0), st.floats(0.0, 3.0)),
    days=st.integers(1, 40 * 365),
    volatility=st.one_of(st.just(0.0), st.floats(0.0, 1.5)),
    rate=st.floats(-0.02, 0.10),
    dividend_yield=st.floats(0.0, 0.10),
)
def test_matches_quantlib(spot, strike_ratio, days, volatility, rate, dividend_yield):
    strike = spot * strike_ratio
    reference, term = quantlib_call(spot, strike, days, volatility, rate, dividend_yield)
    ours = black_scholes_call(spot, strike, term, volatility, rate, dividend_yield)
    assert isinstance(ours, float)
    assert_matches_quantlib(ours, reference, spot)


@pytest.mark.parametrize(
    ("spot", "strike", "days", "volatility", "rate", "dividend_yield"),
    [
        (3000.0, 1.0, 15 * 365, 0.55, 0.0165, 0.0125),  # seed-like: X = 1 yen, T = 15 years
        (3000.0, 0.0, 15 * 365, 0.55, 0.0165, 0.0125),  # strike 0 variant
        (3000.0, 1.0, 15 * 365, 0.0, 0.0165, 0.0125),  # no volatility
        (3000.0, 3000.0, 3 * 365 + 219, 0.35, -0.003, 0.01),  # negative rate, T about 3.6 years
        (3000.0, 3500.0, 1, 0.30, 0.001, 0.0),  # one day
    ],
)
def test_worked_cases_match_quantlib(spot, strike, days, volatility, rate, dividend_yield):
    reference, term = quantlib_call(spot, strike, days, volatility, rate, dividend_yield)
    assert_matches_quantlib(
        black_scholes_call(spot, strike, term, volatility, rate, dividend_yield), reference, spot
    )


def test_strike_zero_is_discounted_spot_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a log(0) or 0/0 would raise here
        price = black_scholes_call(3000.0, 0.0, 15.0, 0.4, 0.01, 0.02)
    assert price == pytest.approx(3000.0 * math.exp(-0.02 * 15.0), rel=1e-15)


@pytest.mark.parametrize(
    ("spot", "strike", "rate", "dividend_yield", "expected"),
    [
        (3000.0, 1.0, 0.01, 0.02, 3000.0 * math.exp(-0.3) - 1.0 * math.exp(-0.15)),
        (100.0, 200.0, 0.01, 0.0, 0.0),  # out of the money: worthless without volatility
        (100.0, 101.0, -0.01, 0.0, 100.0 - 101.0 * math.exp(0.15)),  # negative: forward above
    ],
)
def test_zero_volatility_is_intrinsic_forward_value(spot, strike, rate, dividend_yield, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        price = black_scholes_call(spot, strike, 15.0, 0.0, rate, dividend_yield)
    assert price == pytest.approx(max(expected, 0.0), rel=1e-14, abs=1e-12)


@pytest.mark.parametrize(
    ("spot", "strike", "expected"),
    [
        (100.0, 90.0, 10.0),  # in the money: intrinsic value
        (100.0, 110.0, 0.0),  # out of the money: nothing
        # At the money C -> S sigma sqrt(T) / sqrt(2 pi) as T -> 0.
        (100.0, 100.0, 100.0 * 0.2 * 1e-6 / math.sqrt(2 * math.pi)),
    ],
)
def test_tiny_term(spot, strike, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        price = black_scholes_call(spot, strike, 1e-12, 0.2, 0.01, 0.0)
    assert price == pytest.approx(expected, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("rate", [0.05, -0.05, 0.0])
def test_huge_term_is_finite_and_bounded(rate):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        price = black_scholes_call(100.0, 100.0, 1000.0, 0.3, rate, 0.02)
    # 0 <= C <= S e^(-qT): a call is never worth more than the discounted share.
    assert math.isfinite(price)
    assert 0.0 <= price <= 100.0 * math.exp(-0.02 * 1000.0) * (1 + 1e-12)


def bits(prices: object) -> np.ndarray:
    """The prices' doubles as integers: equal only when equal to the last bit and the sign of 0."""
    return np.asarray(prices, dtype=np.float64).view(np.uint64)


def test_array_input_equals_scalar_loop_bit_for_bit():
    # One option is priced in Python floats, a batch in arrays: the doubles must be the same,
    # limits (X = 0, s = 0) and far out of the money included, alone or as a batch of one.
    rng = np.random.default_rng(12)
    n = 3000
    spot = rng.uniform(100, 10_000, n)
    strike = np.where(rng.random(n) < 0.1, 0.0, spot * rng.uniform(0, 3, n))
    term = np.where(rng.random(n) < 0.05, 1e-9, rng.uniform(0.01, 30, n))
    volatility = np.where(rng.random(n) < 0.1, 0.0, rng.uniform(0, 1.5, n))
    rate = rng.uniform(-0.01, 0.3, n)
    dividend_yield = rng.uniform(0, 0.2, n)
    inputs = (spot, strike, term, volatility, rate, dividend_yield)
    prices = black_scholes_call(*inputs)
    assert isinstance(prices, np.ndarray)
    assert prices.shape == (n,)
    loop = [black_scholes_call(*(float(a[i]) for a in inputs)) for i in range(n)]
    assert all(type(price) is float for price in loop)
    np.testing.assert_array_equal(bits(prices), bits(loop))
    batches_of_one = [black_scholes_call(*(a[i : i + 1] for a in inputs)) for i in range(n)]
    assert all(batch.shape == (1,) for batch in batches_of_one)
    np.testing.assert_array_equal(bits(prices), bits(np.concatenate(batches_of_one)))


def test_a_batch_larger_than_one_block_is_priced_and_checked_alike():
    # Up to _STACKED_UP_TO options the inputs are checked in one block, above it one by one.
    n = pricing._STACKED_UP_TO + 1
    rng = np.random.default_rng(16)
    inputs = [rng.uniform(500, 5000, n), rng.uniform(1, 5000, n), rng.uniform(0.1, 10, n)]
    inputs += [rng.uniform(0.1, 0.8, n), rng.uniform(0, 0.03, n), rng.uniform(0, 0.04, n)]
    whole = black_scholes_call(*inputs)
    np.testing.assert_array_equal(bits(whole[:-1]), bits(black_scholes_call(*(a[:-1] for a in inputs))))
    for index, name in enumerate(("spot", "strike", "term_years", "volatility", "rate", "dividend_yield")):
        for size in (n - 1, n):
            broken = [a[:size].copy() for a in inputs]
            broken[index][size // 2] = math.inf
            with pytest.raises(ValueError, match=f"{name} must be a finite number"):
                black_scholes_call(*broken)
    negative = [a.copy() for a in inputs]
    negative[2][-1] = -1.0
    with pytest.raises(ValueError, match="term_years must be greater than 0"):
        black_scholes_call(*negative)


def test_a_batch_whose_sum_overflows_is_still_priced():
    # The result's finiteness is read from its sum first; a sum beyond double precision is not
    # an error when every price is finite.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prices = black_scholes_call(np.array([1e308, 1e308]), 1.0, 1.0, 0.2, 0.0, 0.0)
    alone = black_scholes_call(1e308, 1.0, 1.0, 0.2, 0.0, 0.0)
    assert math.isfinite(alone)
    np.testing.assert_array_equal(bits(prices), bits([alone, alone]))


def test_broadcasting():
    prices = black_scholes_call(
        np.array([[1000.0], [2000.0]]), np.array([0.0, 1.0, 1000.0]), 15.0, 0.3, 0.01, 0.0
    )
    assert prices.shape == (2, 3)
    assert prices[1, 0] == pytest.approx(2000.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"spot": 0.0}, "spot must be greater than 0"),
        ({"spot": -5.0}, "spot must be greater than 0"),
        ({"strike": -1.0}, "strike must be 0 or more"),
        ({"term_years": 0.0}, "term_years must be greater than 0"),
        ({"volatility": -0.1}, "volatility must be 0 or more"),
        ({"rate": math.nan}, "rate must be a finite number"),
        ({"spot": np.array([100.0, -1.0])}, "spot must be greater than 0"),
    ],
)
def test_invalid_inputs(kwargs, message):
    arguments = {
        "spot": 100.0,
        "strike": 1.0,
        "term_years": 1.0,
        "volatility": 0.2,
        "rate": 0.01,
        "dividend_yield": 0.0,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        black_scholes_call(**arguments)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # One bad element among good ones, wherever it sits, and whichever bound it breaks.
        ({"volatility": np.array([0.2, math.nan, 0.3])}, "volatility must be a finite number"),
        ({"strike": np.array([1.0, 2.0, math.inf])}, "strike must be a finite number"),
        ({"dividend_yield": np.array([-math.inf, 0.0])}, "dividend_yield must be a finite number"),
        # Finiteness of every input is checked before the domain of any.
        ({"spot": 0.0, "rate": np.array([0.01, math.nan])}, "rate must be a finite number"),
        ({"strike": np.array([5.0, -0.0, -1e-300])}, "strike must be 0 or more"),
    ],
)
def test_invalid_element_in_a_batch(kwargs, message):
    arguments = {
        "spot": 100.0,
        "strike": 1.0,
        "term_years": 1.0,
        "volatility": 0.2,
        "rate": 0.01,
        "dividend_yield": 0.0,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        black_scholes_call(**arguments)


def test_empty_batch_prices_nothing():
    prices = black_scholes_call(np.array([]), np.array([]), 1.0, 0.2, 0.01, 0.0)
    assert isinstance(prices, np.ndarray)
    assert prices.shape == (0,)


def test_volatility_whose_spread_underflows_is_priced_as_zero_volatility():
    # s > 0 but s sqrt(T) rounds to 0: d1 is undefined, so the zero-volatility limit applies,
    # alone and beside an ordinary option.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alone = black_scholes_call(100.0, 90.0, 1e-250, 1e-200, 0.0, 0.0)
        batch = black_scholes_call(100.0, 90.0, np.array([1e-250, 1.0]), np.array([1e-200, 0.2]), 0.0, 0.0)
    assert alone == 10.0
    assert batch[0] == 10.0
    assert batch[1] == black_scholes_call(100.0, 90.0, 1.0, 0.2, 0.0, 0.0)


def test_one_degenerate_option_leaves_the_others_bit_for_bit():
    # A batch where every option has a strike and a volatility is priced without the limit
    # selection; adding one option with X = 0 or s = 0 must not move the others by an ulp.
    rng = np.random.default_rng(15)
    n = 500
    spot = rng.uniform(500, 10_000, n)
    strike = spot * rng.uniform(0.01, 2, n)
    term = rng.uniform(0.1, 30, n)
    volatility = rng.uniform(0.1, 0.8, n)
    rate = rng.uniform(-0.005, 0.03, n)
    dividend_yield = rng.uniform(0, 0.04, n)
    regular = black_scholes_call(spot, strike, term, volatility, rate, dividend_yield)
    for extra_strike, extra_volatility in ((0.0, 0.3), (100.0, 0.0)):
        mixed = black_scholes_call(
            np.append(spot, 1000.0),
            np.append(strike, extra_strike),
            np.append(term, 5.0),
            np.append(volatility, extra_volatility),
            np.append(rate, 0.01),
            np.append(dividend_yield, 0.0),
        )
        np.testing.assert_array_equal(mixed[:n], regular)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, Decimal("0.1")),  # not 0.1000000000000000055511151231257827...
        (2581.2632212987664, Decimal("2581.2632212987664")),
        (np.float64(1.5), Decimal("1.5")),
        (0.0, Decimal("0.0")),
    ],
)
def test_price_to_decimal(value, expected):
    assert price_to_decimal(value) == expected


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_price_to_decimal_rejects_non_finite(value):
    with pytest.raises(ValueError, match="finite"):
        price_to_decimal(value)


@pytest.mark.parametrize(
    ("price", "shares", "rule", "expected"),
    [
        # notice (12): C x shares, the total rounded up.
        ("2581.2632212987664", 100, RoundingRule.TOTAL_CEIL, 258127),
        ("2581.000001", 100, "total_ceil", 258101),
        ("2581.000001", 1, "total_ceil", 2582),
        ("2581", 100, "total_ceil", 258100),  # already whole: unchanged
        ("0.005", 100, "total_ceil", 1),
        # C rounded up per share, then x shares.
        ("2581.000001", 100, RoundingRule.PER_SHARE_CEIL, 258200),
        ("2581", 100, "per_share_ceil", 258100),
        # C rounded half up per share, then x shares.
        ("2581.5", 100, RoundingRule.PER_SHARE_HALF_UP, 258200),
        ("2581.4999999", 100, "per_share_half_up", 258100),
        ("0.5", 3, "per_share_half_up", 3),
        ("0.4999", 3, "per_share_half_up", 0),
    ],
)
def test_amount_per_right_yen(price, shares, rule, expected):
    assert amount_per_right_yen(Decimal(price), shares, rule) == expected


def test_total_ceil_is_exact_for_long_decimals():
    # 17 significant digits x 7-digit share count: still exact, so the ceiling is right.
    assert amount_per_right_yen(Decimal("0.10000000000000001"), 1_000_000, "total_ceil") == 100_001


@pytest.mark.parametrize(
    ("price", "shares", "rule", "error"),
    [
        (2581.5, 100, "total_ceil", TypeError),
        (Decimal("-1"), 100, "total_ceil", ValueError),
        (Decimal("NaN"), 100, "total_ceil", ValueError),
        (Decimal("1"), 0, "total_ceil", ValueError),
        (Decimal("1"), True, "total_ceil", TypeError),
        (Decimal("1"), 100, "round_down", ValueError),
    ],
)
def test_amount_per_right_yen_rejects(price, shares, rule, error):
    with pytest.raises(error):
        amount_per_right_yen(price, shares, rule)


def test_price_option_converts_once_each_way():
    inputs = PricingInputs(
        spot_yen=Decimal("3000"),
        strike_yen=Decimal("1"),
        term_years=Decimal("15"),
        volatility=Decimal("0.55"),
        rate=Decimal("0.0165"),
        dividend_yield=Decimal("0.0125"),
    )
    price = price_option(inputs)
    assert isinstance(price, Decimal)
    assert price == Decimal(repr(black_scholes_call(3000.0, 1.0, 15.0, 0.55, 0.0165, 0.0125)))
    reference, _ = quantlib_call(3000.0, 1.0, 15 * 365, 0.55, 0.0165, 0.0125)
    assert float(price) == pytest.approx(reference, rel=1e-9)
    assert amount_per_right_yen(price, 100, RoundingRule.TOTAL_CEIL) == math.ceil(price * 100)


def test_pricing_inputs_refuse_floats():
    with pytest.raises(TypeError, match="spot_yen"):
        PricingInputs(3000.0, Decimal(1), Decimal(15), Decimal("0.5"), Decimal("0.01"), Decimal(0))  # type: ignore[arg-type]


def test_formula_terms_reproduce_the_price():
    """The terms shown on the valuation page put back together give the engine's price."""
    from valuations.domain.pricing import formula_terms

    inputs = PricingInputs(
        spot_yen=Decimal("1952"),
        strike_yen=Decimal("1"),
        term_years=Decimal("15"),
        volatility=Decimal("0.305589995705"),
        rate=Decimal("0.01444"),
        dividend_yield=Decimal("0.007044057377"),
    )
    t = formula_terms(inputs)
    rebuilt = 1952 * t["exp_qt"] * t["n_d1"] - 1 * t["exp_rt"] * t["n_d2"]
    assert rebuilt == pytest.approx(float(price_option(inputs)), rel=1e-12)
    assert t["d2"] == pytest.approx(t["d1"] - 0.305589995705 * t["sqrt_t"], rel=1e-15)


def test_formula_terms_without_a_strike_leave_d1_undefined():
    from valuations.domain.pricing import formula_terms

    inputs = PricingInputs(
        spot_yen=Decimal("100"),
        strike_yen=Decimal("0"),
        term_years=Decimal("2"),
        volatility=Decimal("0.3"),
        rate=Decimal("0.01"),
        dividend_yield=Decimal("0.02"),
    )
    assert "d1" not in formula_terms(inputs)
