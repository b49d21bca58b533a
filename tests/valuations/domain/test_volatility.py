"""Historical volatility, the s of notice (12): docs/domain.md §3.

Expected figures are derived by hand: closes alternating 100, 110, 100, ... give log returns
+ln(1.1), -ln(1.1), ...; with an even number m of them the mean is 0 and the sample variance is
m ln(1.1)^2 / (m - 1).
"""

from __future__ import annotations

import math
import statistics
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from valuations.domain.volatility import VolatilityResult, historical_volatility

LN_1_1 = math.log(1.1)


def alternating_vol(returns: int, periods_per_year: float) -> float:
    assert returns % 2 == 0
    return LN_1_1 * math.sqrt(returns / (returns - 1)) * math.sqrt(periods_per_year)


def weekdays(first_monday: date, weeks: int) -> list[date]:
    return [first_monday + timedelta(days=7 * w + d) for w in range(weeks) for d in range(5)]


def weekly_series(first_monday: date, weeks: int) -> list[tuple[date, Decimal]]:
    """Every weekday priced; Fridays alternate 100/110, other days are noise weekly must ignore."""
    prices = []
    for day in weekdays(first_monday, weeks):
        week = (day - first_monday).days // 7
        if day.weekday() == 4:
            prices.append((day, Decimal(100 if week % 2 == 0 else 110)))
        else:
            prices.append((day, Decimal(500 + day.day)))
    return prices


MONDAY = date(2012, 7, 2)


def test_weekly_uses_fridays_and_sqrt_52():
    prices = weekly_series(MONDAY, 11)  # 11 Fridays -> 10 returns
    result = historical_volatility(prices, frequency="weekly", start=MONDAY, end=MONDAY + timedelta(days=80))
    assert isinstance(result, VolatilityResult)
    assert result.volatility == pytest.approx(alternating_vol(10, 52), rel=1e-12)
    assert result.annualisation_factor == 52.0
    assert result.observations == 11
    assert len(result.returns) == 10
    assert [d.weekday() for d, _ in result.used_prices] == [4] * 11
    assert result.returns[0] == (date(2012, 7, 13), pytest.approx(LN_1_1))
    assert result.first_date == date(2012, 7, 6)
    assert result.last_date == date(2012, 9, 14)
    assert result.frequency == "weekly"
    assert result.method == (
        "log returns of weekly closes (last trading day of each week), "
        "sample standard deviation (n-1), annualised by sqrt(52)"
    )


def test_split_in_window_gives_the_same_volatility():
    """The seed window holds a 1:200 split quoted on the new basis from its ex-rights date,
    Wednesday 2012-09-26: earlier closes are 200 times higher."""
    monday = date(2012, 8, 20)  # weeks on both sides of 2012-09-26
    unsplit = weekly_series(monday, 11)
    split_date = date(2012, 9, 26)
    quoted = [(d, c * 200 if d < split_date else c) for d, c in unsplit]
    window = {"frequency": "weekly", "start": monday, "end": monday + timedelta(days=80)}

    plain = historical_volatility(unsplit, **window)
    adjusted = historical_volatility(quoted, splits=[(split_date, 200)], **window)

    assert adjusted.volatility == pytest.approx(plain.volatility, rel=1e-12)
    assert adjusted.volatility == pytest.approx(alternating_vol(10, 52), rel=1e-12)
    assert adjusted.used_prices == plain.used_prices
    assert adjusted.method.endswith("; prices before 2012-09-26 divided by 200")
    # Unadjusted, the jump through the split would dominate.
    assert historical_volatility(quoted, **window).volatility > 3 * plain.volatility


def test_the_first_day_on_the_new_basis_is_not_divided():
    """Daily closes around the ex-rights date: the day before is divided, the day itself is not."""
    quoted = [
        (date(2012, 9, 24), Decimal(400_000)),
        (date(2012, 9, 25), Decimal(440_000)),
        (date(2012, 9, 26), Decimal(2_000)),
        (date(2012, 9, 27), Decimal(2_200)),
    ]
    result = historical_volatility(
        quoted,
        frequency="daily",
        start=date(2012, 9, 24),
        end=date(2012, 9, 27),
        splits=[(date(2012, 9, 26), 200)],
        trading_days_per_year=245,
    )
    assert [p for _, p in result.used_prices] == [2000.0, 2200.0, 2000.0, 2200.0]


