"""The expense schedule, the year's figures and the stock-option note (docs/domain.md §7.1-§7.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from accounting.domain import periods as fiscal
from accounting.domain.movements import Movements, movements
from accounting.domain.schedule import PeriodAmounts, expense_schedule
from companies.models import Company
from grants.models import ExerciseRequest
from valuations.models import Valuation

from .inputs import SeriesFacts, company_standard, schedule_quarters, series_facts
from .tax import closes_for, market_price, yen_text


@dataclass
class SeriesSchedule:
    facts: SeriesFacts
    standard: str
    quarters: list[PeriodAmounts]

    @property
    def total_yen(self) -> int:
        return sum(q.expense_yen for q in self.quarters)

    def years(self, end_month: int) -> list[PeriodAmounts]:
        """The quarters summed by fiscal year: a year is the sum of its quarters (reading R27)."""
        years: dict[date, PeriodAmounts] = {}
        for q in self.quarters:
            year = fiscal.fiscal_year_containing(q.period.end, end_month=end_month)
            row = years.setdefault(year.end, PeriodAmounts(period=year))
            row.expense_yen += q.expense_yen
            row.lapse_gain_yen += q.lapse_gain_yen
            row.equity_transfer_yen += q.equity_transfer_yen
            row.accelerated_yen += q.accelerated_yen
            row.cumulative_expense_yen = q.cumulative_expense_yen
        return list(years.values())

    def in_year(self, year: fiscal.Period) -> list[PeriodAmounts]:
        return [q for q in self.quarters if year.start <= q.period.end <= year.end]


def schedule_for(facts: SeriesFacts, *, standard: str, quarters: list[fiscal.Period]) -> SeriesSchedule:
    if facts.problem:
        return SeriesSchedule(facts=facts, standard=standard, quarters=[])
    assert facts.tranche is not None and facts.fair_value_per_right_yen is not None
    rows = expense_schedule(
        standard=standard,
        fair_value_per_right_yen=facts.fair_value_per_right_yen,
        granted_on=facts.granted_on,
        tranches=[facts.tranche],
        changes=facts.changes,
        periods=quarters,
    )
    return SeriesSchedule(facts=facts, standard=standard, quarters=rows)


def company_schedules(
    *, company: Company, standard: str | None = None, through: date | None = None, series=None
) -> list[SeriesSchedule]:
    chosen = company_standard(company, standard)
    facts = series_facts(company=company, series=series)
    quarters = schedule_quarters(facts, end_month=company.fiscal_year_end_month, through=through or date.min)
    return [schedule_for(f, standard=chosen, quarters=quarters) for f in facts if f.granted_rights]


@dataclass
class SeriesYear:
    schedule: SeriesSchedule
    expense_yen: int
    lapse_gain_yen: int
    equity_transfer_yen: int
    shares_per_right: int
    rights: Movements | None
    shares: Movements | None
    exercise_price_yen: Decimal
    fair_value_per_share_yen: Decimal | None
    average_price_at_exercise_yen: Decimal | None
    valuation: Valuation | None
    exercises: list = field(default_factory=list)

    @property
    def series(self):
        return self.schedule.facts.series


@dataclass
class YearReport:
    company: Company
    year: fiscal.Period
    standard: str
    series: list[SeriesYear]

    @property
    def expense_yen(self) -> int:
        return sum(s.expense_yen for s in self.series)

    @property
    def lapse_gain_yen(self) -> int:
        return sum(s.lapse_gain_yen for s in self.series)

    @property
    def equity_transfer_yen(self) -> int:
        return sum(s.equity_transfer_yen for s in self.series)


def _average_price(exercises: list[ExerciseRequest], closes) -> Decimal | None:
    """The average share price at exercise, weighted by the shares delivered (reading R32)."""
    weighted, shares = Decimal(0), 0
    for e in exercises:
        price = market_price(closes, e.exercised_on)
        if price is None:
            return None
        weighted += price.close_yen * e.shares
        shares += e.shares
    return (weighted / shares).quantize(Decimal("1"), rounding=ROUND_HALF_UP) if shares else None


def year_report(*, company: Company, fiscal_year_end: date, standard: str | None = None) -> YearReport:
    """Every allotted series of the company in the fiscal year ending ``fiscal_year_end``."""
    year = fiscal.fiscal_year_ending(fiscal_year_end, end_month=company.fiscal_year_end_month)
    chosen = company_standard(company, standard)
    schedules = company_schedules(company=company, standard=chosen, through=year.end)
    exercised = list(
        ExerciseRequest.objects.filter(
            series__company=company,
            status=ExerciseRequest.Status.EXERCISED,
            exercised_on__gte=year.start,
            exercised_on__lte=year.end,
        ).order_by("exercised_on", "pk")
    )
    closes = closes_for(company=company, until=year.end) if exercised else []
    valuations = {
        v.series_id: v
        for v in Valuation.objects.filter(series__company=company, status=Valuation.Status.APPROVED).order_by(
            "valuation_date", "pk"
        )
    }
    rows = []
    for schedule in schedules:
        facts = schedule.facts
        in_year = schedule.in_year(year)
        spr = facts.shares_per_right_on(year.end)
        rights = (
            movements(
                granted_on=facts.granted_on,
                granted=facts.granted_rights,
                vest_on=facts.vest_on,
                changes=facts.changes,
                year=year,
            )
            if facts.vest_on is not None
            else None
        )
        mine = [e for e in exercised if e.series_id == facts.series.pk]
        fair = facts.fair_value_per_right_yen
        rows.append(
            SeriesYear(
                schedule=schedule,
                expense_yen=sum(q.expense_yen for q in in_year),
                lapse_gain_yen=sum(q.lapse_gain_yen for q in in_year),
                equity_transfer_yen=sum(q.equity_transfer_yen for q in in_year),
                shares_per_right=spr,
                rights=rights,
                shares=rights.scaled(spr) if rights is not None else None,
                exercise_price_yen=facts.series.exercise_price_per_share_yen,
                fair_value_per_share_yen=(
                    (Decimal(fair) / facts.shares_per_right_on(facts.granted_on)).quantize(
                        Decimal("0.01"), rounding=ROUND_HALF_UP
                    )
                    if fair is not None
                    else None
                ),
                average_price_at_exercise_yen=_average_price(mine, closes),
                valuation=valuations.get(facts.series.pk),
                exercises=mine,
            )
        )
    return YearReport(company=company, year=year, standard=chosen, series=rows)


SHARE_KEYS = ("outstanding_start", "granted", "forfeited", "vested", "exercised", "lapsed", "outstanding_end")


def shares_dict(m: Movements | None) -> dict[str, int] | None:
    if m is None:
        return None
    return {
        "outstanding_start": m.outstanding_open,
        "unvested_start": m.unvested_open,
        "granted": m.granted,
        "forfeited": m.forfeited,
        "vested": m.vested,
        "unvested_end": m.unvested_close,
        "vested_start": m.vested_open,
        "exercised": m.exercised,
        "lapsed": m.lapsed,
        "unexercised_end": m.unexercised_close,
        "outstanding_end": m.outstanding_close,
    }


def report_dict(report: YearReport) -> dict:
    """The year's figures as the command prints them and the CSV carries them."""
    return {
        "company": report.company.securities_code or report.company.name,
        "fiscal_year_start": report.year.start.isoformat(),
        "fiscal_year_end": report.year.end.isoformat(),
        "standard": report.standard,
        "expense_yen": report.expense_yen,
        "expense_account": "株式報酬費用 (share-based payment expense)",
        "lapse_gain_yen": report.lapse_gain_yen,
        "equity_transfer_yen": report.equity_transfer_yen,
        "series": [
            {
                "series": s.series.number,
                "name": s.series.name,
                "problem": s.schedule.facts.problem,
                "expense_yen": s.expense_yen,
                "lapse_gain_yen": s.lapse_gain_yen,
                "equity_transfer_yen": s.equity_transfer_yen,
                "total_expense_yen": s.schedule.total_yen,
                "shares_per_right": s.shares_per_right,
                "shares": shares_dict(s.shares),
                "exercise_price_yen": yen_text(s.exercise_price_yen),
                "average_price_at_exercise_yen": (
                    str(s.average_price_at_exercise_yen)
                    if s.average_price_at_exercise_yen is not None
                    else None
                ),
                "fair_value_per_share_yen": (
                    str(s.fair_value_per_share_yen) if s.fair_value_per_share_yen is not None else None
                ),
            }
            for s in report.series
        ],
    }
