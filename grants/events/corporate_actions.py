"""Corporate actions that adjust the shares per right, notice (3)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User

from grants.models import (
    CorporateAction,
    LedgerEvent,
    Series,
    ShareAdjustment,
)
from grants.services.ledger import ledger_record

from ._common import Type, iso, required

# --- Corporate actions, notice (3) ---------------------------------------------------------------


def event_corporate_action_recorded(*, action: CorporateAction, actor: User) -> LedgerEvent:
    """A split, consolidation or reasonable adjustment recorded for the board, from the day it would apply."""
    return ledger_record(
        event_type=Type.CORPORATE_ACTION_RECORDED,
        effective_date=action.applies_from,
        actor=actor,
        payload={
            "corporate_action_id": action.pk,
            "company_id": action.company_id,
            "kind": action.kind,
            "ratio": [action.ratio_numerator, action.ratio_denominator],
            "applies_from": action.applies_from.isoformat(),
        },
    )


def event_corporate_action_approved(
    *, action: CorporateAction, affected: Sequence[Series], actor: User
) -> LedgerEvent:
    """The board applied the action: on the ledger even when no series has rights outstanding then."""
    return ledger_record(
        event_type=Type.CORPORATE_ACTION_APPROVED,
        effective_date=action.applies_from,
        actor=actor,
        approved_by=actor,
        resolution_date=action.resolution_date,
        resolution_reference=action.resolution_reference,
        payload={
            "corporate_action_id": action.pk,
            "company_id": action.company_id,
            "kind": action.kind,
            "ratio": [action.ratio_numerator, action.ratio_denominator],
            "record_date": iso(action.record_date),
            "effective_date": iso(action.effective_date),
            "meeting_closed_on": iso(action.meeting_closed_on),
            "applies_from": action.applies_from.isoformat(),
            "known_from": iso(action.known_from),
            "series_ids": [series.pk for series in affected],
        },
    )


def event_corporate_action_rejected(*, action: CorporateAction, actor: User) -> LedgerEvent:
    """The board refused the action; no shares per right change."""
    resolution_date = required(action.resolution_date, "action.resolution_date")
    return ledger_record(
        event_type=Type.CORPORATE_ACTION_REJECTED,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=action.resolution_reference,
        payload={"corporate_action_id": action.pk, "kind": action.kind},
    )


def event_adjusted(
    *, action: CorporateAction, adjustment: ShareAdjustment, shares_per_right_before: int, actor: User
) -> LedgerEvent:
    """One series' shares per right adjusted by an approved action: floor(old x ratio), notice (3)."""
    return ledger_record(
        event_type=Type.ADJUSTED,
        series=adjustment.series,
        effective_date=adjustment.applies_from,
        actor=actor,
        approved_by=actor,
        resolution_date=action.resolution_date,
        resolution_reference=adjustment.resolution_reference,
        payload={
            "corporate_action_id": action.pk,
            "kind": action.kind,
            "ratio": f"{action.ratio_numerator}/{action.ratio_denominator}",
            "shares_per_right": {"before": shares_per_right_before, "after": adjustment.shares_per_right},
            "record_date": iso(action.record_date),
            "effective_date": iso(action.effective_date),
            "meeting_closed_on": iso(action.meeting_closed_on),
            "known_from": iso(adjustment.known_from),
        },
    )
