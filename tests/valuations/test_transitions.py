"""The valuation's status moves only as its table says, checked by the project's one checker."""

import pytest
from django.core.exceptions import ValidationError

from equityplan.workflow import check_transition
from valuations.models import Valuation
from valuations.transitions import VALUATION_TRANSITIONS

Status = Valuation.Status


def test_every_status_has_a_row():
    assert set(VALUATION_TRANSITIONS) == set(Status.values)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (Status.PROVISIONAL, Status.FINAL, True),
        (Status.FINAL, Status.APPROVED, True),
        (Status.PROVISIONAL, Status.APPROVED, False),
        (Status.FINAL, Status.PROVISIONAL, False),
        (Status.APPROVED, Status.FINAL, False),
    ],
)
def test_transitions(current, target, allowed):
    if allowed:
        check_transition(VALUATION_TRANSITIONS, current, target, Status)
    else:
        with pytest.raises(ValidationError) as exc:
            check_transition(VALUATION_TRANSITIONS, current, target, Status)
        assert exc.value.code == "invalid_transition"
