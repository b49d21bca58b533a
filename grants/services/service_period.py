"""The service period of a series (対象勤務期間), which the expense schedule spreads the grant over.

ASBJ Statement No. 8 para 2(8) and 5: the period over which the services the rights pay for are
rendered; "none" where they pay for past service and are expensed at once (docs/domain.md §7.1).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equityplan.clock import today
from grants import events
from grants.models import Series

Kind = Series.ServicePeriod


@transaction.atomic
def series_set_service_period(
    *,
    series: Series,
    kind: str,
    actor: User,
    start: date | None = None,
    end: date | None = None,
    basis: str = "",
) -> Series:
    """Set the series' service period: ``period`` from ``start`` to ``end``, or ``past_service``.

    The period starts no earlier than the allotment date (the grant date, ASBJ Statement No. 8 para
    2(6)); a call that changes nothing is refused.
    """
    if kind not in (Kind.PERIOD, Kind.PAST_SERVICE):
        raise ValidationError({"kind": ValidationError(_("Choose a kind of service period."), code="kind")})
    series = Series.objects.select_for_update().get(pk=series.pk)
    if kind == Kind.PERIOD:
        errors = {}
        if start is None:
            errors["start"] = ValidationError(_("Give the first day."), code="required")
        if end is None:
            errors["end"] = ValidationError(_("Give the last day."), code="required")
        if errors:
            raise ValidationError(errors)
        assert start is not None and end is not None
        if end < start:
            raise ValidationError(
                {"end": ValidationError(_("The last day is before the first."), code="order")}
            )
        if start < series.allotment_date:
            message = _("The service period cannot start before the allotment date %(date)s.") % {
                "date": series.allotment_date.isoformat()
            }
            raise ValidationError({"start": ValidationError(message, code="before_allotment")})
    else:
        start = end = None
    before = events.service_period_values(series)
    series.service_period, series.service_period_start, series.service_period_end = kind, start, end
    series.service_period_basis = (basis or "").strip()
    if events.service_period_values(series) == before:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    series.full_clean()
    series.save(
        update_fields=["service_period", "service_period_start", "service_period_end", "service_period_basis"]
    )
    events.event_service_period_set(series=series, before=before, effective_date=today(), actor=actor)
    return series
