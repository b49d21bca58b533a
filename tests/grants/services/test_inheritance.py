from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import services
from grants.models import InheritanceCase, LedgerEvent
from grants.selectors import deaths_without_heir, series_rights_balance
from grants.selectors.windows import exercise_window
from holders.models import Heir, HolderEvent, Position
from tests.factories.lifecycle import allotted_scenario, holding, new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(legal):
    return allotted_scenario(legal=legal)


def _designated(scenario, legal, *, died_on=date(2020, 8, 20)):
    services.death_record(holder=scenario.director, died_on=died_on, actor=legal)
    case = services.inheritance_open(deceased=scenario.director, actor=legal)
    heir = new_person(actor=legal, name="Heir (fictional)")
    return services.heir_designate(
        case=case, heir=heir, designated_on=date(2020, 8, 25), actor=legal, relationship="spouse"
    )


def test_death_ends_positions_without_departure_window(scenario, legal):
    services.death_record(holder=scenario.director, died_on=date(2020, 8, 20), actor=legal)
    scenario.director.refresh_from_db()
    assert scenario.director.died_on == date(2020, 8, 20)
    assert list(scenario.director.positions.values_list("end_reason", flat=True)) == [
        Position.EndReason.DEATH
    ]
    assert HolderEvent.objects.filter(
        holder=scenario.director, event_type=HolderEvent.Type.DIED, recorded_by=legal
    ).exists()
    assert exercise_window(holder=scenario.director, series=scenario.series).kind == "deceased"
    assert deaths_without_heir() == [scenario.director]
    with pytest.raises(ValidationError):
        services.death_record(holder=scenario.director, died_on=date(2020, 8, 21), actor=legal)


def test_succession_passes_holdings_and_opens_heir_window(scenario, legal, secretary):
    case = _designated(scenario, legal)
    assert deaths_without_heir() == []
    services.inheritance_approve(
        case=case,
        succeeded_on=date(2020, 8, 30),
        resolution_date=date(2020, 8, 30),
        resolution_reference="Sec 2020-8",
        actor=secretary,
    )
    case.refresh_from_db()
    assert case.status == InheritanceCase.Status.APPROVED and case.decided_by == secretary
    assert holding(scenario.series, scenario.director).rights == 0
    assert holding(scenario.series, case.heir).rights == 10
    events = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.SUCCESSION).order_by("pk")
    assert [(e.holder, e.rights_delta) for e in events] == [(scenario.director, -10), (case.heir, 10)]
    assert all(e.approved_by == secretary and e.recorded_by == secretary for e in events)
    assert not LedgerEvent.objects.filter(event_type__startswith="transfer_").exists()  # Art 261
    # Succeeded 30 Aug: counting starts 31 Aug; 6 months end on the last day of February (Art 143),
    # Sunday 28 February 2021, which the silent terms move to Monday 1 March (Art 142, reading R3).
    window = exercise_window(holder=case.heir, series=scenario.series)
    assert (window.kind, window.first, window.last) == ("heir", date(2020, 8, 31), date(2021, 3, 1))
    assert series_rights_balance(series=scenario.series)["balanced"]


def test_heir_window_capped_at_exercise_period_end(legal, secretary):
    scenario = allotted_scenario(legal=legal, exercise_period_end=date(2021, 1, 15))
    case = _designated(scenario, legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=date(2020, 8, 30),
        resolution_date=date(2020, 8, 30),
        resolution_reference="S",
        actor=secretary,
    )
    assert exercise_window(holder=case.heir, series=scenario.series).last == date(2021, 1, 15)