@pytest.mark.parametrize(
    ("ratio", "quoted_before_split", "text"),
    [
        (Decimal("0.1"), ["10", "11"], "0.1"),  # 10:1 consolidation
        (Fraction(3, 2), ["150", "165"], "3/2"),
        (200, ["20000", "22000"], "200"),
    ],
)
def test_split_ratios_are_exact(ratio, quoted_before_split, text):
    days = [date(2012, 7, 9), date(2012, 7, 10), date(2012, 7, 11), date(2012, 7, 12)]
    quoted = list(zip(days, [Decimal(c) for c in [*quoted_before_split, "100", "110"]], strict=True))
    result = historical_volatility(
        quoted,
        frequency="daily",
        start=days[0],
        end=days[-1],
        splits=[(date(2012, 7, 11), ratio)],
        trading_days_per_year=250,
    )
    assert [p for _, p in result.used_prices] == [100.0, 110.0, 100.0, 110.0]
    assert result.method.endswith(f"divided by {text}")


def test_week_whose_friday_is_a_holiday_uses_its_last_trading_day():
    prices = weekly_series(MONDAY, 5)
    friday = date(2012, 7, 20)  # week 3: pretend Friday is a holiday and Thursday closes at 100
    prices = [(d, Decimal(100) if d == friday - timedelta(days=1) else c) for d, c in prices if d != friday]
    result = historical_volatility(prices, frequency="weekly", start=MONDAY, end=date(2012, 8, 3))
    used_dates = [d for d, _ in result.used_prices]
    assert friday - timedelta(days=1) in used_dates
    assert friday not in used_dates
    assert result.volatility == pytest.approx(alternating_vol(4, 52), rel=1e-12)


def test_week_without_trading_is_skipped_not_zero_filled():
    prices = weekly_series(MONDAY, 6)  # Fridays: 100 110 100 110 100 110
    closed_week = {MONDAY + timedelta(days=14 + d) for d in range(5)}  # third week: no trading
    prices = [(d, c) for d, c in prices if d not in closed_week]
    result = historical_volatility(prices, frequency="weekly", start=MONDAY, end=date(2012, 8, 10))
    assert result.observations == 5
    # Closes 100, 110, [skipped], 110, 100, 110: returns +a, 0 (spanning two weeks), -a, +a.
    expected = statistics.stdev([LN_1_1, 0.0, -LN_1_1, LN_1_1]) * math.sqrt(52)
    assert result.volatility == pytest.approx(expected, rel=1e-12)
    assert result.returns[1] == (date(2012, 7, 27), pytest.approx(0.0, abs=1e-15))


def test_daily_with_given_factor():
    days = weekdays(MONDAY, 2)[:9]  # 9 closes, 8 returns
    prices = [(d, 100 if i % 2 == 0 else 110) for i, d in enumerate(days)]  # ints accepted
    result = historical_volatility(
        prices, frequency="daily", start=days[0], end=days[-1], trading_days_per_year=250
    )
    assert result.volatility == pytest.approx(alternating_vol(8, 250), rel=1e-12)
    assert result.annualisation_factor == 250.0
    assert "annualised by sqrt(250)" in result.method


def test_daily_default_factor_is_returns_per_year_in_the_window():
    # Three closes over 364 days: 2 returns in 364/365.25 years.
    prices = [(date(2013, 1, 1), 100.0), (date(2013, 7, 2), 110.0), (date(2013, 12, 31), 100.0)]
    result = historical_volatility(prices, frequency="daily", start=date(2013, 1, 1), end=date(2013, 12, 31))
    factor = 2 / (364 / 365.25)
    assert result.annualisation_factor == pytest.approx(factor, rel=1e-15)
    assert result.volatility == pytest.approx(
        statistics.stdev([LN_1_1, -LN_1_1]) * math.sqrt(factor), rel=1e-12
    )
    assert "2 returns over 364 days / 365.25" in result.method


