"""Transfer of rights: the terms that forbid it, notice (11)4; the board's approval, notice (7), notified
to the requester, Art 265(2); the deemed approval of Art 266 (docs/domain.md §2.6, readings R11, R21, R22).

Every date a step carries is a day that has happened: none is after today, none before the series'
allotment date. "Today" is ``as_of``, which the pages leave to ``equityplan.clock.today()``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equityplan import clock
from equityplan.forms import check_days
from equityplan.workflow import TransitionTable, check_transition
from grants import events, transitions
from grants.domain.windows import civil_code_period_end
from grants.models import ExerciseRequest, Holding, LedgerEvent, Series, TransferRequest
from holders.models import Holder

from ._workflow import LotOrigin, check_other_user, holding_add, holding_remove, require_text, whole_rights

Status = TransferRequest.Status

# Art 266: two weeks from the request, counted from the next day (Civil Code Art 140).
DECISION_PERIOD_DAYS = 14


def transfer_decision_due_on(requested_on: date) -> date:
    """Last day on which the company may notify its decision (Art 266, reading R11)."""
    return civil_code_period_end(requested_on, days=DECISION_PERIOD_DAYS)


def _table(series: Series) -> TransitionTable:
    if series.transfer_prohibited_by_allotment_terms:
        return transitions.TRANSFER_PROHIBITED_BY_TERMS
    if not series.transfer_requires_board_approval:
        return transitions.TRANSFER_WITHOUT_APPROVAL
    return transitions.TRANSFER


def _prohibited(series: Series) -> ValidationError:
    return ValidationError(
        _(
            "The allotment terms of %(series)s forbid transfer of the rights to a third party, pledge or "
            "any other disposal, notice (11)4."
        )
        % {"series": series.name},
        code="prohibited_by_terms",
    )


def _not_after(on: date, *, as_of: date, field: str, message: str) -> None:
    """No step is dated after today."""
    if on > as_of:
        raise ValidationError({field: ValidationError(message % {"today": as_of.isoformat()}, code="future")})


def _check_day(on: date, *, field: str, series: Series, as_of: date, future: str, early: str) -> None:
    """A step is dated on a day that has happened, and not before the series' allotment date."""
    _not_after(on, as_of=as_of, field=field, message=future)
    if on < series.allotment_date:
        raise ValidationError(
            {
                field: ValidationError(
                    early % {"allotment_date": series.allotment_date.isoformat()}, code="before_allotment"
                )
            }
        )


def _locked(request: TransferRequest) -> TransferRequest:
    return (
        TransferRequest.objects.select_for_update()
        .select_related("series", "transferor", "transferee", "requested_by")
        .get(pk=request.pk)
    )


@transaction.atomic
def transfer_request(
    *,
    holding: Holding,
    transferee: Holder,
    rights: int,
    requested_on: date,
    actor: User,
    as_of: date | None = None,
) -> TransferRequest:
    """Record a request to transfer rights; the board must notify its decision within two weeks (Art 266).

    Refused, writing nothing, where the series' allotment terms forbid transfer, notice (11)4. In a
    series that needs no approval the request waits only for its entry in the register (Art 260).
    """
    check_days(requested_on=requested_on)
    as_of = as_of or clock.today()
    rights = whole_rights(rights)
    holding = Holding.objects.select_for_update().select_related("series", "holder").get(pk=holding.pk)
    series = holding.series
    if series.transfer_prohibited_by_allotment_terms:
        raise _prohibited(series)
    _check_day(
        requested_on,
        field="requested_on",
        series=series,
        as_of=as_of,
        future=_("A transfer request cannot be dated after today (%(today)s)."),
        early=_("A transfer request cannot be dated before the allotment date (%(allotment_date)s)."),
    )
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
        series=series,
        transferor=holding.holder,
        transferee=transferee,
        rights=rights,
        requested_on=requested_on,
        decision_due_on=(
            transfer_decision_due_on(requested_on) if series.transfer_requires_board_approval else None
        ),
        requested_by=actor,
    )
    request.full_clean(validate_constraints=False)  # the one-open-request constraint is the backstop
    request.save()
    events.event_transfer_requested(request=request, actor=actor)
    return request


