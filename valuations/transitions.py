"""Where a valuation's status may go next, as data; equityplan.workflow.check_transition checks it.

A provisional valuation becomes final (one per series and date); the board secretary approves a
final one, which fixes the amount paid per right, notice (12), or rejects it with a reason; a rejected
one frees its series and date for a new final one. Nothing leaves approved or rejected.
"""

from __future__ import annotations

from .models import Valuation

Status = Valuation.Status

VALUATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PROVISIONAL: frozenset({Status.FINAL}),
    Status.FINAL: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset(),
    Status.REJECTED: frozenset(),
}
