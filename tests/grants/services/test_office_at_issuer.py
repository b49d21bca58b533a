"""(11)2 on the whole history of office at the issuer: a window that runs out extinguishes the rights
then (Art 287), whatever happens later; a seat at another company is no office for these rights."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import LedgerEvent
from grants.selectors import exercise_window
from grants.services.lapse import LapseReason, lapse_effective_date
from holders import services as holder_services
from holders.models import Position
from tests.factories import CompanyFactory
from tests.factories.lifecycle import allotted_scenario, end_office, holding

pytestmark = pytest.mark.django_db

LOST = date(2020, 6, 30)  # Tuesday: window 1-10 July 2020 (Friday), extinguished from 11 July


@pytest.fixture
def scenario(legal):
    s = allotted_scenario(legal=legal)
    end_office(s.officer, on=LOST, actor=legal)
    return s


def _start(holder, *, company, on, legal, title=Position.Title.DIRECTOR):
    holder_services.position_start(holder=holder, company=company, title=title, started_on=on, actor=legal)


def _window(s):
    return exercise_window(holder=s.officer, series=s.series)


def test_reappointment_after_the_window_ran_out_revives_nothing(scenario, legal):
    _start(scenario.officer, company=scenario.series.company, on=date(2020, 7, 20), legal=legal)
    window = _window(scenario)
    assert (window.kind, window.first, window.last) == ("departure", date(2020, 7, 1), date(2020, 7, 10))
    h = holding(scenario.series, scenario.officer)
    assert lapse_effective_date(
        lot=h.lots.get(rights__gt=0), reason=LapseReason.DEPARTURE_WINDOW_ENDED, as_of=date(2020, 8, 1)
    ) == date(2020, 7, 11)
    with pytest.raises(ValidationError, match="outside the holder's window"):
        services.exercise_request(holding=h, rights=5, requested_on=date(2020, 7, 21), actor=legal)
    event = services.rights_lapse(
        lot=h.lots.get(rights__gt=0),
        reason=LapseReason.DEPARTURE_WINDOW_ENDED,
        as_of=date(2020, 8, 1),
        actor=legal,
    )
    assert (event.effective_date, event.rights_delta) == (date(2020, 7, 11), -5)


def test_reappointment_within_the_window_undoes_the_loss(scenario, legal):
    _start(scenario.officer, company=scenario.series.company, on=date(2020, 7, 6), legal=legal)
    assert _window(scenario).kind == "in_office"
    h = holding(scenario.series, scenario.officer)
    assert (
        lapse_effective_date(
            lot=h.lots.get(rights__gt=0), reason=LapseReason.DEPARTURE_WINDOW_ENDED, as_of=date(2020, 8, 1)
        )
        is None
    )


def test_a_death_after_the_window_ran_out_opens_no_heir_window(scenario, legal):
    services.death_record(holder=scenario.officer, died_on=date(2020, 8, 1), actor=legal)
    scenario.officer.refresh_from_db()
    window = _window(scenario)
    assert (window.kind, window.last) == ("departure", date(2020, 7, 10))
    with pytest.raises(ValidationError) as refused:
        services.inheritance_open(deceased=scenario.officer, actor=legal)
    assert refused.value.code == "extinguished" and "2020-07-11" in refused.value.messages[0]
    h = holding(scenario.series, scenario.officer)
    event = services.rights_lapse(
        lot=h.lots.get(rights__gt=0),
        reason=LapseReason.DEPARTURE_WINDOW_ENDED,
        as_of=date(2020, 8, 2),
        actor=legal,
    )
    assert event.effective_date == date(2020, 7, 11)


def test_a_death_within_the_window_leaves_the_rights_to_the_heir(scenario, legal):
    services.death_record(holder=scenario.officer, died_on=date(2020, 7, 5), actor=legal)
    scenario.officer.refresh_from_db()
    assert _window(scenario).kind == "deceased"
    assert services.inheritance_open(deceased=scenario.officer, actor=legal).deceased == scenario.officer


def test_a_seat_at_another_company_is_no_office_at_the_issuer(legal):
    s = allotted_scenario(legal=legal)
    end_office(s.director, on=LOST, actor=legal)
    _start(s.director, company=CompanyFactory(name="Another Board Inc."), on=date(2020, 7, 1), legal=legal)
    assert s.director.in_office
    window = exercise_window(holder=s.director, series=s.series)
    assert (window.kind, window.first, window.last) == ("departure", date(2020, 7, 1), date(2020, 7, 10))
    h = holding(s.series, s.director)
    request = services.exercise_request(holding=h, rights=10, requested_on=date(2020, 7, 3), actor=legal)
    assert request.rights == 10


def test_the_sweep_lapses_a_reappointed_holder_whose_window_ran_out(scenario, legal):
    from jobs.actors import system_user
    from jobs.sweep import daily_sweep

    _start(scenario.officer, company=scenario.series.company, on=date(2020, 7, 20), legal=legal)
    result = daily_sweep(as_of=date(2020, 8, 1), actor=system_user())
    assert [(r["holder"], r["effective_date"]) for r in result["lapsed"]] == [
        (scenario.officer.name, "2020-07-11")
    ]
    assert (
        LedgerEvent.objects.filter(event_type=LedgerEvent.Type.LAPSED, holder=scenario.officer).count() == 1
    )
