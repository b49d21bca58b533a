"""Races on PostgreSQL (docs/reliability.md fact 1): each decision and exercise applies exactly once."""

from datetime import date

import pytest

from grants import services
from grants.models import ExerciseRequest, LedgerEvent, TransferRequest
from grants.selectors import series_rights_balance
from tests.factories import legal_user, secretary_user
from tests.factories.lifecycle import allotted_scenario, end_office, holding
from tests.infra.concurrency import run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_approvals_and_registrations_apply_once():
    legal = legal_user()
    secretary = secretary_user()
    s = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)  # (11)4 off
    request = services.transfer_request(
        holding=holding(s.series, s.director),
        transferee=s.other,
        rights=4,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )

    def approve():
        return services.transfer_approve(
            request=request,
            resolution_date=date(2020, 3, 10),
            resolution_reference="Board",
            notified_on=date(2020, 3, 10),
            notified_how="letter",
            actor=secretary,
        ).status

    results = run_concurrently(approve, [()] * 20)
    assert [r for r in results if r[0] == "ok"] == [("ok", "approved")]
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_APPROVED).count() == 1

    def register():
        return services.transfer_register(
            request=request, registered_on=date(2020, 3, 11), actor=legal
        ).status

    results = run_concurrently(register, [()] * 20)
    assert sum(1 for r in results if r[0] == "ok") == 1
    assert TransferRequest.objects.get().status == TransferRequest.Status.REGISTERED
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_REGISTERED).count() == 2
    assert holding(s.series, s.director).rights == 6 and holding(s.series, s.other).rights == 24
    assert series_rights_balance(series=s.series)["balanced"]


def test_twenty_concurrent_exercises_succeed_once():
    legal = legal_user()
    s = allotted_scenario(legal=legal)
    end_office(s.officer, on=date(2020, 6, 30), actor=legal)
    h = holding(s.series, s.officer)

    def exercise():
        request = services.exercise_request(holding=h, rights=5, requested_on=date(2020, 7, 3), actor=legal)
        return services.exercise_confirm_payment(
            request=request, received_on=date(2020, 7, 3), actor=legal
        ).status

    results = run_concurrently(exercise, [()] * 20)
    assert [r for r in results if r[0] == "ok"] == [("ok", "exercised")]
    assert ExerciseRequest.objects.count() == 1
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.EXERCISED).count() == 1
    assert holding(s.series, s.officer).rights == 0

    # And 20 confirmations of one pending request: exercised once.
    end_office(s.director, on=date(2020, 6, 30), actor=legal)
    pending = services.exercise_request(
        holding=holding(s.series, s.director), rights=10, requested_on=date(2020, 7, 3), actor=legal
    )
    results = run_concurrently(
        lambda: (
            services.exercise_confirm_payment(
                request=pending, received_on=date(2020, 7, 4), actor=legal
            ).status
        ),
        [()] * 20,
    )
    assert sum(1 for r in results if r[0] == "ok") == 1
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.EXERCISED).count() == 2
    assert series_rights_balance(series=s.series)["balanced"]
