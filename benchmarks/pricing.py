"""Benchmark: our vectorised Black-Scholes against QuantLib, and volatility over 20 years of closes.

Run from the project root:  .venv/bin/python -m benchmarks.pricing
Pure domain code only (no Django); finishes in well under two minutes on two cores.
"""

from __future__ import annotations

import math
import platform
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import numpy as np
import QuantLib as ql
import scipy

from grants.domain.calendar import trading_days_between, xtks_coverage
from valuations.domain.pricing import PricingInputs, black_scholes_call, price_option
from valuations.domain.volatility import historical_volatility

QUANTLIB_SAMPLE = 10_000  # QuantLib is timed on at most this many options, then extrapolated
SEED = 20130711


def best_of(repeats: int, function: Callable[..., object], *args: object, **kwargs: object) -> float:
    """Best wall time of ``repeats`` runs, in seconds: the least disturbed by other processes."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return min(times)


def random_options(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Plausible grants: X = 1 yen for a third (the seed), else 0-2 S; T up to 30 years in days."""
    spot = rng.uniform(500.0, 10_000.0, n)
    strike = np.where(rng.random(n) < 1 / 3, 1.0, spot * rng.uniform(0.0, 2.0, n))
    days = rng.integers(30, 30 * 365, n)
    return {
        "spot": spot,
        "strike": strike,
        "days": days,
        "term_years": days / 365.0,  # Actual365Fixed, as QuantLib computes it from the dates
        "volatility": rng.uniform(0.10, 0.80, n),
        "rate": rng.uniform(-0.005, 0.03, n),
        "dividend_yield": rng.uniform(0.0, 0.04, n),
    }


class QuantLibPricer:
    """AnalyticEuropeanEngine on one BlackScholesMertonProcess whose quotes are reset per option.

    Re-using the process and engine and only changing SimpleQuote values is the fast way to
    drive QuantLib from Python; a new option object is still needed for each strike/maturity.
    """

    def __init__(self) -> None:
        self.today = ql.Date(11, 7, 2013)
        ql.Settings.instance().evaluationDate = self.today
        day_count = ql.Actual365Fixed()
        self.spot = ql.SimpleQuote(0.0)
        self.rate = ql.SimpleQuote(0.0)
        self.dividend = ql.SimpleQuote(0.0)
        self.vol = ql.SimpleQuote(0.0)
        process = ql.BlackScholesMertonProcess(
            ql.QuoteHandle(self.spot),
            ql.YieldTermStructureHandle(
                ql.FlatForward(self.today, ql.QuoteHandle(self.dividend), day_count, ql.Continuous)
            ),
            ql.YieldTermStructureHandle(
                ql.FlatForward(self.today, ql.QuoteHandle(self.rate), day_count, ql.Continuous)
            ),
            ql.BlackVolTermStructureHandle(
                ql.BlackConstantVol(self.today, ql.NullCalendar(), ql.QuoteHandle(self.vol), day_count)
            ),
        )
        self.engine = ql.AnalyticEuropeanEngine(process)

    def price(self, options: dict[str, np.ndarray], count: int) -> np.ndarray:
        out = np.empty(count)
        for i in range(count):
            self.spot.setValue(float(options["spot"][i]))
            self.rate.setValue(float(options["rate"][i]))
            self.dividend.setValue(float(options["dividend_yield"][i]))
            self.vol.setValue(float(options["volatility"][i]))
            option = ql.VanillaOption(
                ql.PlainVanillaPayoff(ql.Option.Call, float(options["strike"][i])),
                ql.EuropeanExercise(self.today + int(options["days"][i])),
            )
            option.setPricingEngine(self.engine)
            out[i] = option.NPV()
        return out


def max_relative_difference(ours: np.ndarray, reference: np.ndarray, spot: np.ndarray) -> tuple[float, float]:
    """(max relative difference where C >= 1e-6 S, max |difference| / S over all options)."""
    meaningful = reference >= 1e-6 * spot
    relative = np.abs(ours - reference)[meaningful] / reference[meaningful]
    return float(relative.max(initial=0.0)), float((np.abs(ours - reference) / spot).max())


def ours_vectorised(options: dict[str, np.ndarray]) -> np.ndarray:
    return black_scholes_call(
        options["spot"],
        options["strike"],
        options["term_years"],
        options["volatility"],
        options["rate"],
        options["dividend_yield"],
    )


