"""Checks every market-data import makes before it writes anything: docs/domain.md reading R37, reading R38.

A date outside the years market data can be about, a share price on a day the exchange was closed,
a J-Quants file of another company: each is a problem of its line, and the import writes nothing.
J-Quants' adjustment factors are compared with the approved splits and consolidations, and the
result is said on the import report (a mismatch does not stop the import: the recorded corporate
actions are what valuations adjust by).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_noop

from equityplan.clock import today
from grants.domain.calendar import is_trading_day
from grants.models import Company
from grants.selectors.corporate_actions import price_basis_changes
from valuations.domain.problems import Problem
from valuations.selectors.calendar import calendar_overrides

# Share prices and dividends before this are not data this application can use (docs/domain.md reading R37).
EARLIEST_MARKET_DATE = date(1990, 1, 1)
# The ministry's yield series begins on this day; its full-history file starts there (docs/domain.md reading R37).
EARLIEST_JGB_DATE = date(1974, 9, 24)


def date_problems(days: dict[date, int], *, earliest: date) -> list[tuple[int, Problem]]:
    """Each day before ``earliest`` or after today, with its line."""
    latest = today()
    problems = []
    for day, line in days.items():
        if day < earliest:
            problems.append(
                (
                    line,
                    Problem(
                        gettext_noop("%(date)s is before %(earliest)s: not a date this file can be about."),
                        {"date": day.isoformat(), "earliest": earliest.isoformat()},
                    ),
                )
            )
        elif day > latest:
            problems.append(
                (
                    line,
                    Problem(
                        gettext_noop("%(date)s is after today (%(today)s): no price or yield is known yet."),
                        {"date": day.isoformat(), "today": latest.isoformat()},
                    ),
                )
            )
    return problems


def closed_day_problems(days: dict[date, int]) -> list[tuple[int, Problem]]:
    """Each day the Tokyo Stock Exchange was closed (staff's calendar overrides included)."""
    overrides = calendar_overrides()
    return [
        (
            line,
            Problem(
                gettext_noop("%(date)s (%(weekday)s) is not a Tokyo Stock Exchange trading day."),
                {"date": day.isoformat(), "weekday": day.strftime("%a")},
            ),
        )
        for day, line in days.items()
        if EARLIEST_MARKET_DATE <= day <= today() and not is_trading_day(day, overrides)
    ]


def code_problems(codes: list[str], company: Company) -> list[tuple[int, Problem]]:
    """J-Quants writes the four-digit code with a check digit 0 (3774 -> 37740)."""
    own = company.securities_code
    accepted = {own, f"{own}0"} if own else set()
    wrong = [c for c in codes if c not in accepted]
    if not wrong:
        return []
    return [
        (
            0,
            Problem(
                gettext_noop("The file is for code %(codes)s, not %(company)s (%(own)s)."),
                {"codes": ", ".join(wrong), "company": company.name, "own": own or "—"},
            ),
        )
    ]


@dataclass(frozen=True)
class AdjustmentCheck:
    """One J-Quants adjustment factor, or one recorded split, and whether the two agree."""

    day: date
    factor: Decimal | None  # the file's AdjustmentFactor on that day; None: the file has none
    recorded_ratio: Fraction | None  # shares after per share before; None: nothing recorded
    agrees: bool

    @property
    def message(self) -> Problem:
        if self.agrees:
            return Problem(
                gettext_noop(
                    "%(date)s: the adjustment factor %(factor)s agrees with the recorded split 1:%(ratio)s."
                ),
                {
                    "date": self.day.isoformat(),
                    "factor": self.factor,
                    "ratio": _ratio_text(self.recorded_ratio),
                },
            )
        if self.recorded_ratio is None:
            return Problem(
                gettext_noop(
                    "%(date)s: the file has the adjustment factor %(factor)s but no approved split or "
                    "consolidation changes the price basis that day."
                ),
                {"date": self.day.isoformat(), "factor": self.factor},
            )
        if self.factor is None:
            return Problem(
                gettext_noop(
                    "%(date)s: the recorded split 1:%(ratio)s changes the price basis that day, but the "
                    "file has no adjustment factor for it."
                ),
                {"date": self.day.isoformat(), "ratio": _ratio_text(self.recorded_ratio)},
            )
        return Problem(
            gettext_noop(
                "%(date)s: the adjustment factor %(factor)s does not match the recorded split 1:%(ratio)s "
                "(expected %(expected)s)."
            ),
            {
                "date": self.day.isoformat(),
                "factor": self.factor,
                "ratio": _ratio_text(self.recorded_ratio),
                "expected": _factor_text(1 / self.recorded_ratio),
            },
        )


def _ratio_text(ratio: Fraction | None) -> str:
    if ratio is None:
        return "—"
    return str(ratio.numerator) if ratio.denominator == 1 else f"{ratio.numerator}/{ratio.denominator}"


def _factor_text(value: Fraction) -> str:
    return format(Decimal(value.numerator) / Decimal(value.denominator), "f")


def adjustment_checks(
    *, company: Company, adjustments: list[tuple[date, Decimal, int]], first: date, last: date
) -> list[AdjustmentCheck]:
    """Compare each factor with the approved change of price basis on its day, and list recorded
    changes within the file's dates that the file has no factor for. One query."""
    recorded = {
        change.basis_from: change.ratio
        for change in price_basis_changes(
            company=company, after=None, until=last, overrides=calendar_overrides()
        )
        if change.basis_from >= first
    }
    checks = []
    for day, factor, _line in adjustments:
        ratio = recorded.pop(day, None)
        # J-Quants' factor is shares before per share after: 0.005 for a 1:200 split.
        agrees = ratio is not None and Fraction(factor) == 1 / ratio
        checks.append(AdjustmentCheck(day=day, factor=factor, recorded_ratio=ratio, agrees=agrees))
    for day, ratio in recorded.items():
        checks.append(AdjustmentCheck(day=day, factor=None, recorded_ratio=ratio, agrees=False))
    return sorted(checks, key=lambda c: c.day)