def test_second_heir_refused_by_service_and_database(scenario, legal):
    case = _designated(scenario, legal)
    other = new_person(actor=legal, name="Second heir")
    with pytest.raises(ValidationError):
        services.heir_designate(case=case, heir=other, designated_on=date(2020, 8, 26), actor=legal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Heir.objects.create(deceased=scenario.director, heir=other, designated_on=date(2020, 8, 26))
    assert Heir.objects.filter(deceased=scenario.director).count() == 1


def test_approver_must_differ_and_heir_needed(scenario, legal, secretary):
    services.death_record(holder=scenario.director, died_on=date(2020, 8, 20), actor=legal)
    case = services.inheritance_open(deceased=scenario.director, actor=legal)
    with pytest.raises(ValidationError):  # no heir designated yet
        services.inheritance_approve(
            case=case,
            succeeded_on=date(2020, 9, 1),
            resolution_date=date(2020, 9, 1),
            resolution_reference="S",
            actor=secretary,
        )
    heir = new_person(actor=legal, name="Heir")
    case = services.heir_designate(case=case, heir=heir, designated_on=date(2020, 8, 25), actor=legal)
    with pytest.raises(ValidationError) as exc:
        services.inheritance_approve(
            case=case,
            succeeded_on=date(2020, 9, 1),
            resolution_date=date(2020, 9, 1),
            resolution_reference="S",
            actor=legal,
        )
    assert exc.value.code == "same_user"
    with pytest.raises(ValidationError):
        services.inheritance_approve(
            case=case,
            succeeded_on=date(2020, 8, 1),
            resolution_date=date(2020, 9, 1),
            resolution_reference="S",
            actor=secretary,
        )
    assert not LedgerEvent.objects.filter(event_type=LedgerEvent.Type.SUCCESSION).exists()


def test_open_needs_death_and_one_case(scenario, legal):
    with pytest.raises(ValidationError):
        services.inheritance_open(deceased=scenario.director, actor=legal)
    services.death_record(holder=scenario.director, died_on=date(2020, 8, 20), actor=legal)
    services.inheritance_open(deceased=scenario.director, actor=legal)
    with pytest.raises(ValidationError):
        services.inheritance_open(deceased=scenario.director, actor=legal)


def test_heirs_death_lapses_the_rights(scenario, legal, secretary):
    case = _designated(scenario, legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=date(2020, 8, 30),
        resolution_date=date(2020, 8, 30),
        resolution_reference="S",
        actor=secretary,
    )
    services.death_record(holder=case.heir, died_on=date(2020, 10, 1), actor=legal)
    assert holding(scenario.series, case.heir).rights == 0
    lapse = LedgerEvent.objects.get(event_type=LedgerEvent.Type.LAPSED)
    assert (lapse.holder, lapse.rights_delta, lapse.effective_date) == (case.heir, -10, date(2020, 10, 1))
    assert lapse.payload["reason"] == "heir_died"
    with pytest.raises(ValidationError) as exc:
        services.inheritance_open(deceased=case.heir, actor=legal)
    assert exc.value.code == "heir_of_heir"
    assert series_rights_balance(series=scenario.series)["balanced"]


def test_series_without_heir_lapses_at_death(legal):
    scenario = allotted_scenario(legal=legal, heir_allowed=False)
    services.death_record(holder=scenario.officer, died_on=date(2019, 5, 5), actor=legal)
    assert holding(scenario.series, scenario.officer).rights == 0
    assert LedgerEvent.objects.get(event_type=LedgerEvent.Type.LAPSED).payload["reason"] == "no_succession"


def test_opening_the_case_and_designating_the_heir_are_on_the_ledger(scenario, legal):
    case = _designated(scenario, legal)
    opened = LedgerEvent.objects.get(event_type=LedgerEvent.Type.INHERITANCE_OPENED)
    assert (opened.holder, opened.effective_date, opened.recorded_by) == (
        scenario.director,
        date(2020, 8, 20),
        legal,
    )
    assert opened.payload["inheritance_case_id"] == case.pk and opened.rights_delta == 0
    designated = LedgerEvent.objects.get(event_type=LedgerEvent.Type.HEIR_DESIGNATED)
    assert designated.effective_date == date(2020, 8, 25)
    assert designated.payload == {
        "inheritance_case_id": case.pk,
        "heir_id": case.heir.pk,
        "heir": "Heir (fictional)",
        "relationship": "spouse",
    }


def test_approving_a_succession_with_nothing_left_to_pass_is_on_the_ledger(legal, secretary):
    # The terms allow no heir: the rights lapse at death, yet the board's approval is still recorded.
    scenario = allotted_scenario(legal=legal, heir_allowed=False)
    case = _designated(scenario, legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=date(2020, 8, 30),
        resolution_date=date(2020, 8, 31),
        resolution_reference="Sec 2020-8",
        actor=secretary,
    )
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.SUCCESSION)
    assert (event.series, event.holder, event.rights_delta) == (None, scenario.director, 0)
    assert (event.recorded_by, event.approved_by, event.effective_date) == (
        secretary,
        secretary,
        date(2020, 8, 30),
    )
    assert (event.resolution_date, event.resolution_reference) == (date(2020, 8, 31), "Sec 2020-8")
    assert event.payload == {
        "inheritance_case_id": case.pk,
        "rights": 0,
        "deceased_id": scenario.director.pk,
        "heir_id": case.heir_id,
        "side": "none",
    }
    assert holding(scenario.series, scenario.director).rights == 0
    assert series_rights_balance(series=scenario.series)["balanced"]
