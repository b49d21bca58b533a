"""Series: creation from a board notice's terms and the status pipeline draft -> resolved -> allotted -> closed."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grants import hooks
from grants.models import Company, LedgerEvent, PlannedAllotment, Series, ShareAdjustment

from .ledger import ledger_record

SERIES_TRANSITIONS: dict[str, set[str]] = {
    Series.Status.DRAFT: {Series.Status.RESOLVED},
    Series.Status.RESOLVED: {Series.Status.ALLOTTED},
    Series.Status.ALLOTTED: {Series.Status.CLOSED},
    Series.Status.CLOSED: set(),
}


def check_series_transition(series: Series, target: str) -> None:
    if target not in SERIES_TRANSITIONS[series.status]:
        raise ValidationError(
            _("A series that is %(current)s cannot become %(target)s.")
            % {"current": series.get_status_display(), "target": Series.Status(target).label},
            code="invalid_transition",
        )


def _locked(series: Series) -> Series:
    return Series.objects.select_for_update().get(pk=series.pk)


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
    actor: AbstractBaseUser,
    planned: list[tuple[str, int, int]] = (),
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
    series.full_clean()
    if exercise_period_end < exercise_period_start:
        raise ValidationError({"exercise_period_end": _("The exercise period ends before it starts.")})
    series.save()
    initial = ShareAdjustment(
        series=series,
        applies_from=allotment_date,
        shares_per_right=shares_per_right,
        cause=ShareAdjustment.Cause.INITIAL,
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
    ledger_record(
        event_type=LedgerEvent.Type.SERIES_CREATED,
        series=series,
        effective_date=series.resolution_date or allotment_date,
        actor=actor,
        payload={
            "max_rights": max_rights,
            "shares_per_right": shares_per_right,
            "exercise_price_per_share_yen": str(exercise_price_per_share_yen),
            "exercise_period": [exercise_period_start.isoformat(), exercise_period_end.isoformat()],
            "allotment_date": allotment_date.isoformat(),
        },
    )
    return series


@transaction.atomic
def series_resolve(
    *, series: Series, resolution_date: date, resolution_reference: str, actor: AbstractBaseUser
) -> Series:
    """Record the board's resolution of the terms; allotments may then be made."""
    series = _locked(series)
    check_series_transition(series, Series.Status.RESOLVED)
    if resolution_date > series.allotment_date:
        raise ValidationError(
            _("The board resolution must come before the allotment date."), code="after_allotment"
        )
    series.status = Series.Status.RESOLVED
    series.resolution_date = resolution_date
    series.resolution_reference = resolution_reference.strip()
    series.full_clean()
    series.save(update_fields=["status", "resolution_date", "resolution_reference"])
    ledger_record(
        event_type=LedgerEvent.Type.SERIES_RESOLVED,
        series=series,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=series.resolution_reference,
        payload={"status": {"before": Series.Status.DRAFT, "after": Series.Status.RESOLVED}},
    )
    hooks.series_resolved(series=series)  # e.g. schedule the allotment-date recomputation (jobs)
    return series


@transaction.atomic
def series_close_allotment(*, series: Series, actor: AbstractBaseUser) -> Series:
    """The allotment is done: no more rights of this series can be allotted (clause (2) second sentence)."""
    series = _locked(series)
    check_series_transition(series, Series.Status.ALLOTTED)
    if series.allotted_rights == 0:
        raise ValidationError(_("Nothing has been allotted in this series yet."), code="empty")
    series.status = Series.Status.ALLOTTED
    series.save(update_fields=["status"])
    ledger_record(
        event_type=LedgerEvent.Type.SERIES_ALLOTMENT_CLOSED,
        series=series,
        effective_date=series.allotment_date,
        actor=actor,
        payload={
            "status": {"before": Series.Status.RESOLVED, "after": Series.Status.ALLOTTED},
            "rights_allotted": series.allotted_rights,
            "max_rights": series.max_rights,
        },
    )
    return series
