"""What the accounts need of each series, read once per company: the grant, the service period and
every change of rights on the ledger (docs/domain.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from accounting.domain import periods as fiscal
from accounting.domain.schedule import CANCELLED, EXERCISED, IFRS, JGAAP, LAPSED, RightsChange, Tranche
from companies.access import visible_companies
from companies.models import Company
from grants.models import Allotment, LedgerEvent, Series, ShareAdjustment

# Ledger events that take rights away from the holders, and how the accounts read each.
CHANGE_KINDS: dict[str, str] = {
    LedgerEvent.Type.EXERCISED: EXERCISED,
    LedgerEvent.Type.LAPSED: LAPSED,
    LedgerEvent.Type.ACQUIRED_BY_COMPANY: CANCELLED,
    LedgerEvent.Type.RESTRUCTURED: CANCELLED,
}


@dataclass
class SeriesFacts:
    """One series as the accounts see it; ``problem`` says why it cannot be scheduled yet."""

    series: Series
    granted_on: date
    granted_rights: int
    fair_value_per_right_yen: int | None
    tranche: Tranche | None
    changes: list[RightsChange]
    events: list[LedgerEvent]

    @property
    def vest_on(self) -> date | None:
        if self.tranche is None:
            return None
        return self.granted_on if self.tranche.past_service else self.tranche.end

    @property
    def problem(self) -> str:
        if self.granted_rights == 0:
            return "not_allotted"
        if self.fair_value_per_right_yen is None:
            return "no_fair_value"
        if self.tranche is None:
            return "no_service_period"
        return ""

    def shares_per_right_on(self, on: date) -> int:
        return self.series.shares_per_right_on(on)


def companies_for(user) -> QuerySet[Company]:
    return visible_companies(user).order_by("name")


def company_standard(company: Company, standard: str | None) -> str:
    chosen = standard or company.accounting_standard
    if chosen not in (JGAAP, IFRS):
        raise ValueError(f"unknown standard {chosen!r}")
    return chosen


def _tranche(series: Series) -> Tranche | None:
    if series.service_period == Series.ServicePeriod.PAST_SERVICE:
        return Tranche(series.allotted_rights, None, None)
    if series.service_period == Series.ServicePeriod.PERIOD:
        return Tranche(series.allotted_rights, series.service_period_start, series.service_period_end)
    return None


def series_facts(*, company: Company, series: Series | None = None) -> list[SeriesFacts]:
    """Every allotted series of ``company`` (or the one given) with its grant and ledger changes.

    Four queries whatever the number of series and events.
    """
    qs = (
        Series.objects.filter(company=company)
        .select_related("company")
        .prefetch_related(
            Prefetch("allotments", queryset=Allotment.objects.order_by("pk")),
            Prefetch("share_adjustments", queryset=ShareAdjustment.objects.order_by("applies_from")),
            Prefetch(
                "ledger_events",
                queryset=LedgerEvent.objects.filter(event_type__in=list(CHANGE_KINDS), rights_delta__lt=0)
                .select_related("holder")
                .order_by("effective_date", "pk"),
                to_attr="rights_changes",
            ),
        )
        .order_by("number")
    )
    if series is not None:
        qs = qs.filter(pk=series.pk)
    rows = []
    for each in qs:
        allotments = list(each.allotments.all())
        amounts = {a.amount_paid_per_right_yen for a in allotments}
        fair_value = amounts.pop() if len(amounts) == 1 else None
        events = list(each.rights_changes)
        rows.append(
            SeriesFacts(
                series=each,
                granted_on=each.allotment_date,
                granted_rights=sum(a.rights for a in allotments),
                fair_value_per_right_yen=fair_value,
                tranche=_tranche(each) if allotments else None,
                changes=[
                    RightsChange(e.effective_date, CHANGE_KINDS[e.event_type], -e.rights_delta)
                    for e in events
                ],
                events=events,
            )
        )
    return rows


def schedule_quarters(facts: list[SeriesFacts], *, end_month: int, through: date) -> list[fiscal.Period]:
    """The quarters from the earliest grant to ``through`` and every series' last day of service."""
    dated = [f for f in facts if f.granted_rights]
    if not dated:
        return []
    first = min(f.granted_on for f in dated)
    last = max([through, *(f.vest_on for f in dated if f.vest_on is not None)])
    return fiscal.quarters_between(first, last, end_month=end_month)
