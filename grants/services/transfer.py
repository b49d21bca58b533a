"""Transfer of rights with the board's approval, notice (7), and the deemed approval of Art 266."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equityplan.workflow import check_transition
from grants import events, transitions
from grants.domain.windows import civil_code_period_end
from grants.models import ExerciseRequest, Holding, LedgerEvent, TransferRequest
from holders.models import Holder

from ._workflow import LotOrigin, check_other_user, holding_add, holding_remove, require_text, whole_rights

Status = TransferRequest.Status

# Art 266: two weeks from the request, counted from the next day (Civil Code Art 140).
DECISION_PERIOD_DAYS = 14


def transfer_decision_due_on(requested_on: date) -> date:
    """Last day on which the company may notify its decision (Art 266)."""
    return civil_code_period_end(requested_on, days=DECISION_PERIOD_DAYS)


def _locked(request: TransferRequest) -> TransferRequest:
    return (
        TransferRequest.objects.select_for_update()
        .select_related("series", "transferor", "transferee", "requested_by")
        .get(pk=request.pk)
    )


@transaction.atomic
def transfer_request(
    *, holding: Holding, transferee: Holder, rights: int, requested_on: date, actor: User
) -> TransferRequest:
    """Record a request to transfer rights; the board must decide within two weeks (Art 266)."""
    rights = whole_rights(rights)
    holding = Holding.objects.select_for_update().select_related("series", "holder").get(pk=holding.pk)
    if transferee.pk == holding.holder_id:
        raise ValidationError(_("Rights cannot be transferred to their own holder."), code="self")
    if holding.holder.died_on is not None:
        raise ValidationError(
            _("The holder has died: the rights pass to the heir by succession, not by transfer."),
            code="deceased",
        )
    if transferee.died_on is not None:
        raise ValidationError(_("Rights cannot be transferred to a deceased person."), code="transferee_dead")
    if rights > holding.rights:
        raise ValidationError(
            _("The holding has only %(held)d rights; %(asked)d were asked for.")
            % {"held": holding.rights, "asked": rights},
            code="not_enough_rights",
        )
    if TransferRequest.objects.filter(holding=holding, status__in=TransferRequest.OPEN_STATUSES).exists():
        raise ValidationError(_("This holding already has an open transfer request."), code="open_request")
    if ExerciseRequest.objects.filter(holding=holding, status=ExerciseRequest.Status.REQUESTED).exists():
        raise ValidationError(
            _("These rights are being exercised; the exercise is awaiting payment."), code="open_exercise"
        )
    request = TransferRequest(
        holding=holding,
        series=holding.series,
        transferor=holding.holder,
        transferee=transferee,
        rights=rights,
        requested_on=requested_on,
        decision_due_on=transfer_decision_due_on(requested_on),
        requested_by=actor,
    )
    request.full_clean(validate_constraints=False)  # the one-open-request constraint is the backstop
    request.save()
    events.event_transfer_requested(request=request, actor=actor)
    return request


def _decide(
    *,
    request: TransferRequest,
    target: str,
    event: Callable[..., LedgerEvent],
    resolution_date: date,
    resolution_reference: str,
    actor: User,
    note: str = "",
) -> TransferRequest:
    request = _locked(request)
    check_transition(transitions.TRANSFER, request.status, target, Status)
    check_other_user(actor=actor, requesters=[request.requested_by])
    reference = require_text(
        resolution_reference, "resolution_reference", _("Give the board minutes reference.")
    )
    if resolution_date < request.requested_on:
        raise ValidationError(
            {"resolution_date": _("The board cannot decide before the request was received.")}, code="before"
        )
    before = request.status
    request.status = target
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.resolution_date = resolution_date
    request.resolution_reference = reference
    request.decision_note = note.strip()
    request.full_clean(validate_constraints=False)
    request.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "resolution_date",
            "resolution_reference",
            "decision_note",
        ]
    )
    event(request=request, status_before=before, actor=actor)
    return request


def transfer_approve(
    *, request: TransferRequest, resolution_date: date, resolution_reference: str, actor: User
) -> TransferRequest:
    """The board approves the transfer (7); the register is then updated by `transfer_register`."""
    with transaction.atomic():
        return _decide(
            request=request,
            target=Status.APPROVED,
            event=events.event_transfer_approved,
            resolution_date=resolution_date,
            resolution_reference=resolution_reference,
            actor=actor,
        )


def transfer_reject(
    *,
    request: TransferRequest,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
    reason: str = "",
) -> TransferRequest:
    """The board refuses the transfer; the rights stay with the transferor."""
    with transaction.atomic():
        return _decide(
            request=request,
            target=Status.REJECTED,
            event=events.event_transfer_rejected,
            resolution_date=resolution_date,
            resolution_reference=resolution_reference,
            actor=actor,
            note=reason,
        )


def transfer_deem_approved(*, as_of: date, actor: User) -> list[TransferRequest]:
    """Art 266: requests with no decision by their due date are deemed approved the day after.

    Idempotent: a request already decided or deemed approved is left alone, so the daily sweep
    may run it any number of times.
    """
    done = []
    due_ids = list(
        TransferRequest.objects.filter(status=Status.REQUESTED, decision_due_on__lt=as_of)
        .order_by("decision_due_on", "pk")
        .values_list("pk", flat=True)
    )
    for pk in due_ids:
        with transaction.atomic():
            request = _locked(TransferRequest(pk=pk))
            if request.status != Status.REQUESTED:
                continue  # decided meanwhile
            check_transition(transitions.TRANSFER, request.status, Status.DEEMED_APPROVED, Status)
            request.status = Status.DEEMED_APPROVED
            request.decided_at = timezone.now()
            request.save(update_fields=["status", "decided_at"])
            events.event_transfer_deemed_approved(request=request, actor=actor)
            done.append(request)
    return done


@transaction.atomic
def transfer_register(*, request: TransferRequest, registered_on: date, actor: User) -> TransferRequest:
    """Enter an approved (or deemed approved) transfer in the register: the rights move.

    Two `transfer_registered` events, one per register line (the transferor's minus, the
    transferee's plus), so the register per holder stays the sum of its events.
    """
    request = _locked(request)
    check_transition(transitions.TRANSFER, request.status, Status.REGISTERED, Status)
    decided_on = request.resolution_date or (request.decision_due_on + timedelta(days=1))
    if registered_on < decided_on:
        raise ValidationError(
            {"registered_on": _("A transfer cannot be registered before it was approved.")}, code="before"
        )
    holding = Holding.objects.select_for_update().get(pk=request.holding_id)
    for piece in holding_remove(holding=holding, rights=request.rights):  # oldest lots first
        holding_add(  # the transferee's lot keeps the original holder's conditions (11)
            series=request.series,
            holder=request.transferee,
            rights=piece.rights,
            acquired_on=registered_on,
            origin=LotOrigin.transferred(request, piece.lot),
        )
    request.status = Status.REGISTERED
    request.registered_by = actor
    request.registered_at = timezone.now()
    request.registered_on = registered_on
    request.save(update_fields=["status", "registered_by", "registered_at", "registered_on"])
    events.event_transfer_registered(request=request, actor=actor)
    return request
