"""Transfers of rights, notice (7) and Arts 265-266."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User

from grants.models import (
    LedgerEvent,
    TransferRequest,
)
from grants.services.ledger import ledger_record

from ._common import Type, required

# --- Transfer, notice (7) and Art 266 ------------------------------------------------------------


def event_transfer_requested(*, request: TransferRequest, actor: User) -> LedgerEvent:
    """A transfer requested; the board must notify its decision by ``decision_due_on`` (Art 266)."""
    return ledger_record(
        event_type=Type.TRANSFER_REQUESTED,
        series=request.series,
        holder=request.transferor,
        effective_date=request.requested_on,
        actor=actor,
        payload={
            "transfer_request_id": request.pk,
            "rights": request.rights,
            "transferee_id": request.transferee_id,
            "transferee": request.transferee.name,
            "decision_due_on": request.decision_due_on.isoformat(),
            "prohibited_by_allotment_terms": request.series.transfer_prohibited_by_allotment_terms,
        },
    )


def _transfer_decided(
    *, event_type: str, request: TransferRequest, status_before: str, approved: bool, actor: User
) -> LedgerEvent:
    resolution_date = required(request.resolution_date, "request.resolution_date")
    return ledger_record(
        event_type=event_type,
        series=request.series,
        holder=request.transferor,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor if approved else None,
        resolution_date=resolution_date,
        resolution_reference=request.resolution_reference,
        payload={
            "transfer_request_id": request.pk,
            "rights": request.rights,
            "transferee_id": request.transferee_id,
            "status": {"before": status_before, "after": request.status},
            "decided_after_due_date": resolution_date > request.decision_due_on,
            "note": request.decision_note,
        },
    )


def event_transfer_approved(*, request: TransferRequest, status_before: str, actor: User) -> LedgerEvent:
    """The board approved the transfer (7); the actor is the approver."""
    return _transfer_decided(
        event_type=Type.TRANSFER_APPROVED,
        request=request,
        status_before=status_before,
        approved=True,
        actor=actor,
    )


def event_transfer_rejected(*, request: TransferRequest, status_before: str, actor: User) -> LedgerEvent:
    """The board refused the transfer; the reason is the decision note."""
    return _transfer_decided(
        event_type=Type.TRANSFER_REJECTED,
        request=request,
        status_before=status_before,
        approved=False,
        actor=actor,
    )


def event_transfer_deemed_approved(*, request: TransferRequest, actor: User) -> LedgerEvent:
    """Art 266: no decision notified within two weeks, so approval is deemed given the day after."""
    return ledger_record(
        event_type=Type.TRANSFER_DEEMED_APPROVED,
        series=request.series,
        holder=request.transferor,
        effective_date=request.decision_due_on + timedelta(days=1),
        actor=actor,
        payload={
            "transfer_request_id": request.pk,
            "rights": request.rights,
            "transferee_id": request.transferee_id,
            "requested_on": request.requested_on.isoformat(),
            "decision_due_on": request.decision_due_on.isoformat(),
            "basis": "Companies Act Art 266: no decision notified within two weeks",
        },
    )


def event_transfer_registered(*, request: TransferRequest, actor: User) -> tuple[LedgerEvent, LedgerEvent]:
    """The transfer entered in the register: the transferor's minus and the transferee's plus."""
    registered_on = required(request.registered_on, "request.registered_on")
    common: dict[str, Any] = {
        "event_type": Type.TRANSFER_REGISTERED,
        "series": request.series,
        "effective_date": registered_on,
        "actor": actor,
        "approved_by": request.decided_by,
        "resolution_date": request.resolution_date,
        "resolution_reference": request.resolution_reference,
    }
    figures = {
        "transfer_request_id": request.pk,
        "rights": request.rights,
        "transferor_id": request.transferor_id,
        "transferee_id": request.transferee_id,
        "deemed_approved": request.decided_by_id is None,
    }
    out = ledger_record(
        holder=request.transferor, rights_delta=-request.rights, payload={**figures, "side": "out"}, **common
    )
    into = ledger_record(
        holder=request.transferee, rights_delta=request.rights, payload={**figures, "side": "in"}, **common
    )
    return out, into
