"""Terms the accounts need that the board's resolution does not state as such (docs/domain.md §7)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from grants.models import LedgerEvent, Series
from grants.services.ledger import ledger_record

from ._common import Type, iso


def service_period_values(series: Series) -> dict[str, Any]:
    return {
        "service_period": series.service_period,
        "service_period_start": iso(series.service_period_start),
        "service_period_end": iso(series.service_period_end),
        "service_period_basis": series.service_period_basis,
    }


def event_service_period_set(
    *, series: Series, before: dict[str, Any], effective_date: date, actor: User
) -> LedgerEvent:
    """The series' service period (対象勤務期間) set or changed: its values before and after."""
    return ledger_record(
        event_type=Type.SERVICE_PERIOD_SET,
        series=series,
        effective_date=effective_date,
        actor=actor,
        payload={"before": before, "after": service_period_values(series)},
    )
