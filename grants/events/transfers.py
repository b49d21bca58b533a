"""Transfers of rights, notice (7) and Arts 265-266.

Every payload names the request, the transferor, the transferee and the rights, so that whatever
is built on the ledger later (lots that carry their holder's conditions, docs/domain.md §2.6) can
follow each right from one holder to the next.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User

from grants.models import (
    LedgerEvent,
    TransferRequest,
)
from grants.services.ledger import ledger_record

from ._common import Type, iso, required

# --- Transfer, notice (7) and Art 266 ------------------------------------------------------------


def _parties(request: TransferRequest) -> dict[str, Any]:
    return {
        "transfer_request_id": request.pk,
        "rights": request.rights,
        "transferor_id": request.transferor_id,
        "transferee_id": request.transferee_id,
    }


def event_transfer_requested(*, request: TransferRequest, actor: User) -> LedgerEvent:
    """A transfer requested; the board must notify its decision by ``decision_due_on`` (Art 266).

    ``decision_due_on`` is None where the series needs no approval (Art 260: registration only).
    """
    return ledger_record(
        event_type=Type.TRANSFER_REQUESTED,
        series=request.series,
        holder=request.transferor,
        effective_date=request.requested_on,
        actor=actor,
        payload={
            **_parties(request),
            "holding_id": request.holding_id,
            "transferee": request.transferee.name,
            "requested_on": request.requested_on.isoformat(),
            "decision_due_on": iso(request.decision_due_on),
            "requires_board_approval": request.series.transfer_requires_board_approval,
        },
    )


def _transfer_decided(
    *, event_type: str, request: TransferRequest, status_before: str, approved: bool, actor: User
) -> LedgerEvent:
    resolution_date = required(request.resolution_date, "request.resolution_date")
    notified_on = required(request.notified_on, "request.notified_on")
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
            **_parties(request),
            "status": {"before": status_before, "after": request.status},
            "decision_due_on": iso(request.decision_due_on),
            "notified_on": notified_on.isoformat(),
            "notified_how": request.notified_how,
            "note": request.decision_note,
        },
    )


def event_transfer_approved(*, request: TransferRequest, status_before: str, actor: User) -> LedgerEvent:
    """The board approved the transfer (7), notified on ``notified_on`` (Art 265(2)); the actor approves."""
    return _transfer_decided(
        event_type=Type.TRANSFER_APPROVED,
        request=request,
        status_before=status_before,
        approved=True,
        actor=actor,
    )


def event_transfer_rejected(*, request: TransferRequest, status_before: str, actor: User) -> LedgerEvent:
    """The board refused the transfer, notified on ``notified_on`` (Art 265(2)); the reason is the note."""
    return _transfer_decided(
        event_type=Type.TRANSFER_REJECTED,
        request=request,
        status_before=status_before,
        approved=False,
        actor=actor,
    )


def event_transfer_deemed_approved(*, request: TransferRequest, actor: User) -> LedgerEvent:
    """Art 266: no decision notified within two weeks, so approval is deemed given the day after."""
    decision_due_on = required(request.decision_due_on, "request.decision_due_on")
    return ledger_record(
        event_type=Type.TRANSFER_DEEMED_APPROVED,
        series=request.series,
        holder=request.transferor,
        effective_date=decision_due_on + timedelta(days=1),
        actor=actor,
        payload={
            **_parties(request),
            "requested_on": request.requested_on.isoformat(),
            "decision_due_on": decision_due_on.isoformat(),
            "basis": "Companies Act Art 266: no decision notified within two weeks",
        },
    )


def event_transfer_registered(
    *, request: TransferRequest, status_before: str, actor: User
) -> tuple[LedgerEvent, LedgerEvent]:
    """The transfer entered in the register: the transferor's minus and the transferee's plus.

    ``basis`` says what the entry rests on: the board's approval, the approval deemed given by
    Art 266, or no approval at all where the series needs none. The registration date is the date of
    the lot the transferee acquires (docs/domain.md reading R6).
    """
    registered_on = required(request.registered_on, "request.registered_on")
    approved = status_before == TransferRequest.Status.APPROVED
    basis = (
        "board_approval"
        if approved
        else "deemed_approval"
        if status_before == TransferRequest.Status.DEEMED_APPROVED
        else "no_approval_needed"
    )
    common: dict[str, Any] = {
        "event_type": Type.TRANSFER_REGISTERED,
        "series": request.series,
        "effective_date": registered_on,
        "actor": actor,
        "approved_by": request.decided_by if approved else None,
        "resolution_date": request.resolution_date if approved else None,
        "resolution_reference": request.resolution_reference if approved else "",
    }
    figures = {
        **_parties(request),
        "basis": basis,
        "deemed_approved": status_before == TransferRequest.Status.DEEMED_APPROVED,
        "notified_on": iso(request.notified_on) if approved else None,
    }
    out = ledger_record(
        holder=request.transferor, rights_delta=-request.rights, payload={**figures, "side": "out"}, **common
    )
    into = ledger_record(
        holder=request.transferee, rights_delta=request.rights, payload={**figures, "side": "in"}, **common
    )
    return out, into
