"""The transfer request page offers the steps the series' terms allow: approval or refusal with the
notification (Art 265(2)), only refusal for a request the terms forbid (11)4, only registration where
no approval is needed (docs/domain.md §2.6)."""

import pytest
from django.urls import reverse

from grants.models import LedgerEvent, TransferRequest
from tests.factories.transfers import one_request_per_kind_of_series

pytestmark = pytest.mark.django_db

DECISION = {
    "resolution_date": "2020-03-10",
    "resolution_reference": "Board #9",
    "notified_on": "2020-03-11",
    "notified_how": "letter",
}


@pytest.fixture
def three(legal) -> dict[str, TransferRequest]:
    return one_request_per_kind_of_series(legal=legal)


def _page(client, request) -> str:
    return client.get(request.get_absolute_url()).content.decode()


def test_each_kind_of_series_offers_its_own_steps(client, three, secretary, legal):
    client.force_login(secretary)
    allowed = _page(client, three["allowed"])
    assert 'data-testid="approve-form"' in allowed and 'data-testid="reject-form"' in allowed
    assert 'name="notified_on"' in allowed and 'name="notified_how"' in allowed
    forbidden = _page(client, three["forbidden"])
    assert 'data-testid="approve-form"' not in forbidden and 'data-testid="reject-form"' in forbidden
    assert 'data-testid="terms-warning"' in forbidden and 'data-testid="due-passed"' not in forbidden
    free = _page(client, three["free"])
    assert 'data-testid="approve-form"' not in free and 'data-testid="no-approval"' in free
    client.force_login(legal)
    assert 'data-testid="register-form"' in _page(client, three["free"])
    assert 'data-testid="register-form"' not in _page(client, three["forbidden"])


def test_forbidden_request_cannot_be_approved_but_can_be_refused_on_the_page(client, three, secretary):
    client.force_login(secretary)
    forbidden = three["forbidden"]
    response = client.post(reverse("grants:transfer_approve", args=[forbidden.pk]), DECISION)
    assert response.status_code == 200 and "(11)4" in response.content.decode()
    forbidden.refresh_from_db()
    assert forbidden.status == TransferRequest.Status.REQUESTED
    response = client.post(
        reverse("grants:transfer_reject", args=[forbidden.pk]), {**DECISION, "reason": "(11)4"}
    )
    assert response.status_code == 302
    forbidden.refresh_from_db()
    assert (forbidden.status, forbidden.decided_by) == (TransferRequest.Status.REJECTED, secretary)


def test_free_transfer_is_registered_on_the_page(client, three, legal):
    client.force_login(legal)
    free = three["free"]
    response = client.post(
        reverse("grants:transfer_register", args=[free.pk]), {"registered_on": "2020-03-02"}
    )
    assert response.status_code == 302
    free.refresh_from_db()
    assert free.status == TransferRequest.Status.REGISTERED
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_REGISTERED).count() == 2
