"""What an outbox job may run: task name -> callable taking the job's kwargs, returning a JSON result.

Targets are idempotent: running one twice, or two workers running it at once, leaves the same state.
A target raises ``JobWaiting`` when the data it needs is not there yet; the job is tried again later.
"""

from __future__ import annotations

from datetime import timedelta


class JobWaiting(Exception):
    """The work cannot be done yet (e.g. the close of the allotment date is not imported)."""

    def __init__(self, message: str, retry_in: timedelta | None = None):
        super().__init__(message)
        self.retry_in = retry_in


def _allotment_recompute(**kwargs) -> dict:
    from .services import allotment_recompute

    return allotment_recompute(**kwargs)


def _daily_sweep(*, as_of: str) -> dict:
    from datetime import date

    from .services import system_user
    from .sweep import daily_sweep

    return daily_sweep(as_of=date.fromisoformat(as_of), actor=system_user())


TARGETS = {
    "valuation.allotment_recompute": _allotment_recompute,
    "grants.daily_sweep": _daily_sweep,
}
