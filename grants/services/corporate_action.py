"""Splits, consolidations and reasonable adjustments of the shares per right, notice (3)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equityplan.clock import check_not_future
from equityplan.forms import check_days
from equityplan.workflow import check_transition
from grants import events, transitions
from grants.domain.adjustments import adjusted_shares_per_right, adjustment_applies_from
from grants.models import Company, CorporateAction, Series, ShareAdjustment

from ._workflow import check_other_user, require_text

Kind = CorporateAction.Kind
Status = CorporateAction.Status


@transaction.atomic
def corporate_action_record(
    *,
    company: Company,
    kind: str,
    ratio_numerator: int,
    ratio_denominator: int,
    actor: User,
    record_date: date | None = None,
    effective_date: date | None = None,
    meeting_closed_on: date | None = None,
    description: str = "",
) -> CorporateAction:
    """Record a corporate action for the board's decision; the date it applies from follows (3)."""
    check_days(record_date=record_date, effective_date=effective_date, meeting_closed_on=meeting_closed_on)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of corporate action.")}, code="kind")
    for value in (ratio_numerator, ratio_denominator):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError(_("The ratio is two whole numbers of at least 1."), code="ratio")
    ratio = Fraction(ratio_numerator, ratio_denominator)
    if kind in (Kind.SPLIT, Kind.CONDITIONAL_SPLIT) and ratio <= 1:
        raise ValidationError(
            _("A split increases the number of shares: the ratio must exceed 1."), code="ratio"
        )
    if kind == Kind.CONSOLIDATION and ratio >= 1:
        raise ValidationError(
            _("A consolidation reduces the number of shares: the ratio must be below 1."), code="ratio"
        )
    try:
        applies_from = adjustment_applies_from(
            kind, record_date=record_date, effective_date=effective_date, meeting_closed_on=meeting_closed_on
        )
    except ValueError as exc:
        missing = {
            Kind.SPLIT: "record_date",
            # Notice (3): the meeting's close and the record date it reaches back to.
            Kind.CONDITIONAL_SPLIT: "meeting_closed_on" if meeting_closed_on is None else "record_date",
            Kind.CONSOLIDATION: "effective_date",
            Kind.REASONABLE_ADJUSTMENT: "effective_date",
        }[Kind(kind)]
        raise ValidationError(
            {missing: _("This date is required for this kind, and must be consistent.")}, code="date"
        ) from exc
    action = CorporateAction(
        company=company,
        kind=kind,
        ratio_numerator=ratio_numerator,
        ratio_denominator=ratio_denominator,
        record_date=record_date,
        effective_date=effective_date,
        meeting_closed_on=meeting_closed_on,
        applies_from=applies_from,
        description=description.strip(),
        requested_by=actor,
    )
    action.full_clean()
    action.save()
    events.event_corporate_action_recorded(action=action, actor=actor)
    return action


def affected_series(action: CorporateAction) -> list[Series]:
    """Series of the company with rights outstanding on the day the adjustment applies."""
    return list(
        Series.objects.select_for_update()
        .filter(
            company_id=action.company_id,
            status__in=[Series.Status.RESOLVED, Series.Status.ALLOTTED],
            allotment_date__lt=action.applies_from,
            exercise_period_end__gte=action.applies_from,
        )
        .order_by("pk")
    )


@transaction.atomic
def corporate_action_approve(
    *, action: CorporateAction, resolution_date: date, resolution_reference: str, actor: User
) -> list[ShareAdjustment]:
    """The board approves: every affected series gets the adjusted shares per right from `applies_from`.

    new = floor(old x ratio), fractions of a share discarded (3). A conditional split applies
    retroactively from the day after its record date and is known from the day after its meeting
    closed: its adjustments carry that `known_from` (docs/domain.md §2.2). One `corporate_action_approved` event
    naming the affected series (none, when no series has rights outstanding then), and one `adjusted`
    event per series. Holdings' shares follow, since shares per right on a date is a lookup in the
    adjustment history.
    """
    check_not_future(resolution_date=resolution_date)
    action = CorporateAction.objects.select_for_update().select_related("requested_by").get(pk=action.pk)
    check_transition(transitions.CORPORATE_ACTION, action.status, Status.APPLIED, Status)
    check_other_user(actor=actor, requesters=[action.requested_by])
    reference = require_text(
        resolution_reference, "resolution_reference", _("Give the resolution reference.")
    )
    ratio = Fraction(action.ratio_numerator, action.ratio_denominator)
    affected = affected_series(action)
    figures = []
    for series in affected:
        if ShareAdjustment.objects.filter(series=series, applies_from__gte=action.applies_from).exists():
            raise ValidationError(
                _("%(series)s already has an adjustment on or after %(date)s; record them in date order.")
                % {"series": series.name, "date": action.applies_from.isoformat()},
                code="out_of_order",
            )
        old = series.shares_per_right_on(action.applies_from)
        new = adjusted_shares_per_right(old, ratio)
        if new < 1:
            raise ValidationError(
                _("The adjustment would leave %(series)s with no shares per right.")
                % {"series": series.name},
                code="zero",
            )
        figures.append((series, old, new))
    action.status = Status.APPLIED
    action.decided_by = actor
    action.decided_at = timezone.now()
    action.resolution_date = resolution_date
    action.resolution_reference = reference
    action.save(
        update_fields=["status", "decided_by", "decided_at", "resolution_date", "resolution_reference"]
    )
    events.event_corporate_action_approved(action=action, affected=affected, actor=actor)
    created = []
    for series, old, new in figures:
        adjustment = ShareAdjustment(
            series=series,
            applies_from=action.applies_from,
            ratio_numerator=action.ratio_numerator,
            ratio_denominator=action.ratio_denominator,
            shares_per_right=new,
            known_from=action.known_from,
            cause=action.kind,
            resolution_reference=reference,
        )
        adjustment.full_clean()
        adjustment.save()
        created.append(adjustment)
        events.event_adjusted(action=action, adjustment=adjustment, shares_per_right_before=old, actor=actor)
    return created


@transaction.atomic
def corporate_action_reject(
    *, action: CorporateAction, resolution_date: date, resolution_reference: str, actor: User
) -> CorporateAction:
    check_not_future(resolution_date=resolution_date)
    action = CorporateAction.objects.select_for_update().select_related("requested_by").get(pk=action.pk)
    check_transition(transitions.CORPORATE_ACTION, action.status, Status.REJECTED, Status)
    check_other_user(actor=actor, requesters=[action.requested_by])
    action.status = Status.REJECTED
    action.decided_by = actor
    action.decided_at = timezone.now()
    action.resolution_date = resolution_date
    action.resolution_reference = require_text(
        resolution_reference, "resolution_reference", _("Give the resolution reference.")
    )
    action.save(
        update_fields=["status", "decided_by", "decided_at", "resolution_date", "resolution_reference"]
    )
    events.event_corporate_action_rejected(action=action, actor=actor)
    return action
