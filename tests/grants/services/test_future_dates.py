"""No event dated after today: every grants service that takes the date of something that happened
refuses a later day with a field error coded ``future`` and writes nothing (equityplan.clock)."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from equityplan import clock
from grants import services
from grants.models import CorporateAction, LedgerEvent
from holders.models import HolderEvent
from tests.factories import CompanyFactory
from tests.factories.lifecycle import Scenario, allotted_scenario, end_office, holding, new_person

pytestmark = pytest.mark.django_db

TOMORROW = clock.today() + timedelta(days=1)


def _designated_case(s: Scenario, legal):
    services.death_record(holder=s.director, died_on=date(2020, 8, 20), actor=legal)
    case = services.inheritance_open(deceased=s.director, actor=legal)
    heir = new_person(actor=legal, name="Heir (fictional)")
    return services.heir_designate(case=case, heir=heir, designated_on=date(2020, 8, 25), actor=legal)


def _exercise_request(s: Scenario, legal):
    end_office(s.officer, on=date(2020, 6, 30), actor=legal)
    return services.exercise_request(
        holding=holding(s.series, s.officer), rights=5, requested_on=date(2020, 7, 3), actor=legal
    )


def _proposed_split(s: Scenario, legal) -> CorporateAction:
    return services.corporate_action_record(
        company=s.series.company,
        kind="split",
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2022, 9, 30),
        actor=legal,
    )


def _held_by_company(s: Scenario, legal, secretary):
    acquisition = services.company_acquisition_resolve(
        series=s.series,
        trigger="share_exchange",
        proposal_approved_on=date(2025, 6, 20),
        acquisition_date=date(2025, 8, 1),
        resolution_date=date(2025, 7, 1),
        resolution_reference="Board 2025-07",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=date(2025, 8, 1), actor=legal)


def death_record(s, legal, secretary):
    return "died_on", lambda: services.death_record(holder=s.director, died_on=TOMORROW, actor=legal)


def heir_designate(s, legal, secretary):
    services.death_record(holder=s.director, died_on=date(2020, 8, 20), actor=legal)
    case = services.inheritance_open(deceased=s.director, actor=legal)
    heir = new_person(actor=legal, name="Heir (fictional)")
    return "designated_on", lambda: services.heir_designate(
        case=case, heir=heir, designated_on=TOMORROW, actor=legal
    )


def inheritance_succession_date(s, legal, secretary):
    case = _designated_case(s, legal)
    return "succeeded_on", lambda: services.inheritance_approve(
        case=case,
        succeeded_on=TOMORROW,
        resolution_date=date(2020, 8, 30),
        resolution_reference="S",
        actor=secretary,
    )


def inheritance_resolution_date(s, legal, secretary):
    case = _designated_case(s, legal)
    return "resolution_date", lambda: services.inheritance_approve(
        case=case,
        succeeded_on=date(2020, 8, 30),
        resolution_date=TOMORROW,
        resolution_reference="S",
        actor=secretary,
    )


def exercise_request(s, legal, secretary):
    end_office(s.officer, on=date(2020, 6, 30), actor=legal)
    return "requested_on", lambda: services.exercise_request(
        holding=holding(s.series, s.officer), rights=5, requested_on=TOMORROW, actor=legal
    )


def exercise_confirm_payment(s, legal, secretary):
    request = _exercise_request(s, legal)
    return "received_on", lambda: services.exercise_confirm_payment(
        request=request, received_on=TOMORROW, actor=legal
    )


def series_resolve(s, legal, secretary):
    from tests.factories import make_series

    series = make_series(actor=legal, resolve=False, company=s.series.company)
    return "resolution_date", lambda: services.series_resolve(
        series=series, resolution_date=TOMORROW, resolution_reference="Board", actor=secretary
    )


def series_change_allotment_date(s, legal, secretary):
    from tests.factories import make_series

    series = make_series(actor=legal, company=s.series.company)
    return "resolution_date", lambda: services.series_change_allotment_date(
        series=series,
        allotment_date=date(2013, 7, 10),
        payment_date=date(2013, 7, 10),
        resolution_date=TOMORROW,
        resolution_reference="Board",
        actor=secretary,
    )


def corporate_action_approve(s, legal, secretary):
    action = _proposed_split(s, legal)
    return "resolution_date", lambda: services.corporate_action_approve(
        action=action, resolution_date=TOMORROW, resolution_reference="Board", actor=secretary
    )


def corporate_action_reject(s, legal, secretary):
    action = _proposed_split(s, legal)
    return "resolution_date", lambda: services.corporate_action_reject(
        action=action, resolution_date=TOMORROW, resolution_reference="Board", actor=secretary
    )


def company_acquisition_resolve(s, legal, secretary):
    return "resolution_date", lambda: services.company_acquisition_resolve(
        series=s.series,
        trigger="merger",
        proposal_approved_on=date(2025, 6, 20),
        acquisition_date=TOMORROW + timedelta(days=30),  # a day the board fixes may lie ahead
        resolution_date=TOMORROW,
        resolution_reference="Board",
        actor=secretary,
    )


def company_acquisition_proposal(s, legal, secretary):
    return "proposal_approved_on", lambda: services.company_acquisition_resolve(
        series=s.series,
        trigger="merger",
        proposal_approved_on=TOMORROW,
        acquisition_date=TOMORROW + timedelta(days=30),
        resolution_date=date(2025, 7, 1),
        resolution_reference="Board",
        actor=secretary,
    )


def rights_cancel(s, legal, secretary):
    _held_by_company(s, legal, secretary)
    return "cancelled_on", lambda: services.rights_cancel(
        series=s.series,
        rights=5,
        cancelled_on=TOMORROW,
        resolution_date=date(2025, 8, 20),
        resolution_reference="Board",
        actor=legal,
    )


def restructuring_apply(s, legal, secretary):
    company = CompanyFactory(name="NewCo Holdings (fictional)")
    return "resolution_date", lambda: services.restructuring_apply(
        series=s.series,
        successor_company=company,
        kind="share_transfer",
        effective_date=date(2030, 4, 1),
        successor_number=1,
        shares_per_right=150,
        resolution_date=TOMORROW,
        resolution_reference="Plan",
        actor=secretary,
    )


CASES: list[Callable] = [
    death_record,
    heir_designate,
    inheritance_succession_date,
    inheritance_resolution_date,
    exercise_request,
    exercise_confirm_payment,
    series_resolve,
    series_change_allotment_date,
    corporate_action_approve,
    corporate_action_reject,
    company_acquisition_resolve,
    company_acquisition_proposal,
    rights_cancel,
    restructuring_apply,
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_a_date_after_today_is_refused_and_nothing_is_written(case, legal, secretary):
    scenario = allotted_scenario(legal=legal)
    field, call = case(scenario, legal, secretary)
    ledger, trail = LedgerEvent.objects.count(), HolderEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        call()
    assert [e.code for e in refused.value.error_dict[field]] == ["future"]
    assert (LedgerEvent.objects.count(), HolderEvent.objects.count()) == (ledger, trail)


def test_today_itself_is_accepted(legal):
    scenario = allotted_scenario(legal=legal)
    holder = services.death_record(holder=scenario.director, died_on=clock.today(), actor=legal)
    assert holder.died_on == clock.today()
