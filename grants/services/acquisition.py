"""Acquisition of rights by the company without contribution (8), and their cancellation (Art 276)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equityplan.clock import check_not_future
from equityplan.workflow import check_four_eyes, check_transition
from grants import events, transitions
from grants.models import (
    CompanyAcquisition,
    CompanyHeldRights,
    ExerciseRequest,
    Holding,
    Series,
    TransferRequest,
)

from ._workflow import holding_remove, require_text, whole_rights

Status = CompanyAcquisition.Status


@transaction.atomic
def company_acquisition_resolve(
    *,
    series: Series,
    trigger: str,
    proposal_approved_on: date,
    acquisition_date: date,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
) -> CompanyAcquisition:
    """Record the board's resolution fixing the date on which the company acquires the rights (8)."""
    check_not_future(proposal_approved_on=proposal_approved_on, resolution_date=resolution_date)
    series = Series.objects.select_for_update().get(pk=series.pk)
    if not series.company_may_acquire_without_contribution:
        raise ValidationError(
            _("The terms of this series give the company no right to acquire them."), code="terms"
        )
    if trigger not in CompanyAcquisition.Trigger.values:
        raise ValidationError({"trigger": _("Choose the approved proposal.")}, code="trigger")
    if CompanyAcquisition.objects.filter(series=series).exists():
        raise ValidationError(_("An acquisition of this series is already recorded."), code="duplicate")
    if acquisition_date < proposal_approved_on:
        raise ValidationError(
            {"acquisition_date": _("The acquisition date must follow the approval of the proposal.")},
            code="before",
        )
    acquisition = CompanyAcquisition(
        series=series,
        trigger=trigger,
        proposal_approved_on=proposal_approved_on,
        acquisition_date=acquisition_date,
        resolution_date=resolution_date,
        resolution_reference=require_text(
            resolution_reference, "resolution_reference", _("Give the board minutes reference.")
        ),
        requested_by=actor,
    )
    acquisition.full_clean(validate_constraints=False)
    acquisition.save()
    events.event_acquisition_resolved(acquisition=acquisition, actor=actor)
    return acquisition


@transaction.atomic
def company_acquisition_execute(
    *, acquisition: CompanyAcquisition, as_of: date, actor: User
) -> CompanyAcquisition:
    """On the fixed date every holder's rights pass to the company: one `acquired_by_company` event per holder.

    When no holder has rights left, one such event with no holder and no rights records the execution.
    """
    acquisition = (
        CompanyAcquisition.objects.select_for_update()
        .select_related("series", "requested_by")
        .get(pk=acquisition.pk)
    )
    check_transition(transitions.ACQUISITION, acquisition.status, Status.EXECUTED, Status)
    check_four_eyes(actor=actor, recorded_by=[acquisition.requested_by_id])
    if as_of < acquisition.acquisition_date:
        raise ValidationError(
            _("The rights are acquired on %(date)s, not before.")
            % {"date": acquisition.acquisition_date.isoformat()},
            code="too_early",
        )
    series = Series.objects.select_for_update().get(pk=acquisition.series_id)
    holdings = list(
        Holding.objects.select_for_update()
        .filter(series=series, rights__gt=0)
        .select_related("holder")
        .order_by("pk")
    )
    if ExerciseRequest.objects.filter(series=series, status=ExerciseRequest.Status.REQUESTED).exists():
        raise ValidationError(
            _("An exercise of this series awaits payment: settle it first."), code="open_exercise"
        )
    if TransferRequest.objects.filter(series=series, status__in=TransferRequest.OPEN_STATUSES).exists():
        raise ValidationError(
            _("A transfer of this series is still open: settle it first."), code="open_transfer"
        )
    held, _created = CompanyHeldRights.objects.select_for_update().get_or_create(series=series)
    total = 0
    for holding in holdings:
        rights = holding.rights
        holding_remove(holding=holding, rights=rights)
        total += rights
        events.event_acquired_by_company(
            acquisition=acquisition, holder=holding.holder, rights=rights, actor=actor
        )
    if not holdings:
        events.event_acquired_by_company(acquisition=acquisition, holder=None, rights=0, actor=actor)
    held.rights += total
    held.save(update_fields=["rights"])
    acquisition.status = Status.EXECUTED
    acquisition.executed_by = actor
    acquisition.executed_at = timezone.now()
    acquisition.rights_acquired = total
    acquisition.save(update_fields=["status", "executed_by", "executed_at", "rights_acquired"])
    return acquisition


@transaction.atomic
def rights_cancel(
    *,
    series: Series,
    rights: int,
    cancelled_on: date,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
) -> CompanyHeldRights:
    """Cancel rights the company holds (Art 276); one `cancelled` event with the figures."""
    check_not_future(cancelled_on=cancelled_on, resolution_date=resolution_date)
    rights = whole_rights(rights)
    held = CompanyHeldRights.objects.select_for_update().filter(series=series).first()
    if held is None or held.rights < rights:
        raise ValidationError(
            _("The company holds only %(held)d rights of this series.")
            % {"held": held.rights if held else 0},
            code="not_enough_rights",
        )
    reference = require_text(
        resolution_reference, "resolution_reference", _("Give the board minutes reference.")
    )
    held.rights -= rights
    held.cancelled_rights += rights
    held.save(update_fields=["rights", "cancelled_rights"])
    events.event_cancelled(
        held=held,
        rights=rights,
        cancelled_on=cancelled_on,
        resolution_date=resolution_date,
        resolution_reference=reference,
        actor=actor,
    )
    return held
