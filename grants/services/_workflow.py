"""Shared steps of the workflow services: the four-eyes rule, required text, holding changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from grants.models import Holding, Series
from holders.models import Holder


def check_other_user(*, actor: User, requesters: Iterable[User | None]) -> None:
    """A decision needs a user other than the one who asked for it (four eyes)."""
    if any(r is not None and r.pk == actor.pk for r in requesters):
        raise ValidationError(
            _("A decision must be taken by a user other than the one who made the request."),
            code="same_user",
        )


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def lock_holding(*, series: Series, holder: Holder) -> Holding | None:
    return Holding.objects.select_for_update().filter(series=series, holder=holder).first()


def holding_add(*, series: Series, holder: Holder, rights: int, acquired_on: date) -> Holding:
    """Add rights to a holder's holding in the same transaction as the ledger event."""
    holding = lock_holding(series=series, holder=holder)
    if holding is None:
        holding = Holding(series=series, holder=holder, rights=rights, acquired_on=acquired_on)
        holding.full_clean(validate_constraints=False)
        holding.save()
        return holding
    if holding.rights == 0:
        holding.acquired_on = acquired_on
    holding.rights = F("rights") + rights
    holding.save(update_fields=["rights", "acquired_on"])
    holding.refresh_from_db(fields=["rights"])
    return holding


def holding_remove(*, holding: Holding, rights: int) -> Holding:
    """Take rights off a locked holding; the check constraint rights >= 0 is the backstop."""
    if rights > holding.rights:
        raise ValidationError(
            _("The holding has only %(held)d rights; %(asked)d were asked for.")
            % {"held": holding.rights, "asked": rights},
            code="not_enough_rights",
        )
    holding.rights = F("rights") - rights
    holding.save(update_fields=["rights"])
    holding.refresh_from_db(fields=["rights"])
    return holding


def whole_rights(rights: object) -> int:
    if isinstance(rights, bool) or not isinstance(rights, int):
        raise ValidationError(_("The number of rights must be a whole number."), code="invalid")
    if rights < 1:
        raise ValidationError(_("At least one right is needed."), code="min_value")
    return rights
