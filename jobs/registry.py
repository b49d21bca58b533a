"""What an outbox job may run: task name -> callable taking the job's kwargs, returning a JSON result.

Targets are idempotent: running one twice, or two workers running it at once, leaves the same state.
A target raises ``JobWaiting`` when the data it needs is not there yet; the job is tried again later.
This table and its targets know nothing of the outbox, the queue or beat: those import it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .actors import system_user
from .holder_import import holder_import
from .recompute import allotment_recompute
from .reminders import reminder_send
from .sweep import daily_sweep

RECOMPUTE_TASK = "valuation.allotment_recompute"
SWEEP_TASK = "grants.daily_sweep"
REMINDER_SEND_TASK = "jobs.send_reminder"
HOLDER_IMPORT_TASK = "grants.holder_import"


def recompute_dedupe_key(*, series_id: int, valuation_date: date) -> str:
    return f"{RECOMPUTE_TASK}:{series_id}:{valuation_date.isoformat()}"


def sweep_dedupe_key(*, as_of: date) -> str:
    return f"{SWEEP_TASK}:{as_of.isoformat()}"


def reminder_send_dedupe_key(*, reminder_id: int) -> str:
    return f"{REMINDER_SEND_TASK}:{reminder_id}"


def _daily_sweep(*, as_of: str) -> dict:
    return daily_sweep(as_of=date.fromisoformat(as_of), actor=system_user())


TARGETS: dict[str, Callable[..., dict]] = {
    RECOMPUTE_TASK: allotment_recompute,
    SWEEP_TASK: _daily_sweep,
    REMINDER_SEND_TASK: reminder_send,
    HOLDER_IMPORT_TASK: holder_import,
}
