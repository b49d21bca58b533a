"""The transfer rows of the board secretary's queue and of the coming deadlines: a series whose terms
forbid transfer (11)4 has no Art 266 deadline, a series that needs no approval has nothing to decide
(docs/domain.md §2.6, reading R22)."""

from datetime import date

import pytest

from grants.models import TransferRequest
from grants.selectors import pending_decisions, upcoming_deadlines
from tests.factories.transfers import one_request_per_kind_of_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(legal) -> dict[str, TransferRequest]:
    return one_request_per_kind_of_series(legal=legal)


def test_queue_lists_what_the_board_must_decide(three):
    rows = {r.subject.pk: r for r in pending_decisions() if r.kind == "transfer"}
    assert set(rows) == {three["allowed"].pk, three["forbidden"].pk}  # nothing to decide without approval
    assert rows[three["allowed"].pk].deadline == date(2020, 3, 16)
    assert rows[three["forbidden"].pk].deadline is None
    assert "(11)4" in rows[three["forbidden"].pk].label


def test_deadlines_list_only_the_art_266_decision_that_can_be_deemed(three):
    rows = [r for r in upcoming_deadlines(as_of=date(2020, 3, 3)) if r.kind == "transfer_decision"]
    assert [(r.due_on, r.url) for r in rows] == [(date(2020, 3, 16), three["allowed"].get_absolute_url())]
