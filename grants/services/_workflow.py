"""Shared steps of the workflow services: who may decide (four eyes), required text, holding changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from equityplan.workflow import check_four_eyes
from grants.models import Allotment, Holding, InheritanceCase, LedgerEvent, Lot, Series, TransferRequest
from holders.models import Holder


def check_other_user(*, actor: User, requesters: Iterable[User | None]) -> None:
    """A decision needs a user other than the one who asked for it (four eyes, equityplan.workflow)."""
    check_four_eyes(actor=actor, recorded_by=requesters)


def series_recorder_id(series: Series) -> int | None:
    """Who recorded the series' terms (its `series_created` event): they do not decide on them."""
    return (
        LedgerEvent.objects.filter(series=series, event_type=LedgerEvent.Type.SERIES_CREATED)
        .values_list("recorded_by_id", flat=True)
        .first()
    )


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def lock_holding(*, series: Series, holder: Holder) -> Holding | None:
    return Holding.objects.select_for_update().filter(series=series, holder=holder).first()


@dataclass(frozen=True)
class LotOrigin:
    """How rights come into a holding: what makes them a lot with its own conditions (11)."""

    origin: str
    allottee: Holder
    allotment: Allotment | None = None
    inheritance_case: InheritanceCase | None = None
    transfer_request: TransferRequest | None = None
    source: Lot | None = None

    @classmethod
    def allotted(cls, allotment: Allotment) -> LotOrigin:
        return cls(Lot.Origin.ALLOTTED, allottee=allotment.holder, allotment=allotment)

    @classmethod
    def succeeded(cls, case: InheritanceCase, source: Lot) -> LotOrigin:
        return cls(Lot.Origin.SUCCEEDED, allottee=source.allottee, inheritance_case=case, source=source)

    @classmethod
    def transferred(cls, request: TransferRequest, source: Lot) -> LotOrigin:
        return cls(Lot.Origin.TRANSFERRED, allottee=source.allottee, transfer_request=request, source=source)

    @classmethod
    def like(cls, source: Lot) -> LotOrigin:
        """The same origin in another series (successor rights keep their conditions, (9)9)."""
        return cls(
            source.origin,
            allottee=source.allottee,
            allotment=source.allotment,
            inheritance_case=source.inheritance_case,
            transfer_request=source.transfer_request,
            source=source,
        )


@dataclass(frozen=True)
class Taken:
    """Rights taken off one lot."""

    lot: Lot
    rights: int


def holding_add(*, series: Series, holder: Holder, rights: int, acquired_on: date, origin: LotOrigin) -> Lot:
    """Add rights to a holder's holding as a new lot, in the same transaction as the ledger event."""
    holding = lock_holding(series=series, holder=holder)
    if holding is None:
        holding = Holding(series=series, holder=holder, rights=rights, acquired_on=acquired_on)
        holding.full_clean(validate_constraints=False)
        holding.save()
    else:
        if holding.rights == 0:
            holding.acquired_on = acquired_on
        holding.rights = F("rights") + rights
        holding.save(update_fields=["rights", "acquired_on"])
        holding.refresh_from_db(fields=["rights"])
    lot = Lot(
        holding=holding,
        rights=rights,
        origin=origin.origin,
        allottee=origin.allottee,
        acquired_on=acquired_on,
        allotment=origin.allotment,
        inheritance_case=origin.inheritance_case,
        transfer_request=origin.transfer_request,
        source=origin.source,
    )
    lot.full_clean(validate_constraints=False)
    lot.save()
    return lot


def holding_remove(*, holding: Holding, rights: int, lot: Lot | None = None) -> list[Taken]:
    """Take rights off a locked holding: off ``lot`` when given, else off its oldest lots first.

    The check constraints rights >= 0 (holding and lot) are the backstop.
    """
    if rights > holding.rights:
        raise ValidationError(
            _("The holding has only %(held)d rights; %(asked)d were asked for.")
            % {"held": holding.rights, "asked": rights},
            code="not_enough_rights",
        )
    lots = (
        [Lot.objects.select_for_update().get(pk=lot.pk, holding=holding)]
        if lot is not None
        else list(
            Lot.objects.select_for_update()
            .filter(holding=holding, rights__gt=0)
            .order_by("acquired_on", "pk")
        )
    )
    taken: list[Taken] = []
    left = rights
    for each in lots:
        if left == 0:
            break
        take = min(left, each.rights)
        if take:
            each.rights = F("rights") - take
            each.save(update_fields=["rights"])
            each.refresh_from_db(fields=["rights"])
            taken.append(Taken(each, take))
            left -= take
    if left:
        raise ValidationError(
            _("The lot has only %(held)d rights; %(asked)d were asked for.")
            % {"held": rights - left, "asked": rights},
            code="not_enough_rights",
        )
    holding.rights = F("rights") - rights
    holding.save(update_fields=["rights"])
    holding.refresh_from_db(fields=["rights"])
    return taken


def whole_rights(rights: object) -> int:
    if isinstance(rights, bool) or not isinstance(rights, int):
        raise ValidationError(_("The number of rights must be a whole number."), code="invalid")
    if rights < 1:
        raise ValidationError(_("At least one right is needed."), code="min_value")
    return rights
