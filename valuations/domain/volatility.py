"""Historical share price volatility, the s of notice (12): docs/domain.md §3.

No public source fixes the annualisation factor or sample vs population deviation, so the defaults
(log returns, sample deviation, sqrt(52) weekly) are stated in :attr:`VolatilityResult.method`
beside the figure, and every price used is kept so the number can be recomputed. The same statement
is kept as a template with its figures (:attr:`VolatilityResult.method_problem`) so a page can show
it in its reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

import numpy as np

from valuations.domain.problems import Problem, ProblemError, gettext_noop

__all__ = ["Frequency", "VolatilityResult", "historical_volatility"]

WEEKS_PER_YEAR = 52
DAYS_PER_YEAR = 365.25  # average calendar year, leap years included

Number = Decimal | int | float
Ratio = Decimal | int | Fraction


class Frequency(StrEnum):
    WEEKLY = "weekly"
    DAILY = "daily"


@dataclass(frozen=True)
class VolatilityResult:
    """A volatility and everything needed to recompute it (docs/style.md habit 7)."""

    volatility: float
    annualisation_factor: float  # the number under the square root: 52, or returns per year
    observations: int  # prices used (returns = observations - 1)
    returns: tuple[tuple[date, float], ...]  # (date of the later price, log return)
    first_date: date
    last_date: date
    frequency: str
    method: str
    used_prices: tuple[tuple[date, float], ...]  # (date, close after split adjustment)
    method_problem: Problem  # ``method`` as a translatable template and its figures


def _to_decimal(value: Number, what: str) -> Decimal:
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, not a bool")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raise TypeError(f"{what} must be a Decimal, int or float, got {type(value).__name__}")


def _ratio_text(ratio: Ratio) -> str:
    if isinstance(ratio, Fraction):
        return str(ratio)
    return format(Decimal(ratio).normalize(), "f")


def _weekly_closes(prices: Iterable[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    """The close of the last trading day present in each ISO week (Mon-Sun): docs/domain.md §3.

    A week whose Friday is a holiday uses its Thursday (or earlier); a week without any price is
    absent rather than zero-filled, so the next return simply spans two weeks.
    """
    last_in_week: dict[tuple[int, int], tuple[date, Decimal]] = {}
    for d, close in prices:  # sorted by date, so the last one written wins
        iso = d.isocalendar()
        last_in_week[(iso.year, iso.week)] = (d, close)
    return sorted(last_in_week.values())


def historical_volatility(
    prices: Sequence[tuple[date, Number]],
    *,
    frequency: Frequency | str,
    start: date,
    end: date,
    splits: Sequence[tuple[date, Ratio]] = (),
    trading_days_per_year: float | None = None,
) -> VolatilityResult:
    """Annualised standard deviation of log returns of closes in ``[start, end]``: docs/domain.md §3.

    ``splits`` are ``(basis_from, ratio)``: the first day prices are quoted on the new basis (the
    ex-rights date) and shares after per share before (200 for the seed's 1:200 split of record date
    2012-09-30, quoted on the new basis from 2012-09-26); closes dated before ``basis_from`` are
    divided by the ratio so the series is continuous.

    Weekly returns are annualised by sqrt(52). Daily returns by sqrt(``trading_days_per_year``);
    when it is not given it is measured from the window itself: the number of daily returns per
    year, ``(observations - 1) / ((last_date - first_date).days / 365.25)``. The n - 1 returns
    span exactly the days between the first and last price, so counting returns (not prices)
    avoids a one-observation fence-post error. A fixed 245 or 250 would be a guess; this is
    whatever the TSE calendar actually produced in the window, and the factor used is recorded.
    """
    try:
        frequency = Frequency(frequency)
    except ValueError:
        raise ProblemError(
            gettext_noop("unknown frequency %(frequency)s: use 'weekly' or 'daily'"),
            frequency=repr(frequency),
        ) from None
    if start > end:
        raise ProblemError(
            gettext_noop("start %(start)s is after end %(end)s"), start=start.isoformat(), end=end.isoformat()
        )
    if trading_days_per_year is not None and not (
        math.isfinite(trading_days_per_year) and trading_days_per_year > 0
    ):
        raise ProblemError(gettext_noop("trading_days_per_year must be a positive number"))

    seen: set[date] = set()
    closes: list[tuple[date, Decimal]] = []
    for d, close in prices:
        if d in seen:
            raise ProblemError(gettext_noop("duplicate price date %(date)s"), date=d.isoformat())
        seen.add(d)
        value = _to_decimal(close, f"close on {d.isoformat()}")
        if not value.is_finite() or value <= 0:
            raise ProblemError(
                gettext_noop("close on %(date)s must be a positive number, got %(close)s"),
                date=d.isoformat(),
                close=str(close),
            )
        closes.append((d, value))

    split_list: list[tuple[date, Ratio]] = []
    for basis_from, ratio in splits:
        if isinstance(ratio, float) or isinstance(ratio, bool):
            raise TypeError("a split ratio must be exact (Decimal, int or Fraction), not float")
        if (isinstance(ratio, Decimal) and not ratio.is_finite()) or not ratio > 0:
            raise ProblemError(
                gettext_noop("split ratio on %(date)s must be positive, got %(ratio)s"),
                date=basis_from.isoformat(),
                ratio=str(ratio),
            )
        split_list.append((basis_from, ratio))

    in_window = sorted((d, c) for d, c in closes if start <= d <= end)
    selected = _weekly_closes(in_window) if frequency is Frequency.WEEKLY else in_window
    if len(selected) < 3:
        # One template per frequency: "weekly"/"daily" inside the sentence would stay English.
        template = (
            gettext_noop(
                "need at least 3 weekly closes between %(start)s and %(end)s for a sample standard "
                "deviation, found %(found)s"
            )
            if frequency is Frequency.WEEKLY
            else gettext_noop(
                "need at least 3 daily closes between %(start)s and %(end)s for a sample standard "
                "deviation, found %(found)s"
            )
        )
        raise ProblemError(template, start=start.isoformat(), end=end.isoformat(), found=len(selected))

    used: list[tuple[date, float]] = []
    applied: dict[tuple[date, Ratio], None] = {}  # ordered set of splits that moved a price
    for d, close in selected:
        # Exact division before the one float conversion; Fraction keeps 1:3 splits exact.
        adjusted = Fraction(close)
        for basis_from, ratio in split_list:
            if d < basis_from:
                adjusted /= Fraction(ratio)
                applied[(basis_from, ratio)] = None
        used.append((d, float(adjusted)))

    levels = np.array([p for _, p in used], dtype=np.float64)
    log_returns = np.log(levels[1:] / levels[:-1])
    sample_std = float(np.std(log_returns, ddof=1))

    first_date, last_date = used[0][0], used[-1][0]
    if frequency is Frequency.WEEKLY:
        factor = float(WEEKS_PER_YEAR)
        method_problem = Problem(
            gettext_noop(
                "log returns of weekly closes (last trading day of each week), "
                "sample standard deviation (n-1), annualised by sqrt(52)"
            )
        )
    elif trading_days_per_year is not None:
        factor = float(trading_days_per_year)
        method_problem = Problem(
            gettext_noop(
                "log returns of daily closes, sample standard deviation (n-1), "
                "annualised by sqrt(%(factor)s) (trading days per year as given)"
            ),
            {"factor": f"{factor:g}"},
        )
    else:
        span_days = (last_date - first_date).days
        factor = len(log_returns) / (span_days / DAYS_PER_YEAR)
        method_problem = Problem(
            gettext_noop(
                "log returns of daily closes, sample standard deviation (n-1), "
                "annualised by sqrt(%(factor)s) (returns per year in the window: %(returns)s "
                "returns over %(days)s days / 365.25)"
            ),
            {"factor": f"{factor:.4f}", "returns": len(log_returns), "days": span_days},
        )
    for basis_from, ratio in sorted(applied, key=lambda split: split[0]):
        # Nested, not concatenated, so each part stays one translatable sentence.
        method_problem = Problem(
            gettext_noop("%(method)s; prices before %(date)s divided by %(ratio)s"),
            {"method": method_problem, "date": basis_from.isoformat(), "ratio": _ratio_text(ratio)},
        )

    return VolatilityResult(
        volatility=sample_std * math.sqrt(factor),
        annualisation_factor=factor,
        observations=len(used),
        returns=tuple((d, float(r)) for (d, _), r in zip(used[1:], log_returns, strict=True)),
        first_date=first_date,
        last_date=last_date,
        frequency=frequency.value,
        method=method_problem.render(),
        used_prices=tuple(used),
        method_problem=method_problem,
    )
