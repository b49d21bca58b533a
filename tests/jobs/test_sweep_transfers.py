"""The daily sweep deems approved (Art 266) only where approval can be deemed: never a request the
allotment terms forbid (11)4, never one of a series that needs no approval (docs/domain.md reading R22)."""

from datetime import date

import pytest

from grants.models import LedgerEvent, TransferRequest
from jobs.actors import system_user
from jobs.sweep import daily_sweep
from tests.factories.transfers import one_request_per_kind_of_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(legal) -> dict[str, TransferRequest]:
    return one_request_per_kind_of_series(legal=legal)


def test_sweep_deems_approved_only_where_approval_can_be_deemed(three):
    result = daily_sweep(as_of=date(2020, 3, 17), actor=system_user())
    assert result["deemed_approved"] == [{"transfer_request_id": three["allowed"].pk, "rights": 2}]
    statuses = dict(TransferRequest.objects.values_list("pk", "status"))
    assert statuses == {
        three["allowed"].pk: TransferRequest.Status.DEEMED_APPROVED,
        three["free"].pk: TransferRequest.Status.REQUESTED,
        three["forbidden"].pk: TransferRequest.Status.REQUESTED,
    }
    deemed = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.TRANSFER_DEEMED_APPROVED)
    assert [e.payload["transfer_request_id"] for e in deemed] == [three["allowed"].pk]
    again = daily_sweep(as_of=date(2020, 4, 30), actor=system_user())
    assert again["deemed_approved"] == []
