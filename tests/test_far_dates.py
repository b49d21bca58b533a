"""Days near year 1 and year 9999 given to the services directly, past the forms' bounds
(docs/domain.md R51): a refusal (ValidationError), never an OverflowError."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.domain.dates import DateOutOfRange, add_days, add_years
from grants.domain.windows import civil_code_period_end, departure_window, shift_deadline
from grants.models import CorporateAction, LedgerEvent
from tests.factories.lifecycle import allotted_scenario, holding

FAR = [date(9999, 12, 31), date(9999, 12, 25), date(1, 1, 1)]


def test_domain_arithmetic_refuses_instead_of_overflowing():
    with pytest.raises(DateOutOfRange):
        add_days(date(9999, 12, 31), 1)
    with pytest.raises(DateOutOfRange):
        add_days(date(1, 1, 1), -1)
    with pytest.raises(DateOutOfRange):
        add_years(date(1, 1, 1), -20)
    with pytest.raises(DateOutOfRange):
        add_years(date(9990, 1, 1), 20)
    with pytest.raises(DateOutOfRange):
        civil_code_period_end(date(9999, 12, 25), days=14)


def test_windows_and_shifts_near_the_end_of_the_calendar_refuse():
    with pytest.raises(DateOutOfRange):
        civil_code_period_end(date(9999, 12, 31), days=14)
    with pytest.raises(DateOutOfRange):
        civil_code_period_end(date(9999, 7, 1), months=6)
    with pytest.raises(DateOutOfRange):
        departure_window(date(9999, 12, 30), days=10)
    with pytest.raises(DateOutOfRange):
        shift_deadline(date(9999, 12, 31), "next_business_day", is_business_day=lambda d: False)
    assert add_years(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert civil_code_period_end(date(2100, 12, 31), days=14) == date(2101, 1, 14)


@pytest.mark.django_db
@pytest.mark.parametrize("day", FAR)
def test_services_refuse_far_days_and_write_nothing(legal, day):
    s = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)
    events = LedgerEvent.objects.count()
    with pytest.raises(ValidationError):
        services.transfer_request(
            holding=holding(s.series, s.director), transferee=s.other, rights=1, requested_on=day, actor=legal
        )
    for kind, dates in (
        (CorporateAction.Kind.SPLIT, {"record_date": day}),
        (CorporateAction.Kind.CONDITIONAL_SPLIT, {"record_date": day, "meeting_closed_on": day}),
    ):
        with pytest.raises(ValidationError):
            services.corporate_action_record(
                company=s.series.company,
                kind=kind,
                ratio_numerator=2,
                ratio_denominator=1,
                actor=legal,
                **dates,
            )
    with pytest.raises(ValidationError):
        services.exercise_request(
            holding=holding(s.series, s.director), rights=1, requested_on=day, actor=legal
        )
    assert LedgerEvent.objects.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize("day", FAR)
def test_a_valuation_on_a_far_day_is_refused(legal, day):
    from valuations import services as valuation_services

    s = allotted_scenario(legal=legal)
    with pytest.raises(ValidationError):
        valuation_services.valuation_run(series=s.series, valuation_date=day, actor=legal)
