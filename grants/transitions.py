"""The status pipelines of grants, as data: for each status, the statuses it may move to.

Every check goes through `equityplan.workflow.check_transition(table, current, target, labels)`;
a status missing from a table, or mapped to nothing, is final.
"""

from __future__ import annotations

from equityplan.workflow import TransitionTable
from grants.models import (
    CompanyAcquisition,
    CorporateAction,
    ExerciseRequest,
    InheritanceCase,
    Series,
    TransferRequest,
)

# A series is created as a draft, resolved by the board, allotted once the allotment is closed, and
# closed when no right of it can remain (its rights passed to a successor series, (9)).
SERIES: TransitionTable = {
    Series.Status.DRAFT: frozenset({Series.Status.RESOLVED}),
    Series.Status.RESOLVED: frozenset({Series.Status.ALLOTTED}),
    Series.Status.ALLOTTED: frozenset({Series.Status.CLOSED}),
    Series.Status.CLOSED: frozenset(),
}

# Notice (7) and Art 266: the board approves or rejects, or is deemed to approve after two weeks;
# an approved transfer is then entered in the register. A decision notified in time but entered
# after the sweep recorded the deemed approval replaces it (docs/domain.md reading R21).
TRANSFER: TransitionTable = {
    TransferRequest.Status.REQUESTED: frozenset(
        {
            TransferRequest.Status.APPROVED,
            TransferRequest.Status.REJECTED,
            TransferRequest.Status.DEEMED_APPROVED,
        }
    ),
    TransferRequest.Status.APPROVED: frozenset({TransferRequest.Status.REGISTERED}),
    TransferRequest.Status.DEEMED_APPROVED: frozenset(
        {
            TransferRequest.Status.REGISTERED,
            TransferRequest.Status.APPROVED,
            TransferRequest.Status.REJECTED,
        }
    ),
    TransferRequest.Status.REJECTED: frozenset(),
    TransferRequest.Status.REGISTERED: frozenset(),
}

# A series whose terms need no approval (Art 236(1)(vi) not adopted): the request is entered in the
# register (Art 260), with no decision in between.
TRANSFER_WITHOUT_APPROVAL: TransitionTable = {
    TransferRequest.Status.REQUESTED: frozenset({TransferRequest.Status.REGISTERED}),
    TransferRequest.Status.REGISTERED: frozenset(),
}

# Notice (11)4: a series whose allotment terms forbid transfer accepts no request; one recorded before
# that was enforced can only be closed by the board's refusal (docs/domain.md reading R22).
TRANSFER_PROHIBITED_BY_TERMS: TransitionTable = {
    TransferRequest.Status.REQUESTED: frozenset({TransferRequest.Status.REJECTED}),
    TransferRequest.Status.APPROVED: frozenset({TransferRequest.Status.REJECTED}),
    TransferRequest.Status.DEEMED_APPROVED: frozenset({TransferRequest.Status.REJECTED}),
    TransferRequest.Status.REJECTED: frozenset(),
    TransferRequest.Status.REGISTERED: frozenset(),
}

# Notice (11)3: the one heir is designated, then the succession is approved.
INHERITANCE: TransitionTable = {
    InheritanceCase.Status.OPENED: frozenset({InheritanceCase.Status.HEIR_DESIGNATED}),
    InheritanceCase.Status.HEIR_DESIGNATED: frozenset(
        {InheritanceCase.Status.APPROVED, InheritanceCase.Status.REJECTED}
    ),
    InheritanceCase.Status.APPROVED: frozenset(),
    InheritanceCase.Status.REJECTED: frozenset(),  # final: docs/domain.md reading R60
}

# Art 281, 282: a request is exercised when the payment arrives, or withdrawn when it will not.
EXERCISE: TransitionTable = {
    ExerciseRequest.Status.REQUESTED: frozenset(
        {ExerciseRequest.Status.EXERCISED, ExerciseRequest.Status.WITHDRAWN}
    ),
    ExerciseRequest.Status.EXERCISED: frozenset(),
    ExerciseRequest.Status.WITHDRAWN: frozenset(),
}

# Notice (3): the board applies or rejects a recorded split, consolidation or reasonable adjustment.
CORPORATE_ACTION: TransitionTable = {
    CorporateAction.Status.PROPOSED: frozenset(
        {CorporateAction.Status.APPLIED, CorporateAction.Status.REJECTED}
    ),
    CorporateAction.Status.APPLIED: frozenset(),
    CorporateAction.Status.REJECTED: frozenset(),
}

# Notice (8): the resolved acquisition without contribution is executed on the date the board fixed.
ACQUISITION: TransitionTable = {
    CompanyAcquisition.Status.RESOLVED: frozenset({CompanyAcquisition.Status.EXECUTED}),
    CompanyAcquisition.Status.EXECUTED: frozenset(),
}