def _check_in_time(request: TransferRequest, *, notified_on: date) -> None:
    """Art 266: once approval is deemed given, a later decision has no effect (reading R21).

    The check compares the notification date with the due date, whatever the status says: the
    sweep may not have recorded the deemed approval yet, or may have recorded it before a decision
    notified in time was entered (that decision then replaces it).
    """
    deemed_on = request.deemed_approved_on
    if deemed_on is not None and notified_on >= deemed_on:
        raise ValidationError(
            _(
                "No decision was notified by %(due)s, so approval is deemed given from %(deemed)s "
                "(Companies Act Art 266); a decision notified on %(notified)s has no effect."
            )
            % {
                "due": (deemed_on - timedelta(days=1)).isoformat(),
                "deemed": deemed_on.isoformat(),
                "notified": notified_on.isoformat(),
            },
            code="deemed_approved",
        )


def _decide(
    *,
    request: TransferRequest,
    target: str,
    event: Callable[..., LedgerEvent],
    resolution_date: date,
    resolution_reference: str,
    notified_on: date,
    notified_how: str,
    actor: User,
    as_of: date | None,
    note: str = "",
) -> TransferRequest:
    as_of = as_of or clock.today()
    request = _locked(request)
    series = request.series
    if not series.transfer_requires_board_approval and not series.transfer_prohibited_by_allotment_terms:
        raise ValidationError(
            _("The terms of %(series)s need no board approval for a transfer: register it instead.")
            % {"series": series.name},
            code="no_approval_needed",
        )
    if series.transfer_prohibited_by_allotment_terms and target != Status.REJECTED:
        raise _prohibited(series)
    check_transition(_table(series), request.status, target, Status)
    check_other_user(actor=actor, requesters=[request.requested_by])
    reference = require_text(
        resolution_reference, "resolution_reference", _("Give the board minutes reference.")
    )
    how = require_text(notified_how, "notified_how", _("Say how the decision was notified to the requester."))
    if how not in TransferRequest.Notification.values:
        raise ValidationError(
            {"notified_how": ValidationError(_("Choose how the decision was notified."), code="invalid")}
        )
    _not_after(
        resolution_date,
        as_of=as_of,
        field="resolution_date",
        message=_("The board's resolution cannot be dated after today (%(today)s)."),
    )
    _not_after(
        notified_on,
        as_of=as_of,
        field="notified_on",
        message=_("The notification cannot be dated after today (%(today)s)."),
    )
    if resolution_date < request.requested_on:
        raise ValidationError(
            {"resolution_date": _("The board cannot decide before the request was received.")}, code="before"
        )
    if notified_on < resolution_date:
        raise ValidationError(
            {
                "notified_on": ValidationError(
                    _("A decision cannot be notified before the board resolved it (%(resolved)s).")
                    % {"resolved": resolution_date.isoformat()},
                    code="before",
                )
            }
        )
    _check_in_time(request, notified_on=notified_on)
    before = request.status
    request.status = target
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.resolution_date = resolution_date
    request.resolution_reference = reference
    request.decision_note = note.strip()
    request.notified_on = notified_on
    request.notified_how = how
    request.full_clean(validate_constraints=False)
    request.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "resolution_date",
            "resolution_reference",
            "decision_note",
            "notified_on",
            "notified_how",
        ]
    )
    event(request=request, status_before=before, actor=actor)
    return request


def transfer_approve(
    *,
    request: TransferRequest,
    resolution_date: date,
    resolution_reference: str,
    notified_on: date,
    notified_how: str,
    actor: User,
    as_of: date | None = None,
) -> TransferRequest:
    """The board approves the transfer (7), notified to the requester (Art 265(2)).

    The register is then updated by `transfer_register`. Refused where the series' terms forbid the
    transfer, and where approval is already deemed given (Art 266).
    """
    with transaction.atomic():
        return _decide(
            request=request,
            target=Status.APPROVED,
            event=events.event_transfer_approved,
            resolution_date=resolution_date,
            resolution_reference=resolution_reference,
            notified_on=notified_on,
            notified_how=notified_how,
            actor=actor,
            as_of=as_of,
        )


