from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import ExerciseRequest, LedgerEvent
from grants.selectors import series_rights_balance
from holders import services as holder_services
from holders.models import Position
from tests.factories import issuer, secretary_user
from tests.factories.lifecycle import AMOUNT_PER_RIGHT_YEN, allotted_scenario, end_office, holding, new_person

pytestmark = pytest.mark.django_db

LOST = date(2020, 6, 30)  # window 1-10 July 2020


@pytest.fixture
def scenario(legal):
    s = allotted_scenario(legal=legal)
    end_office(s.officer, on=LOST, actor=legal)
    return s


def _request(scenario, legal, *, rights=5, on=date(2020, 7, 3)):
    return services.exercise_request(
        holding=holding(scenario.series, scenario.officer), rights=rights, requested_on=on, actor=legal
    )


def test_request_and_confirm_with_figures(scenario, legal):
    request = _request(scenario, legal)
    assert request.status == ExerciseRequest.Status.REQUESTED
    requested = LedgerEvent.objects.get(event_type=LedgerEvent.Type.EXERCISE_REQUESTED)
    assert requested.rights_delta == 0 and requested.payload["shares"] == 1000
    services.exercise_confirm_payment(request=request, received_on=date(2020, 7, 10), actor=legal)
    request.refresh_from_db()
    # 5 rights x 200 shares; 1 yen per share; book value 5 x 251,401; L = 1,257,005 + 1,000.
    assert (request.shares, request.payment_yen, request.book_value_yen) == (
        1000,
        1000,
        5 * AMOUNT_PER_RIGHT_YEN,
    )
    assert request.upper_limit_yen == 1_258_005
    assert (request.capital_yen, request.reserve_yen) == (629_003, 629_002)  # capital rounded up (6)1
    assert request.exercised_on == date(2020, 7, 10) and request.confirmed_by == legal
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.EXERCISED)
    assert (event.holder, event.rights_delta, event.effective_date, event.recorded_by) == (
        scenario.officer,
        -5,
        date(2020, 7, 10),
        legal,
    )
    assert event.payload["capital_yen"] == 629_003 and event.payload["reserve_yen"] == 629_002
    assert event.payload["payment_yen"] == 1000 and event.payload["shares_per_right"] == 200
    assert holding(scenario.series, scenario.officer).rights == 0
    balance = series_rights_balance(series=scenario.series)
    assert balance["exercised"] == 5 and balance["balanced"]


def test_shares_per_right_on_the_exercise_date(scenario, legal):
    action = services.corporate_action_record(
        company=scenario.series.company,
        kind="split",
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2020, 7, 5),
        actor=legal,
    )
    services.corporate_action_approve(
        action=action, resolution_date=date(2020, 6, 1), resolution_reference="B", actor=secretary_user()
    )
    request = _request(scenario, legal, on=date(2020, 7, 5))
    assert request.shares_per_right == 200  # split applies from the day after the record date
    services.exercise_confirm_payment(request=request, received_on=date(2020, 7, 6), actor=legal)
    request.refresh_from_db()
    assert (request.shares_per_right, request.shares, request.payment_yen) == (400, 2000, 2000)


@pytest.mark.parametrize(
    "on, fragment",
    [
        (date(2020, 6, 30), "outside the holder's window"),  # the day of the loss itself
        (date(2020, 7, 11), "outside the holder's window"),  # day 11
    ],
)
def test_refused_outside_departure_window(scenario, legal, on, fragment):
    with pytest.raises(ValidationError) as exc:
        _request(scenario, legal, on=on)
    assert any(fragment in m for m in exc.value.messages)
    assert not ExerciseRequest.objects.exists()


def test_window_edges_allowed(scenario, legal):
    request = _request(scenario, legal, on=date(2020, 7, 1))
    services.exercise_withdraw(request=request, reason="payment not made", actor=legal)
    reversal = LedgerEvent.objects.get(event_type=LedgerEvent.Type.REVERSAL)
    assert reversal.reverses.event_type == LedgerEvent.Type.EXERCISE_REQUESTED
    assert _request(scenario, legal, on=date(2020, 7, 10)).status == ExerciseRequest.Status.REQUESTED


def test_refused_in_office_and_director_to_officer_is_not_a_loss(scenario, legal):
    d = scenario.director
    holder_services.position_start(
        holder=d,
        company=issuer(),
        title=Position.Title.EXECUTIVE_OFFICER,
        started_on=date(2020, 7, 1),
        actor=legal,
    )
    end_position = d.positions.get(title=Position.Title.DIRECTOR)
    holder_services.position_end(
        position=end_position, ended_on=date(2020, 6, 30), reason="term_expired", actor=legal
    )
    with pytest.raises(ValidationError) as exc:
        services.exercise_request(
            holding=holding(scenario.series, d), rights=10, requested_on=date(2020, 7, 3), actor=legal
        )
    assert any("still holds office" in m for m in exc.value.messages)


