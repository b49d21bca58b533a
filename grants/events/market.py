"""Events of the valuations app, written on the same ledger: a valuation's steps (12) and staff's word on
the trading calendar. The valuations app builds the figures; these constructors fix the payload's shape."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from django.contrib.auth.models import User

from grants.models import LedgerEvent, Series
from grants.services.ledger import ledger_record

from ._common import Type

ValuationStep = Literal["computed", "finalized", "approved", "rejected"]


def event_valuation(
    *,
    series: Series,
    valuation_date: date,
    step: ValuationStep,
    figures: Mapping[str, Any],
    actor: User,
    approved_by: User | None = None,
    resolution_date: date | None = None,
    resolution_reference: str = "",
) -> LedgerEvent:
    """A valuation computed, made final, approved or rejected, with every figure needed to recompute it."""
    return ledger_record(
        event_type=Type.VALUATION,
        series=series,
        effective_date=valuation_date,
        actor=actor,
        approved_by=approved_by,
        resolution_date=resolution_date,
        resolution_reference=resolution_reference,
        payload={"action": step, **figures},
    )


def event_calendar_changed(
    *, day: date, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, actor: User
) -> LedgerEvent:
    """Staff's word on whether the exchange is open on ``day``: before and after (None: no word)."""
    return ledger_record(
        event_type=Type.CALENDAR_CHANGED,
        effective_date=day,
        actor=actor,
        payload={
            "date": day.isoformat(),
            "before": dict(before) if before is not None else None,
            "after": dict(after) if after is not None else None,
        },
    )


def event_market_data_imported(
    *,
    kind: str,
    batch_id: int,
    company_id: int | None,
    filename: str,
    sha256: str,
    rows_created: int,
    rows_unchanged: int,
    imported_on: date,
    actor: User,
) -> LedgerEvent:
    """A file of share prices, dividends or bond yields taken in: which file (its hash) and what it added."""
    return ledger_record(
        event_type=Type.MARKET_DATA_IMPORTED,
        effective_date=imported_on,
        actor=actor,
        payload={
            "kind": kind,
            "import_batch_id": batch_id,
            "company_id": company_id,
            "filename": filename,
            "sha256": sha256,
            "rows_created": rows_created,
            "rows_unchanged": rows_unchanged,
        },
    )
