"""Allotment of rights to a holder, within the series maximum even under concurrent requests."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from grants import events
from grants.models import Allotment, AllotmentCategory, Series
from holders.models import Holder

from ._workflow import LotOrigin, holding_add


@transaction.atomic
def allotment_create(*, series: Series, holder: Holder, rights: int, category: str, actor: User) -> Allotment:
    """Allot rights: writes the Allotment, the Holding and one `allotted` ledger event together.

    The series row is locked first, so concurrent allotments queue behind each other; the
    `series_allotted_within_max` constraint is the database's backstop for the maximum (2).
    """
    if isinstance(rights, bool) or not isinstance(rights, int):
        raise ValidationError(_("The number of rights must be a whole number."), code="invalid")
    if rights < 1:
        raise ValidationError(_("At least one right must be allotted."), code="min_value")
    if category not in AllotmentCategory.values:
        raise ValidationError(_("Choose director or executive officer."), code="category")
    series = Series.objects.select_for_update().get(pk=series.pk)
    if series.status != Series.Status.RESOLVED:
        raise ValidationError(
            _("Rights can be allotted only in a series resolved by the board; this one is %(status)s.")
            % {"status": series.get_status_display()},
            code="status",
        )
    if holder.died_on is not None:
        raise ValidationError(_("Rights cannot be allotted to a deceased person."), code="deceased")
    if series.allotted_rights + rights > series.max_rights:
        raise ValidationError(
            _(
                "Only %(left)d of the maximum %(max)d rights are left in this series; %(asked)d were asked for."
            )
            % {"left": series.max_rights - series.allotted_rights, "max": series.max_rights, "asked": rights},
            code="max_rights",
        )
    allotment_shares_per_right = series.shares_per_right_on(series.allotment_date)
    allotment = Allotment(
        series=series,
        holder=holder,
        rights=rights,
        category=category,
        allotted_on=series.allotment_date,
        recorded_by=actor,
    )
    allotment.full_clean()
    allotment.save()
    allotted_after = series.allotted_rights + rights
    series.allotted_rights = F("allotted_rights") + rights
    series.save(update_fields=["allotted_rights"])
    holding_add(
        series=series,
        holder=holder,
        rights=rights,
        acquired_on=series.allotment_date,
        origin=LotOrigin.allotted(allotment),
    )
    events.event_allotted(
        allotment=allotment,
        shares_per_right=allotment_shares_per_right,
        allotted_rights_after=allotted_after,
        actor=actor,
    )
    return allotment