def test_refused_outside_exercise_period(legal):
    s = allotted_scenario(legal=legal, exercise_period_end=date(2020, 7, 5))
    end_office(s.officer, on=LOST, actor=legal)
    with pytest.raises(ValidationError) as exc:
        services.exercise_request(
            holding=holding(s.series, s.officer), rights=5, requested_on=date(2020, 7, 6), actor=legal
        )
    assert any("exercise period" in m for m in exc.value.messages)


def test_refused_while_amount_outstanding(legal):
    s = allotted_scenario(legal=legal, amount=None)
    end_office(s.officer, on=LOST, actor=legal)
    with pytest.raises(ValidationError) as exc:
        services.exercise_request(
            holding=holding(s.series, s.officer), rights=5, requested_on=date(2020, 7, 3), actor=legal
        )
    assert any("amount paid" in m for m in exc.value.messages)


def test_all_at_once_refuses_part(legal):
    s = allotted_scenario(legal=legal, all_at_once_exercise=True)
    end_office(s.officer, on=LOST, actor=legal)
    with pytest.raises(ValidationError) as exc:
        services.exercise_request(
            holding=holding(s.series, s.officer), rights=4, requested_on=date(2020, 7, 3), actor=legal
        )
    assert any("all 5 rights" in m for m in exc.value.messages)
    assert services.exercise_request(
        holding=holding(s.series, s.officer), rights=5, requested_on=date(2020, 7, 3), actor=legal
    )


def test_partial_exercise_allowed_without_flag(scenario, legal):
    request = _request(scenario, legal, rights=2)
    services.exercise_confirm_payment(request=request, received_on=date(2020, 7, 4), actor=legal)
    assert holding(scenario.series, scenario.officer).rights == 3


@pytest.mark.parametrize("rights", [0, -2, 6, 2.5])
def test_bad_rights(scenario, legal, rights):
    with pytest.raises(ValidationError):
        _request(scenario, legal, rights=rights)


def test_one_open_request_and_no_double_confirmation(scenario, legal):
    request = _request(scenario, legal, rights=2)
    with pytest.raises(ValidationError):
        _request(scenario, legal, rights=2)
    services.exercise_confirm_payment(request=request, received_on=date(2020, 7, 4), actor=legal)
    with pytest.raises(ValidationError):
        services.exercise_confirm_payment(request=request, received_on=date(2020, 7, 4), actor=legal)
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.EXERCISED).count() == 1


def test_payment_after_window_refused(scenario, legal):
    request = _request(scenario, legal, on=date(2020, 7, 9))
    with pytest.raises(ValidationError):
        services.exercise_confirm_payment(request=request, received_on=date(2020, 7, 11), actor=legal)
    assert holding(scenario.series, scenario.officer).rights == 5


def test_heir_exercises_within_heir_window(scenario, legal, secretary):
    services.death_record(holder=scenario.director, died_on=date(2020, 8, 20), actor=legal)
    # The deceased cannot exercise.
    with pytest.raises(ValidationError):
        services.exercise_request(
            holding=holding(scenario.series, scenario.director),
            rights=10,
            requested_on=date(2020, 8, 21),
            actor=legal,
        )
    case = services.inheritance_open(deceased=scenario.director, actor=legal)
    heir = new_person(actor=legal, name="Heir")
    case = services.heir_designate(case=case, heir=heir, designated_on=date(2020, 8, 25), actor=legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=date(2020, 8, 30),
        resolution_date=date(2020, 8, 30),
        resolution_reference="S",
        actor=secretary,
    )
    # Six months from the day after 30 August end on Sunday 28 February 2021; the terms are silent,
    # so Civil Code Art 142 ends the window on Monday 1 March (docs/domain.md reading R3).
    with pytest.raises(ValidationError):
        services.exercise_request(
            holding=holding(scenario.series, heir), rights=10, requested_on=date(2021, 3, 2), actor=legal
        )
    request = services.exercise_request(
        holding=holding(scenario.series, heir), rights=10, requested_on=date(2021, 3, 1), actor=legal
    )
    services.exercise_confirm_payment(request=request, received_on=date(2021, 3, 1), actor=legal)
    assert holding(scenario.series, heir).rights == 0


def test_refused_for_rights_acquired_by_company(scenario, legal, secretary):
    acquisition = services.company_acquisition_resolve(
        series=scenario.series,
        trigger="merger",
        proposal_approved_on=date(2020, 6, 1),
        acquisition_date=date(2020, 7, 2),
        resolution_date=date(2020, 6, 5),
        resolution_reference="B",
        actor=secretary,
    )
    services.company_acquisition_execute(acquisition=acquisition, as_of=date(2020, 7, 2), actor=legal)
    with pytest.raises(ValidationError) as exc:
        _request(scenario, legal, on=date(2020, 7, 3))
    assert any("Art 280(6)" in m for m in exc.value.messages)
