"""What a background job's target may raise to say "not yet" rather than "failed"."""

from __future__ import annotations

from datetime import timedelta


class JobWaiting(Exception):
    """The work cannot be done yet (e.g. the close of the allotment date is not imported)."""

    def __init__(self, message: str, retry_in: timedelta | None = None):
        super().__init__(message)
        self.retry_in = retry_in
