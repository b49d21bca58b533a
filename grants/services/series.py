"""Series: creation from a board notice's terms and the status pipeline draft -> resolved -> allotted -> closed."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equityplan.clock import check_not_future
from equityplan.workflow import check_four_eyes, check_transition
from grants import events, hooks, transitions
from grants.models import Company, PlannedAllotment, Series, ShareAdjustment

from ._workflow import series_recorder_id


def _locked(series: Series) -> Series:
    return Series.objects.select_for_update().get(pk=series.pk)


def series_build(
    *,
    series: Series,
    shares_per_right: int,
    actor: User,
    planned: Iterable[tuple[str, int, int]] = (),
    reference: str = "",
) -> Series:
    """Save a new series with its shares per right at issue and its `series_created` event.

    The steps every series goes through, whether created from a board notice (`series_create`) or
    as the successor series of a restructuring (9): the terms validated, the first entry of the
    adjustment history (applying from the allotment date), the planned allotments within the maximum.
    """
    if isinstance(shares_per_right, bool) or not isinstance(shares_per_right, int) or shares_per_right < 1:
        raise ValidationError({"shares_per_right": _("Shares per right must be at least 1.")}, code="min")
    series.full_clean()
    if series.exercise_period_end < series.exercise_period_start:
        raise ValidationError({"exercise_period_end": _("The exercise period ends before it starts.")})
    series.save()
    initial = ShareAdjustment(
        series=series,
        applies_from=series.allotment_date,
        shares_per_right=shares_per_right,
        cause=ShareAdjustment.Cause.INITIAL,
        resolution_reference=reference,
    )
    initial.full_clean()
    initial.save()
    planned_total = 0
    for category, persons, rights in planned:
        row = PlannedAllotment(series=series, category=category, persons=persons, rights=rights)
        row.full_clean()
        row.save()
        planned_total += rights
    if planned_total > series.max_rights:
        raise ValidationError(_("The planned allotments exceed the maximum number of rights."), code="max")
    events.event_series_created(series=series, shares_per_right=shares_per_right, actor=actor)
    return series


@transaction.atomic
def series_create(
    *,
    company: Company,
    number: int,
    name: str,
    max_rights: int,
    shares_per_right: int,
    exercise_price_per_share_yen: Decimal,
    exercise_period_start: date,
    exercise_period_end: date,
    allotment_date: date,
    payment_date: date,
    actor: User,
    planned: Iterable[tuple[str, int, int]] = (),
    **other_terms: Any,
) -> Series:
    """Create a draft series with every term of the notice; shares per right start the adjustment history."""
    if shares_per_right is None or int(shares_per_right) < 1:
        raise ValidationError({"shares_per_right": _("Shares per right must be at least 1.")}, code="min")
    series = Series(
        company=company,
        number=number,
        name=name,
        max_rights=max_rights,
        exercise_price_per_share_yen=exercise_price_per_share_yen,
        exercise_period_start=exercise_period_start,
        exercise_period_end=exercise_period_end,
        allotment_date=allotment_date,
        payment_date=payment_date,
        **other_terms,
    )
    return series_build(series=series, shares_per_right=int(shares_per_right), actor=actor, planned=planned)


@transaction.atomic
def series_resolve(
    *, series: Series, resolution_date: date, resolution_reference: str, actor: User
) -> Series:
    """Record the board's resolution of the terms; allotments may then be made."""
    check_not_future(resolution_date=resolution_date)
    series = _locked(series)
    check_transition(transitions.SERIES, series.status, Series.Status.RESOLVED, Series.Status)
    check_four_eyes(actor=actor, recorded_by=[series_recorder_id(series)])
    if resolution_date > series.allotment_date:
        raise ValidationError(
            _("The board resolution must come before the allotment date."), code="after_allotment"
        )
    series.status = Series.Status.RESOLVED
    series.resolution_date = resolution_date
    series.resolution_reference = resolution_reference.strip()
    series.full_clean()
    series.save(update_fields=["status", "resolution_date", "resolution_reference"])
    events.event_series_resolved(series=series, actor=actor)
    hooks.series_resolved(series=series)  # e.g. schedule the allotment-date recomputation (jobs)
    return series


@transaction.atomic
def series_change_allotment_date(
    *,
    series: Series,
    allotment_date: date,
    payment_date: date,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
) -> Series:
    """The board moves the allotment (and payment) date before anything is allotted, clauses (13), (14).

    Allotment events carry the allotment date as their effective date and are never edited, so once
    rights are allotted the date can no longer move. Shares per right at issue apply from the new date.
    """
    check_not_future(resolution_date=resolution_date)
    series = _locked(series)
    check_four_eyes(actor=actor, recorded_by=[series_recorder_id(series)])
    if series.status not in (Series.Status.DRAFT, Series.Status.RESOLVED):
        raise ValidationError(
            _("The allotment date of a series that is %(status)s cannot change.")
            % {"status": series.get_status_display()},
            code="status",
        )
    if series.allotted_rights:
        raise ValidationError(
            _("Rights are already allotted on %(date)s; the allotment date can no longer change.")
            % {"date": series.allotment_date.isoformat()},
            code="allotted",
        )
    if allotment_date > series.exercise_period_start:
        raise ValidationError(
            _("The allotment date must not come after the first day of the exercise period."), code="order"
        )
    if series.resolution_date and allotment_date < series.resolution_date:
        raise ValidationError(
            _("The allotment date cannot come before the board's resolution of the series."), code="order"
        )
    if payment_date < allotment_date:
        raise ValidationError(_("The payment date cannot come before the allotment date."), code="payment")
    if not resolution_reference.strip():
        raise ValidationError(_("Give the reference of the board's resolution."), code="reference")
    allotment_date_before, payment_date_before = series.allotment_date, series.payment_date
    initial = series.share_adjustments.select_for_update().get(cause=ShareAdjustment.Cause.INITIAL)
    series.allotment_date, series.payment_date = allotment_date, payment_date
    series.full_clean()
    series.save(update_fields=["allotment_date", "payment_date"])
    initial.applies_from = allotment_date
    initial.full_clean()
    initial.save(update_fields=["applies_from"])
    events.event_allotment_date_changed(
        series=series,
        allotment_date_before=allotment_date_before,
        payment_date_before=payment_date_before,
        resolution_date=resolution_date,
        resolution_reference=resolution_reference.strip(),
        actor=actor,
    )
    hooks.allotment_date_changed(series=series)  # e.g. move the allotment-date recomputation (jobs)
    return series


@transaction.atomic
def series_close_allotment(*, series: Series, actor: User) -> Series:
    """The allotment is done: no more rights of this series can be allotted (clause (2) second sentence)."""
    series = _locked(series)
    check_transition(transitions.SERIES, series.status, Series.Status.ALLOTTED, Series.Status)
    if series.allotted_rights == 0:
        raise ValidationError(_("Nothing has been allotted in this series yet."), code="empty")
    series.status = Series.Status.ALLOTTED
    series.save(update_fields=["status"])
    events.event_series_allotment_closed(series=series, actor=actor)
    return series
