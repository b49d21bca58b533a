"""What every event constructor shares: the type names and how dates are written in a payload."""

from __future__ import annotations

from datetime import date

from grants.models import LedgerEvent

Type = LedgerEvent.Type


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def required(value: date | None, what: str) -> date:
    """A date the record must carry by the time its event is written (set by the service before)."""
    if value is None:
        raise ValueError(f"{what} is not set; the service sets it before writing the event")
    return value
