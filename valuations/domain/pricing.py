"""Black-Scholes value of a stock acquisition right: notice (12), docs/domain.md §3.

Floats live only inside :func:`black_scholes_call`; everything that reaches a yen amount is
``Decimal``. The single float -> Decimal crossing is :func:`price_to_decimal`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from grants.domain.yen import ceil_yen, half_up_yen
from valuations.domain.problems import ProblemError, gettext_noop

__all__ = [
    "PricingInputs",
    "RoundingRule",
    "amount_per_right_yen",
    "black_scholes_call",
    "price_option",
    "price_to_decimal",
]


def _check(condition: bool | np.bool_, template: str, **params: object) -> None:
    if not condition:
        raise ProblemError(template, **params)


def _least_of_each(values: list[NDArray[np.float64]]) -> list[float]:
    """The least element of each input, once every input is finite and in its domain.

    The messages come in a fixed order: the first input that is not finite, then the first
    domain broken. One option is read as six floats. A batch of up to ``_STACKED_UP_TO`` options
    is copied into one block and reduced twice (the least of each row, the greatest of all): at a
    thousand options the calls cost more than the copy. A larger batch is reduced input by input.
    """
    size = values[0].size
    if size == 1:
        lows = [v.item() for v in values]
        finite = all(map(math.isfinite, lows))
    elif size <= _STACKED_UP_TO:
        block = np.concatenate(values).reshape(len(values), -1)
        lows = _least(block, axis=1).tolist()
        finite = math.isfinite(_greatest(block, axis=None)) and all(map(math.isfinite, lows))
    else:
        lows = [float(_least(v, axis=None)) for v in values]
        finite = all(map(math.isfinite, lows)) and all(math.isfinite(_greatest(v, axis=None)) for v in values)
    if not finite:
        for name, v in zip(_INPUT_NAMES, values, strict=True):
            low, high = _least(v, axis=None), _greatest(v, axis=None)
            _check(
                math.isfinite(low) and math.isfinite(high),
                gettext_noop("%(name)s must be a finite number"),
                name=name,
            )
    _check_domain(lows)
    return lows


def _check_domain(lows: list[float]) -> None:
    """The domain of each input, from its least element (every one finite)."""
    spot_low, strike_low, term_low, volatility_low = lows[:4]
    _check(spot_low > 0, gettext_noop("spot must be greater than 0"))
    _check(strike_low >= 0, gettext_noop("strike must be 0 or more"))
    _check(term_low > 0, gettext_noop("term_years must be greater than 0"))
    _check(volatility_low >= 0, gettext_noop("volatility must be 0 or more"))


_least, _greatest = np.minimum.reduce, np.maximum.reduce
_INPUT_NAMES = ("spot", "strike", "term_years", "volatility", "rate", "dividend_yield")
_STACKED_UP_TO = 65_536
_NOT_FINITE = gettext_noop("the inputs are beyond what double precision can price")


def black_scholes_call(
    spot: ArrayLike,
    strike: ArrayLike,
    term_years: ArrayLike,
    volatility: ArrayLike,
    rate: ArrayLike,
    dividend_yield: ArrayLike,
) -> float | NDArray[np.float64]:
    """European call with a continuous dividend yield: notice (12), docs/domain.md §3.

    ``C = S e^(-qT) N(d1) - X e^(-rT) N(d2)``. Arguments broadcast like numpy arrays; a float comes
    back when every argument is a scalar. Degenerate cases are taken as limits, not computed:
    strike 0 gives ``S e^(-qT)`` (the right is worth the discounted share) and volatility 0 gives
    the intrinsic forward value ``max(S e^(-qT) - X e^(-rT), 0)``. Rates may be negative.
    """
    arrays = [
        np.asarray(v, dtype=np.float64) for v in (spot, strike, term_years, volatility, rate, dividend_yield)
    ]
    shape = arrays[0].shape
    # Broadcasting costs more than the formula for one option; arrays of one shape need none.
    if any(a.shape != shape for a in arrays):
        arrays = list(np.broadcast_arrays(*arrays))
        shape = arrays[0].shape
    size = arrays[0].size
    if size == 0:
        return np.empty(shape)
    lows = _least_of_each(arrays)
    if size == 1:
        one = _one_option(*lows)
        if one is not None:
            return one if not shape else np.full(shape, one)
    strike_low, term_low, volatility_low = lows[1:4]
    # Every option has X > 0 and s sqrt(T) > 0 when the least of each does (rounding is monotone),
    # and then no limit needs selecting.
    regular = strike_low > 0 and volatility_low * math.sqrt(term_low) > 0

    # Extreme but finite inputs may overflow on the way (S/X for a denormal X gives inf, and
    # N(inf) = 1 is the right limit), so intermediate warnings are silenced and only a
    # non-finite result is an error.
    if not shape:
        arrays = [a.reshape(1) for a in arrays]  # in place needs an array, not a numpy scalar
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        price = _formula(*arrays, regular=regular)
        # A sum is finite only if every term is; a batch whose sum overflows is looked at whole.
        finite = math.isfinite(np.add.reduce(price, axis=None)) or bool(np.isfinite(price).all())
    _check(finite, _NOT_FINITE)
    # A call is never worth less than 0; the subtraction can undershoot by a rounding error.
    np.maximum(price, 0.0, out=price)
    if not shape:
        return price.item()
    return price


def _one_option(s: float, x: float, t: float, vol: float, r: float, q: float) -> float | None:
    """One checked option with a strike and a volatility, in Python floats; ``None`` for a limit.

    The same operations in the same order as :func:`_formula`, with numpy's ``exp``, ``log`` and
    ``ndtr`` (IEEE arithmetic and ``sqrt`` round alike everywhere), so the double is the one a
    batch gives; the numpy calls on arrays of one cost more than the formula itself.
    """
    std_dev = math.sqrt(t) * vol
    if not (x > 0 and std_dev > 0):
        return None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        discounted_spot = float(_exp(-(q * t))) * s
        discounted_strike = float(_exp(-(r * t))) * x
        d1 = float(_log(s / x))
        d1 = (d1 + (r - q) * t) / std_dev + 0.5 * std_dev
        d2 = d1 - std_dev
        price = float(ndtr(d1)) * discounted_spot - float(ndtr(d2)) * discounted_strike
    _check(math.isfinite(price), _NOT_FINITE)
    # As numpy's maximum: -0.0 becomes 0.0.
    return price if price > 0.0 else 0.0


_exp, _log = np.exp, np.log


def _formula(
    s: NDArray[np.float64],
    x: NDArray[np.float64],
    t: NDArray[np.float64],
    vol: NDArray[np.float64],
    r: NDArray[np.float64],
    q: NDArray[np.float64],
    *,
    regular: bool,
) -> NDArray[np.float64]:
    """The price before the floor at 0, as a new array of the inputs' shape (one, at least 1-d).

    The same roundings as the plain formula (``-(qT)`` is ``(-q)T`` exactly), done in place in
    five arrays: a batch of a million options then costs the arithmetic, not fresh memory pages.
    ``regular`` says that every option has a strike and a volatility (no limit to select).
    """
    discounted_spot = q * t
    np.negative(discounted_spot, out=discounted_spot)
    np.exp(discounted_spot, out=discounted_spot)
    discounted_spot *= s
    discounted_strike = r * t
    np.negative(discounted_strike, out=discounted_strike)
    np.exp(discounted_strike, out=discounted_strike)
    discounted_strike *= x
    std_dev = np.sqrt(t)
    std_dev *= vol
    if regular:
        safe_x, safe_std = x, std_dev
    else:
        # Only where strike > 0 and std_dev > 0 is d1 defined; elsewhere feed harmless dummies
        # so numpy never evaluates log(0) or x/0, then select the limit values.
        defined = (x > 0) & (std_dev > 0)
        safe_x, safe_std = np.where(defined, x, 1.0), np.where(defined, std_dev, 1.0)
    d1 = s / safe_x
    np.log(d1, out=d1)
    drift = r - q
    drift *= t
    d1 += drift
    d1 /= safe_std
    half_std = np.multiply(0.5, safe_std, out=drift)
    d1 += half_std
    d2 = np.subtract(d1, safe_std, out=half_std)
    ndtr(d1, out=d1)
    ndtr(d2, out=d2)
    d1 *= discounted_spot
    d2 *= discounted_strike
    formula = np.subtract(d1, d2, out=d1)
    if regular:
        return formula
    return np.where(
        x == 0,
        discounted_spot,
        np.where(std_dev > 0, formula, discounted_spot - discounted_strike),
    )


def price_to_decimal(x: float) -> Decimal:
    """The one documented float -> Decimal boundary (docs/style.md habit 3).

    ``Decimal(repr(x))`` keeps the shortest decimal that round-trips to the same float, i.e. the
    full precision of the float as printed, without the binary noise of ``Decimal(x)``
    (``Decimal(0.1)`` is 0.1000000000000000055...).
    """
    value = float(x)  # numpy scalars: repr(np.float64) is "np.float64(...)" in numpy 2
    if not math.isfinite(value):
        raise ProblemError(gettext_noop("an option price must be finite, got %(value)s"), value=repr(value))
    return Decimal(repr(value))


class RoundingRule(StrEnum):
    """How the amount paid per right is rounded to the yen: a per-series setting (docs/domain.md §3)."""

    # C x shares per right, the total rounded up to the yen: notice (12), the seed.
    TOTAL_CEIL = "total_ceil"
    # C rounded up to the yen per share, then x shares per right.
    PER_SHARE_CEIL = "per_share_ceil"
    # C rounded half up to the yen per share, then x shares per right.
    PER_SHARE_HALF_UP = "per_share_half_up"


def amount_per_right_yen(
    option_price_per_share: Decimal, shares_per_right: int, rule: RoundingRule | str
) -> int:
    """Amount to be paid in per right, in whole yen: notice (12) and the series' rounding rule."""
    if not isinstance(option_price_per_share, Decimal):
        raise TypeError("option_price_per_share must be a Decimal (convert with price_to_decimal)")
    if not option_price_per_share.is_finite() or option_price_per_share < 0:
        raise ValueError("option_price_per_share must be a finite amount of 0 or more")
    if not isinstance(shares_per_right, int) or isinstance(shares_per_right, bool):
        raise TypeError("shares_per_right must be an int")
    if shares_per_right <= 0:
        raise ValueError("shares_per_right must be at least 1")
    rule = RoundingRule(rule)
    if rule is RoundingRule.TOTAL_CEIL:
        # Trap Inexact so the product is exact (it always is at this precision): a rounded product
        # could move the ceiling by a yen.
        # typeshed allows only a dict for `traps`; Context takes a list too (a partial dict raises).
        with localcontext(prec=60, traps=[Inexact]):  # type: ignore[arg-type]
            total = option_price_per_share * shares_per_right
        return ceil_yen(total)
    if rule is RoundingRule.PER_SHARE_CEIL:
        return ceil_yen(option_price_per_share) * shares_per_right
    return half_up_yen(option_price_per_share) * shares_per_right


