"""The amount paid per right (12), set on a series' allotments once its valuation is approved."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equityplan.workflow import check_four_eyes
from grants import events
from grants.models import Allotment, LedgerEvent, Series


@transaction.atomic
def allotment_set_amount_paid(
    *,
    series: Series,
    amount_paid_per_right_yen: int,
    actor: User,
    approved_by: User | None = None,
    reference: str = "",
) -> int:
    """Set the amount paid per right on every allotment of the series; one `amount_determined` event.

    The amount is fixed once: an amount already set is never changed (a wrong figure needs a
    reversing event and a legal decision, not an overwrite). Returns the number of allotments set.
    """
    if isinstance(amount_paid_per_right_yen, bool) or not isinstance(amount_paid_per_right_yen, int):
        raise ValidationError(_("The amount per right is a whole number of yen."), code="invalid")
    if amount_paid_per_right_yen < 0:
        raise ValidationError(_("The amount per right cannot be negative."), code="negative")
    series = Series.objects.select_for_update().get(pk=series.pk)
    allotments = list(Allotment.objects.select_for_update().filter(series=series).order_by("pk"))
    if approved_by is not None:  # the approver did not record the allotments (docs/domain.md reading R44)
        check_four_eyes(
            actor=approved_by,
            recorded_by=LedgerEvent.objects.filter(
                series=series, event_type=LedgerEvent.Type.ALLOTTED
            ).values_list("recorded_by_id", flat=True),
        )
    if not allotments:
        raise ValidationError(_("Nothing has been allotted in this series."), code="empty")
    if any(a.amount_paid_per_right_yen is not None for a in allotments):
        raise ValidationError(
            _("The amount paid per right of this series is already determined and cannot be changed."),
            code="already_set",
        )
    for allotment in allotments:
        allotment.amount_paid_per_right_yen = amount_paid_per_right_yen
        allotment.save(update_fields=["amount_paid_per_right_yen"])
    events.event_amount_determined(
        series=series,
        amount_paid_per_right_yen=amount_paid_per_right_yen,
        allotments=len(allotments),
        rights=sum(a.rights for a in allotments),
        actor=actor,
        approved_by=approved_by,
        reference=reference,
    )
    return len(allotments)