def test_window_is_inclusive_and_filters():
    days = weekdays(MONDAY, 2)
    prices = [(d, Decimal(100 if i % 2 == 0 else 110)) for i, d in enumerate(days)]
    result = historical_volatility(
        prices, frequency="daily", start=days[2], end=days[6], trading_days_per_year=250
    )
    assert result.first_date == days[2]
    assert result.last_date == days[6]
    assert result.observations == 5


def test_unsorted_input_is_sorted():
    days = weekdays(MONDAY, 1)
    prices = [(d, 100 if i % 2 == 0 else 110) for i, d in enumerate(days)]
    forward = historical_volatility(
        prices, frequency="daily", start=days[0], end=days[-1], trading_days_per_year=250
    )
    backward = historical_volatility(
        prices[::-1], frequency="daily", start=days[0], end=days[-1], trading_days_per_year=250
    )
    assert forward == backward


@pytest.mark.parametrize(
    ("prices", "kwargs", "message"),
    [
        (weekly_series(MONDAY, 2), {"frequency": "weekly"}, "need at least 3 weekly closes"),
        ([(MONDAY, 100), (MONDAY + timedelta(1), 0), (MONDAY + timedelta(2), 100)], {}, "must be a positive"),
        (
            [(MONDAY, 100), (MONDAY + timedelta(1), -5), (MONDAY + timedelta(2), 100)],
            {},
            "must be a positive",
        ),
        ([(MONDAY, 100), (MONDAY, 101), (MONDAY + timedelta(2), 100)], {}, "duplicate price date 2012-07-02"),
        (weekly_series(MONDAY, 4), {"frequency": "monthly"}, "unknown frequency 'monthly'"),
        (weekly_series(MONDAY, 4), {"start": date(2012, 9, 1), "end": date(2012, 7, 1)}, "is after end"),
        (weekly_series(MONDAY, 4), {"trading_days_per_year": 0}, "positive"),
        (
            weekly_series(MONDAY, 4),
            {"splits": [(date(2012, 7, 4), 0)]},
            "split ratio on 2012-07-04 must be positive",
        ),
    ],
)
def test_errors(prices, kwargs, message):
    arguments = {"frequency": "daily", "start": date(2012, 7, 1), "end": date(2012, 9, 1)} | kwargs
    with pytest.raises(ValueError, match=message):
        historical_volatility(prices, **arguments)


def test_float_split_ratio_is_refused():
    with pytest.raises(TypeError, match="exact"):
        historical_volatility(
            weekly_series(MONDAY, 4),
            frequency="weekly",
            start=MONDAY,
            end=date(2012, 8, 1),
            splits=[(MONDAY, 2.0)],
        )


def test_method_is_also_kept_as_a_template_with_its_figures():
    """The method statement can be shown in another language: template + figures, splits nested."""
    monday = date(2012, 8, 20)
    split_date = date(2012, 9, 26)
    quoted = [(d, c * 200 if d < split_date else c) for d, c in weekly_series(monday, 11)]
    result = historical_volatility(
        quoted,
        frequency="weekly",
        start=monday,
        end=monday + timedelta(days=80),
        splits=[(split_date, 200)],
    )
    problem = result.method_problem
    assert problem.template == "%(method)s; prices before %(date)s divided by %(ratio)s"
    assert problem.params["date"] == "2012-09-26" and problem.params["ratio"] == "200"
    assert problem.params["method"].template.startswith("log returns of weekly closes")
    assert problem.render() == result.method
    # Translated part by part: every template goes through the translator, figures do not.
    marked = problem.render(lambda template: f"<{template}>")
    assert marked.startswith("<<log returns of weekly closes") and marked.endswith("divided by 200>")


def test_measured_daily_method_template_keeps_the_figures_as_parameters():
    prices = [(MONDAY + timedelta(days=d), 100 if d % 2 else 110) for d in (0, 1, 2, 3, 4, 7, 8)]
    result = historical_volatility(prices, frequency="daily", start=MONDAY, end=MONDAY + timedelta(days=8))
    assert result.method_problem.params == {
        "factor": f"{result.annualisation_factor:.4f}",
        "returns": 6,
        "days": 8,
    }
    assert result.method_problem.render() == result.method