@dataclass(frozen=True)
class PricingInputs:
    """The six inputs of notice (12), as stored with a valuation (docs/style.md habit 7).

    Yields, rates and volatility are fractions (0.0123 for 1.23 %); the term is in years.
    """

    spot_yen: Decimal
    strike_yen: Decimal
    term_years: Decimal
    volatility: Decimal
    rate: Decimal
    dividend_yield: Decimal

    def __post_init__(self) -> None:
        for name in ("spot_yen", "strike_yen", "term_years", "volatility", "rate", "dividend_yield"):
            if not isinstance(getattr(self, name), Decimal):
                raise TypeError(f"{name} must be a Decimal")


def price_option(inputs: PricingInputs) -> Decimal:
    """Option value per share as a Decimal: notice (12).

    Each input becomes a float exactly once, and the result crosses back through
    :func:`price_to_decimal`, so the figure shown is reproducible from the stored inputs.
    """
    price = black_scholes_call(
        float(inputs.spot_yen),
        float(inputs.strike_yen),
        float(inputs.term_years),
        float(inputs.volatility),
        float(inputs.rate),
        float(inputs.dividend_yield),
    )
    assert isinstance(price, float)  # scalar inputs give a scalar
    return price_to_decimal(price)


def formula_terms(inputs: PricingInputs) -> dict[str, float]:
    """The intermediate terms of the formula for showing it with the figures filled in.

    e^(-qT), e^(-rT), sqrt(T), and d1, d2, N(d1), N(d2) where they are defined (X > 0, s > 0).
    Display only: the price itself comes from ``price_option``.
    """
    s, x, t = float(inputs.spot_yen), float(inputs.strike_yen), float(inputs.term_years)
    vol, r, q = float(inputs.volatility), float(inputs.rate), float(inputs.dividend_yield)
    terms = {"exp_qt": math.exp(-q * t), "exp_rt": math.exp(-r * t), "sqrt_t": math.sqrt(t)}
    if x > 0 and vol > 0:
        d1 = (math.log(s / x) + (r - q + vol * vol / 2) * t) / (vol * math.sqrt(t))
        d2 = d1 - vol * math.sqrt(t)
        terms.update(d1=d1, d2=d2, n_d1=float(ndtr(d1)), n_d2=float(ndtr(d2)))
    return terms
