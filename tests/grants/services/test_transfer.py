from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import services
from grants.models import LedgerEvent, TransferRequest
from grants.selectors import series_rights_balance
from tests.factories import secretary_user
from tests.factories.lifecycle import allotted_scenario, holding, new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(legal):
    return allotted_scenario(legal=legal)


@pytest.fixture
def request_(scenario, legal):
    transferee = new_person(actor=legal, name="Transferee (fictional)")
    return services.transfer_request(
        holding=holding(scenario.series, scenario.director),
        transferee=transferee,
        rights=4,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )


def test_request_records_event_and_art_266_deadline(request_, legal):
    assert request_.status == TransferRequest.Status.REQUESTED
    # Two weeks counted from the next day: requested 2 March -> decision due by 16 March (Art 266).
    assert request_.decision_due_on == date(2020, 3, 16)
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.TRANSFER_REQUESTED)
    assert event.recorded_by == legal and event.rights_delta == 0
    assert event.payload["rights"] == 4 and event.payload["decision_due_on"] == "2020-03-16"
    assert event.payload["prohibited_by_allotment_terms"] is True


def test_approve_then_register_moves_rights(request_, scenario, secretary, legal):
    services.transfer_approve(
        request=request_,
        resolution_date=date(2020, 3, 10),
        resolution_reference="Board 2020-03-10 #4",
        actor=secretary,
    )
    approved = LedgerEvent.objects.get(event_type=LedgerEvent.Type.TRANSFER_APPROVED)
    assert approved.approved_by == secretary and approved.resolution_reference == "Board 2020-03-10 #4"
    assert approved.resolution_date == date(2020, 3, 10)
    services.transfer_register(request=request_, registered_on=date(2020, 3, 11), actor=legal)
    request_.refresh_from_db()
    assert request_.status == TransferRequest.Status.REGISTERED
    assert holding(scenario.series, scenario.director).rights == 6
    assert holding(scenario.series, request_.transferee).rights == 4
    assert holding(scenario.series, request_.transferee).acquired_on == date(2020, 3, 11)
    registered = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_REGISTERED).order_by("pk")
    assert [(e.holder, e.rights_delta) for e in registered] == [
        (scenario.director, -4),
        (request_.transferee, 4),
    ]
    assert all(e.approved_by == secretary and e.recorded_by == legal for e in registered)
    assert series_rights_balance(series=scenario.series)["balanced"]


def test_reject_keeps_rights(request_, scenario, secretary, legal):
    services.transfer_reject(
        request=request_,
        resolution_date=date(2020, 3, 10),
        resolution_reference="Board #5",
        reason="(11)4",
        actor=secretary,
    )
    request_.refresh_from_db()
    assert request_.status == TransferRequest.Status.REJECTED
    assert LedgerEvent.objects.get(event_type=LedgerEvent.Type.TRANSFER_REJECTED).payload["note"] == "(11)4"
    with pytest.raises(ValidationError):
        services.transfer_register(request=request_, registered_on=date(2020, 3, 11), actor=legal)
    assert holding(scenario.series, scenario.director).rights == 10


def test_decider_must_differ_from_requester(request_, legal):
    with pytest.raises(ValidationError) as exc:
        services.transfer_approve(
            request=request_, resolution_date=date(2020, 3, 10), resolution_reference="x", actor=legal
        )
    assert exc.value.code == "same_user"
    assert not LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_APPROVED).exists()


def test_reference_required_and_second_decision_refused(request_, secretary):
    with pytest.raises(ValidationError):
        services.transfer_approve(
            request=request_, resolution_date=date(2020, 3, 10), resolution_reference=" ", actor=secretary
        )
    services.transfer_approve(
        request=request_, resolution_date=date(2020, 3, 10), resolution_reference="B1", actor=secretary
    )
    with pytest.raises(ValidationError) as exc:
        services.transfer_reject(
            request=request_,
            resolution_date=date(2020, 3, 10),
            resolution_reference="B1",
            actor=secretary_user("s2"),
        )
    assert exc.value.code == "invalid_transition"
    assert LedgerEvent.objects.filter(event_type__startswith="transfer_").count() == 2


def test_deemed_approved_after_two_weeks_idempotent(request_, scenario, legal):
    assert services.transfer_deem_approved(as_of=date(2020, 3, 16), actor=legal) == []  # last day: not yet
    done = services.transfer_deem_approved(as_of=date(2020, 3, 17), actor=legal)
    assert [r.pk for r in done] == [request_.pk]
    request_.refresh_from_db()
    assert request_.status == TransferRequest.Status.DEEMED_APPROVED
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.TRANSFER_DEEMED_APPROVED)
    assert event.effective_date == date(2020, 3, 17) and "Art 266" in event.payload["basis"]
    assert services.transfer_deem_approved(as_of=date(2020, 4, 1), actor=legal) == []
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_DEEMED_APPROVED).count() == 1
    services.transfer_register(request=request_, registered_on=date(2020, 3, 18), actor=legal)
    out = LedgerEvent.objects.get(event_type=LedgerEvent.Type.TRANSFER_REGISTERED, rights_delta=-4)
    assert out.payload["deemed_approved"] is True


def test_one_open_request_per_holding(request_, scenario, legal):
    other = new_person(actor=legal, name="Second transferee")
    with pytest.raises(ValidationError) as exc:
        services.transfer_request(
            holding=request_.holding, transferee=other, rights=1, requested_on=date(2020, 3, 3), actor=legal
        )
    assert exc.value.code == "open_request"
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        TransferRequest.objects.create(
            holding=request_.holding,
            series=scenario.series,
            transferor=scenario.director,
            transferee=other,
            rights=1,
            requested_on=date(2020, 3, 3),
            decision_due_on=date(2020, 3, 17),
            requested_by=legal,
        )


@pytest.mark.parametrize("rights", [0, -1, 11, 1.5, True])
def test_bad_rights_refused(scenario, legal, rights):
    transferee = new_person(actor=legal, name="T")
    with pytest.raises(ValidationError):
        services.transfer_request(
            holding=holding(scenario.series, scenario.director),
            transferee=transferee,
            rights=rights,
            requested_on=date(2020, 3, 2),
            actor=legal,
        )
    assert not TransferRequest.objects.exists()


def test_cannot_transfer_to_self_or_from_deceased(scenario, legal):
    with pytest.raises(ValidationError):
        services.transfer_request(
            holding=holding(scenario.series, scenario.director),
            transferee=scenario.director,
            rights=1,
            requested_on=date(2020, 3, 2),
            actor=legal,
        )
    services.death_record(holder=scenario.officer, died_on=date(2020, 1, 5), actor=legal)
    with pytest.raises(ValidationError) as exc:
        services.transfer_request(
            holding=holding(scenario.series, scenario.officer),
            transferee=scenario.other,
            rights=1,
            requested_on=date(2020, 3, 2),
            actor=legal,
        )
    assert exc.value.code == "deceased"
