"""Where a valuation's status may go next, as data; equityplan.workflow.check_transition checks it.

A provisional valuation becomes final (one per series and date); the board secretary approves a
final one, which fixes the amount paid per right, notice (12). Nothing leaves approved.
"""

from __future__ import annotations

from .models import Valuation

Status = Valuation.Status

VALUATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PROVISIONAL: frozenset({Status.FINAL}),
    Status.FINAL: frozenset({Status.APPROVED}),
    Status.APPROVED: frozenset(),
}