def bench_pricing() -> None:
    rng = np.random.default_rng(SEED)
    pricer = QuantLibPricer()
    print("Black-Scholes call: grants.domain.pricing.black_scholes_call vs QuantLib AnalyticEuropeanEngine")
    print(
        f"{'options':>10} | {'ours (one call)':>16} | {'QuantLib':>18} | {'QuantLib / ours':>15} "
        f"| {'max rel diff':>12} | {'max |diff|/S':>12}"
    )
    for n in (1, 1_000, 1_000_000):
        options = random_options(n, rng)
        if n == 1:
            scalar = {k: float(v[0]) for k, v in options.items() if k != "days"}
            ours_seconds = best_of(2000, black_scholes_call, **scalar)
            ours = np.array([black_scholes_call(**scalar)])
        else:
            ours_seconds = best_of(5 if n <= 1_000 else 3, ours_vectorised, options)
            ours = ours_vectorised(options)
        sample = min(n, QUANTLIB_SAMPLE)
        repeats = 2000 if n == 1 else 1
        reference = pricer.price(options, sample)
        ql_sample_seconds = best_of(repeats, pricer.price, options, sample)
        ql_seconds = ql_sample_seconds * n / sample
        extrapolated = "*" if sample < n else " "
        rel, absolute = max_relative_difference(ours[:sample], reference, options["spot"][:sample])
        print(
            f"{n:>10,} | {format_seconds(ours_seconds):>16} | {format_seconds(ql_seconds) + extrapolated:>18} "
            f"| {format_ratio(ql_seconds / ours_seconds):>15} | {rel:>12.2e} | {absolute:>12.2e}"
        )
    print(
        f"* QuantLib timed on the first {QUANTLIB_SAMPLE:,} options ({QUANTLIB_SAMPLE:,} x per-option time"
        " extrapolated to 1,000,000); differences are measured on that sample."
    )
    print(
        "  max rel diff counts options worth at least 1e-6 of the spot; below that only |diff|/S means anything."
    )

    inputs = PricingInputs(
        spot_yen=Decimal("3000"),
        strike_yen=Decimal("1"),
        term_years=Decimal("15"),
        volatility=Decimal("0.55"),
        rate=Decimal("0.0165"),
        dividend_yield=Decimal("0.0125"),
    )
    per_call = best_of(2000, price_option, inputs)
    print(f"price_option (Decimal in, Decimal out, one option): {format_seconds(per_call)}")


def synthetic_closes(days: list[date], rng: np.random.Generator) -> list[tuple[date, Decimal]]:
    """Geometric Brownian motion at 35 % a year, rounded to whole yen like TSE closes."""
    shocks = rng.normal(-0.5 * 0.35**2 / 245, 0.35 / math.sqrt(245), len(days))
    levels = 3000.0 * np.exp(np.cumsum(shocks))
    return [(d, Decimal(max(1, round(p)))) for d, p in zip(days, levels, strict=True)]


def bench_volatility() -> None:
    rng = np.random.default_rng(SEED)
    start, end = date(2005, 12, 2), date(2025, 12, 1)
    build = best_of(1, xtks_coverage)  # cached from here on
    days = trading_days_between(start, end)
    prices = synthetic_closes(days, rng)
    split = [(date(2012, 10, 1), 200)]
    # Quote pre-split closes 200 times higher, as the seed's share price history is.
    quoted = [(d, c * 200 if d < split[0][0] else c) for d, c in prices]
    print()
    print(f"Volatility over 20 years of daily closes ({len(prices):,} trading days, {start} to {end})")
    for frequency in ("daily", "weekly"):
        for label, series, splits in (("no split", prices, ()), ("1:200 split", quoted, split)):
            seconds = best_of(
                5, historical_volatility, series, frequency=frequency, start=start, end=end, splits=splits
            )
            result = historical_volatility(series, frequency=frequency, start=start, end=end, splits=splits)
            print(
                f"  {frequency:>6}, {label:<11}: {format_seconds(seconds):>9} per call, "
                f"{result.observations:,} observations, volatility {result.volatility:.4f}"
            )
    trading_days = best_of(3, trading_days_between, start, end)
    print(f"  trading_days_between over the 20 years: {format_seconds(trading_days)}")
    print(f"  (XTKS calendar built once per process: {format_seconds(build)})")


def format_ratio(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def format_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def main() -> None:
    started = time.perf_counter()
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"QuantLib {ql.__version__}, {platform.machine()}"
    )
    bench_pricing()
    bench_volatility()
    print(f"\ntotal benchmark time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
