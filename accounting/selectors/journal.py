"""Journal entries of a fiscal year: allotment, each quarter's expense, exercise, lapse and
cancellation, in Japanese account names with English alongside (docs/domain.md §7.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from accounting.domain import periods as fiscal
from accounting.domain.schedule import CANCELLED, EXERCISED, JGAAP
from companies.models import Company
from grants.models import ExerciseRequest

from .inputs import CHANGE_KINDS
from .reports import SeriesSchedule, company_schedules

# (Japanese, English): the accounts of ASBJ Statement No. 8 and the Companies Act's capital.
PREPAID = ("前払費用", "Prepaid expenses")
EXPENSE = ("株式報酬費用", "Share-based payment expense")
RIGHTS = ("新株予約権", "Stock acquisition rights")
CASH = ("現金預金", "Cash and deposits")
CAPITAL = ("資本金", "Share capital")
RESERVE = ("資本準備金", "Capital reserve")
LAPSE_GAIN = ("新株予約権戻入益", "Gain on reversal of stock acquisition rights")
OTHER_CAPITAL_SURPLUS = ("その他資本剰余金", "Other capital surplus")


@dataclass(frozen=True)
class Line:
    account: tuple[str, str]
    debit_yen: int = 0
    credit_yen: int = 0


@dataclass
class Entry:
    on: date
    series_number: int
    kind: str
    description: str
    lines: list[Line] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return sum(x.debit_yen for x in self.lines) == sum(x.credit_yen for x in self.lines)


def _pair(debit: tuple[str, str], credit: tuple[str, str], amount: int) -> list[Line]:
    """One debit and one credit; a negative amount reverses the sides."""
    if amount < 0:
        debit, credit, amount = credit, debit, -amount
    return [Line(debit, debit_yen=amount), Line(credit, credit_yen=amount)]


def _series_entries(
    schedule: SeriesSchedule, year: fiscal.Period, exercises: dict[int, ExerciseRequest]
) -> list[Entry]:
    facts = schedule.facts
    series, fv = facts.series, facts.fair_value_per_right_yen or 0
    prepaid = series.payment_by_setoff and facts.tranche is not None and not facts.tranche.past_service
    # Set off against remuneration claims (12): the rights are paid for at allotment, and the prepaid
    # remuneration is expensed over the service period (reading R28).
    credit_for_expense = PREPAID if prepaid else RIGHTS
    rows: list[Entry] = []
    if prepaid and year.contains(facts.granted_on):
        rows.append(
            Entry(
                facts.granted_on,
                series.number,
                "allotment",
                _("Allotment of %(rights)d rights, paid by set-off against remuneration claims (12)")
                % {"rights": facts.granted_rights},
                _pair(PREPAID, RIGHTS, fv * facts.granted_rights),
            )
        )
    for quarter in schedule.in_year(year):
        if quarter.expense_yen:
            text = _("Share-based payment expense for the quarter %(start)s to %(end)s") % {
                "start": quarter.period.start.isoformat(),
                "end": quarter.period.end.isoformat(),
            }
            if quarter.accelerated_yen:
                text += " " + _("(of which %(yen)s yen recognised at exercise before vesting)") % {
                    "yen": f"{quarter.accelerated_yen:,}"
                }
            rows.append(
                Entry(
                    quarter.period.end,
                    series.number,
                    "expense",
                    text,
                    _pair(EXPENSE, credit_for_expense, quarter.expense_yen),
                )
            )
    for event in facts.events:
        if not year.contains(event.effective_date):
            continue
        rights = -event.rights_delta
        kind = {EXERCISED: "exercise", CANCELLED: "cancellation"}.get(CHANGE_KINDS[event.event_type], "lapse")
        if kind == "exercise":
            request = exercises.get(event.payload.get("exercise_request_id"))
            if request is None:
                continue
            rows.append(
                Entry(
                    event.effective_date,
                    series.number,
                    kind,
                    _("Exercise of %(rights)d rights by %(holder)s: %(shares)d new shares (OCA Art 17)")
                    % {"rights": rights, "holder": event.holder, "shares": request.shares},
                    [
                        Line(RIGHTS, debit_yen=request.book_value_yen),
                        Line(CASH, debit_yen=request.payment_yen),
                        Line(CAPITAL, credit_yen=request.capital_yen),
                        Line(RESERVE, credit_yen=request.reserve_yen),
                    ],
                )
            )
            continue
        before_vesting = facts.vest_on is not None and event.effective_date <= facts.vest_on
        amount = fv * rights
        if before_vesting:
            # a forfeiture: the expense is reversed through the quarter's true-up above
            description = _("Forfeiture of %(rights)d rights before vesting") % {"rights": rights}
            lines = _pair(RIGHTS, PREPAID, amount) if prepaid else []
        else:
            credit = LAPSE_GAIN if schedule.standard == JGAAP else OTHER_CAPITAL_SURPLUS
            description = (
                _("Lapse of %(rights)d vested rights")
                if kind == "lapse"
                else _("Cancellation of %(rights)d vested rights")
            ) % {"rights": rights}
            if schedule.standard != JGAAP:
                description += " " + _("(IFRS 2 para 23: a transfer within equity)")
            lines = _pair(RIGHTS, credit, amount)
        if lines:
            rows.append(Entry(event.effective_date, series.number, kind, description, lines))
    return rows


def journal_entries(*, company: Company, fiscal_year_end: date, standard: str | None = None) -> list[Entry]:
    year = fiscal.fiscal_year_ending(fiscal_year_end, end_month=company.fiscal_year_end_month)
    schedules = company_schedules(company=company, standard=standard, through=year.end)
    exercises = {
        e.pk: e
        for e in ExerciseRequest.objects.filter(
            series__company=company,
            status=ExerciseRequest.Status.EXERCISED,
            exercised_on__gte=year.start,
            exercised_on__lte=year.end,
        )
    }
    rows = [entry for s in schedules if not s.facts.problem for entry in _series_entries(s, year, exercises)]
    return sorted(
        rows,
        key=lambda e: (
            e.on,
            e.series_number,
            ["allotment", "exercise", "lapse", "cancellation", "expense"].index(e.kind),
        ),
    )