def transfer_reject(
    *,
    request: TransferRequest,
    resolution_date: date,
    resolution_reference: str,
    notified_on: date,
    notified_how: str,
    actor: User,
    reason: str = "",
    as_of: date | None = None,
) -> TransferRequest:
    """The board refuses the transfer, notified to the requester (Art 265(2)); the rights stay put.

    Refused once approval is deemed given (Art 266). A request recorded before the terms' prohibition
    was enforced can only end here (reading R22).
    """
    with transaction.atomic():
        return _decide(
            request=request,
            target=Status.REJECTED,
            event=events.event_transfer_rejected,
            resolution_date=resolution_date,
            resolution_reference=resolution_reference,
            notified_on=notified_on,
            notified_how=notified_how,
            actor=actor,
            as_of=as_of,
            note=reason,
        )


def transfer_deem_approved(*, as_of: date, actor: User) -> list[TransferRequest]:
    """Art 266: requests with no decision notified by their due date are deemed approved the day after.

    Never a request of a series whose terms forbid transfer (reading R22), nor one of a series that
    needs no approval (it has no due date). Idempotent: a request already decided or deemed approved
    is left alone, so the daily sweep may run it any number of times.
    """
    done = []
    due_ids = list(
        TransferRequest.objects.filter(
            status=Status.REQUESTED,
            decision_due_on__lt=as_of,
            series__transfer_prohibited_by_allotment_terms=False,
        )
        .order_by("decision_due_on", "pk")
        .values_list("pk", flat=True)
    )
    for pk in due_ids:
        with transaction.atomic():
            request = _locked(TransferRequest(pk=pk))
            if request.status != Status.REQUESTED or request.deemed_approved_on is None:
                continue  # decided meanwhile, or the terms changed
            check_transition(_table(request.series), request.status, Status.DEEMED_APPROVED, Status)
            request.status = Status.DEEMED_APPROVED
            request.decided_at = timezone.now()
            request.save(update_fields=["status", "decided_at"])
            events.event_transfer_deemed_approved(request=request, actor=actor)
            done.append(request)
    return done


def _effective_from(request: TransferRequest) -> date:
    """The first day the transfer may be registered: the approval's notification, or the deemed approval."""
    if request.status == Status.DEEMED_APPROVED:
        deemed_on = request.deemed_approved_on
        assert deemed_on is not None  # only a request with a due date is deemed approved
        return deemed_on
    if request.status == Status.APPROVED:
        # Reading R21: approval counts from its notification; one recorded before notifications were
        # recorded counts from the resolution.
        on = request.notified_on or request.resolution_date
        assert on is not None  # an approved request has its resolution
        return on
    return request.requested_on  # a series that needs no approval


@transaction.atomic
def transfer_register(
    *, request: TransferRequest, registered_on: date, actor: User, as_of: date | None = None
) -> TransferRequest:
    """Enter an approved (or deemed approved) transfer in the register: the rights move.

    In a series that needs no approval, the request itself is registered (Art 260). Two
    `transfer_registered` events, one per register line (the transferor's minus, the transferee's
    plus), so the register per holder stays the sum of its events.
    """
    as_of = as_of or clock.today()
    request = _locked(request)
    series = request.series
    if series.transfer_prohibited_by_allotment_terms:
        raise _prohibited(series)
    check_transition(_table(series), request.status, Status.REGISTERED, Status)
    _check_day(
        registered_on,
        field="registered_on",
        series=series,
        as_of=as_of,
        future=_("A transfer cannot be registered with effect after today (%(today)s)."),
        early=_("A transfer cannot be registered before the allotment date (%(allotment_date)s)."),
    )
    if registered_on < _effective_from(request):
        message = (
            _("A transfer cannot be registered before it was approved.")
            if series.transfer_requires_board_approval
            else _("A transfer cannot be registered before it was requested.")
        )
        raise ValidationError({"registered_on": message}, code="before")
    holding = Holding.objects.select_for_update().get(pk=request.holding_id)
    for piece in holding_remove(holding=holding, rights=request.rights):  # oldest lots first
        holding_add(  # the transferee's lot keeps the original holder's conditions (11)
            series=series,
            holder=request.transferee,
            rights=piece.rights,
            acquired_on=registered_on,
            origin=LotOrigin.transferred(request, piece.lot),
        )
    status_before = request.status
    request.status = Status.REGISTERED
    request.registered_by = actor
    request.registered_at = timezone.now()
    request.registered_on = registered_on
    request.save(update_fields=["status", "registered_by", "registered_at", "registered_on"])
    events.event_transfer_registered(request=request, status_before=status_before, actor=actor)
    return request
