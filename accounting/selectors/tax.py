"""Tax data at exercise: the benefit, the income category, the payroll hand-off and the data of the
annual report on exercises (docs/domain.md §7.4, §7.5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from accounting.domain import tax
from accounting.domain.periods import month_end
from companies.models import Company
from grants.models import ExerciseRequest, Lot
from valuations.models import SharePrice

CATEGORY_LABELS = {
    tax.RETIREMENT: _("Retirement income (Income Tax Act Art 30)"),
    tax.EMPLOYMENT: _("Employment income (Income Tax Act Art 28)"),
    tax.REVIEW: _("For review by the tax adviser"),
}
REASON_LABELS = {
    tax.ONLY_AFTER_LEAVING_OFFICE: _(
        "The terms let the rights be exercised only within the days after leaving office, (11)2."
    ),
    tax.WHILE_IN_OFFICE: _("The terms let the rights be exercised while in office."),
    tax.HEIR: _("Exercised by the heir of the allottee: the category of an heir's benefit needs review."),
    tax.TRANSFEREE: _("Exercised by a transferee, not the allottee: needs review."),
}


def yen_text(value: Decimal) -> str:
    """A price as plain text without trailing zeros: 1976.0000 -> "1976", 1.50 -> "1.5"."""
    return format(value.normalize(), "f")


def closes_for(*, company: Company, until: date) -> list[tuple[date, Decimal]]:
    """Every close of the company's shares up to ``until``, oldest first (one query)."""
    rows = SharePrice.objects.filter(company=company, date__lte=until, close__isnull=False).order_by("date")
    return [(day, close) for day, close in rows.values_list("date", "close") if close is not None]


def market_price(closes, on: date | None) -> tax.MarketPrice | None:
    return tax.price_on(closes, on) if on is not None else None


@dataclass
class ExerciseTax:
    exercise: ExerciseRequest
    price: tax.MarketPrice | None
    benefit_yen: int | None
    category: str
    reason: str

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS[self.category])

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])

    def as_row(self) -> dict:
        e = self.exercise
        return {
            "holder": e.holder.name,
            "holder_id": e.holder_id,
            "series": e.series.number,
            "exercised_on": e.exercised_on.isoformat() if e.exercised_on else None,
            "rights": e.rights,
            "shares": e.shares,
            "market_price_yen": yen_text(self.price.close_yen) if self.price else None,
            "market_price_date": self.price.on.isoformat() if self.price else None,
            "exercise_price_yen": yen_text(e.series.exercise_price_per_share_yen),
            "payment_yen": e.payment_yen,
            "benefit_yen": self.benefit_yen,
            "income_category": self.category,
            "reason": self.reason,
        }


def exercise_taxes(*, company: Company, start: date, end: date) -> list[ExerciseTax]:
    """Every exercise of the company's rights from ``start`` to ``end``, with its tax data (two queries)."""
    exercises = list(
        ExerciseRequest.objects.filter(
            series__company=company,
            status=ExerciseRequest.Status.EXERCISED,
            exercised_on__gte=start,
            exercised_on__lte=end,
        )
        .select_related("holder", "series", "lot")
        .prefetch_related("holder__addresses")
        .order_by("exercised_on", "pk")
    )
    closes = closes_for(company=company, until=end) if exercises else []
    rows = []
    for e in exercises:
        price = market_price(closes, e.exercised_on)
        benefit = (
            tax.economic_benefit_yen(
                market_price_yen=price.close_yen,
                exercise_price_yen=e.series.exercise_price_per_share_yen,
                shares=e.shares,
            )
            if price is not None
            else None
        )
        origin = e.lot.origin if e.lot is not None else Lot.Origin.ALLOTTED
        category, reason = tax.income_category(
            by_heir=origin == Lot.Origin.SUCCEEDED,
            by_transferee=origin == Lot.Origin.TRANSFERRED,
            only_after_leaving_office=e.series.departure_window_days > 0,
        )
        rows.append(
            ExerciseTax(exercise=e, price=price, benefit_yen=benefit, category=category, reason=reason)
        )
    return rows


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), month_end(year, month)


def annual_report_rows(taxes: list[ExerciseTax]) -> list[dict]:
    """新株予約権の行使に関する調書 (Income Tax Act Art 228-2): one row per exercise, My Number masked."""
    return [
        {
            **t.as_row(),
            "address": t.exercise.holder.current_address,
            "my_number": t.exercise.holder.my_number_masked,
            "resolution_date": t.exercise.series.resolution_date.isoformat()
            if t.exercise.series.resolution_date
            else "",
            "grant_date": t.exercise.series.allotment_date.isoformat(),
        }
        for t in taxes
    ]
