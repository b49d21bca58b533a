"""Allotment of rights to a holder, within the series maximum even under concurrent requests.

One allotment (``allotment_create``) and many (``allotments_create_many``, the bulk import's path)
pass the same checks, defined once below; the many are written in batches with bulk inserts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from equityplan.bulk import clean_given
from grants import events
from grants.models import Allotment, AllotmentCategory, Holding, Lot, Series
from holders.models import Holder

from ._workflow import LotOrigin, holding_add
from .ledger import ledger_record_many

BATCH = 500


def check_allotment_terms(*, rights: object, category: str) -> None:
    """What one allotment asks for, before anything is read."""
    if isinstance(rights, bool) or not isinstance(rights, int):
        raise ValidationError(_("The number of rights must be a whole number."), code="invalid")
    if rights < 1:
        raise ValidationError(_("At least one right must be allotted."), code="min_value")
    if category not in AllotmentCategory.values:
        raise ValidationError(_("Choose director or executive officer."), code="category")


def check_series_allots(series: Series) -> None:
    """The locked series takes allotments."""
    if series.status != Series.Status.RESOLVED:
        raise ValidationError(
            _("Rights can be allotted only in a series resolved by the board; this one is %(status)s.")
            % {"status": series.get_status_display()},
            code="status",
        )


def check_allottee(holder: Holder) -> None:
    if holder.died_on is not None:
        raise ValidationError(_("Rights cannot be allotted to a deceased person."), code="deceased")


def check_within_max(*, series: Series, allotted: int, rights: int) -> None:
    """``allotted`` rights are already allotted in the series (those of earlier rows included)."""
    if allotted + rights > series.max_rights:
        raise ValidationError(
            _(
                "Only %(left)d of the maximum %(max)d rights are left in this series; %(asked)d were asked for."
            )
            % {"left": series.max_rights - allotted, "max": series.max_rights, "asked": rights},
            code="max_rights",
        )


@transaction.atomic
def allotment_create(*, series: Series, holder: Holder, rights: int, category: str, actor: User) -> Allotment:
    """Allot rights: writes the Allotment, the Holding and one `allotted` ledger event together.

    The series row is locked first, so concurrent allotments queue behind each other; the
    `series_allotted_within_max` constraint is the database's backstop for the maximum (2).
    """
    check_allotment_terms(rights=rights, category=category)
    series = Series.objects.select_for_update().get(pk=series.pk)
    check_series_allots(series)
    check_allottee(holder)
    check_within_max(series=series, allotted=series.allotted_rights, rights=rights)
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


@dataclass(frozen=True)
class AllotmentRow:
    """One allotment of a bulk allotment: what ``allotment_create`` takes besides series and actor."""

    holder: Holder
    rights: int
    category: str


def allotments_create_many(
    *,
    series: Series,
    rows: Sequence[AllotmentRow],
    actor: User,
    batch_size: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> list[Allotment]:
    """Allot many rows in order, as ``allotment_create`` would one by one: the same checks, the same
    records and events, written with bulk inserts in batches of ``batch_size``, one transaction per
    batch with the series row locked. A refused row refuses its batch (the message names the row,
    counted from 1); the batches before it stay. ``progress(done, total)`` is told after each batch."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    created: list[Allotment] = []
    for start in range(0, len(rows), batch_size):
        created += _allot_batch(series, rows[start : start + batch_size], start, actor)
        if progress is not None:
            progress(len(created), len(rows))
    return created


@transaction.atomic
def _allot_batch(series: Series, rows: Sequence[AllotmentRow], first: int, actor: User) -> list[Allotment]:
    series = Series.objects.select_for_update().get(pk=series.pk)
    check_series_allots(series)
    allotted = series.allotted_rights
    shares_per_right = series.shares_per_right_on(series.allotment_date)
    allotments, afters = [], []
    for number, row in enumerate(rows, start=first + 1):
        try:
            check_allotment_terms(rights=row.rights, category=row.category)
            check_allottee(row.holder)
            check_within_max(series=series, allotted=allotted, rights=row.rights)
            allotment = Allotment(
                series=series,
                holder=row.holder,
                rights=row.rights,
                category=row.category,
                allotted_on=series.allotment_date,
                recorded_by=actor,
            )
            clean_given(allotment)
        except ValidationError as exc:
            raise ValidationError(
                _("Row %(row)d: %(reason)s"),
                code="row",
                params={"row": number, "reason": " ".join(exc.messages)},
            ) from exc
        allotted += row.rights
        allotments.append(allotment)
        afters.append(allotted)
    Allotment.objects.bulk_create(allotments)
    Series.objects.filter(pk=series.pk).update(
        allotted_rights=F("allotted_rights") + (allotted - series.allotted_rights)
    )
    series.allotted_rights = allotted
    _holdings_add(series, allotments)
    ledger_record_many(
        [
            events.allotted_spec(
                allotment=allotment,
                shares_per_right=shares_per_right,
                allotted_rights_after=after,
                actor=actor,
            )
            for allotment, after in zip(allotments, afters, strict=True)
        ]
    )
    return allotments


def _holdings_add(series: Series, allotments: list[Allotment]) -> None:
    """``holding_add`` for a batch: the holdings it touches locked in one query, the new ones and the
    lots inserted in bulk, the existing ones updated in one statement."""
    holder_ids = {a.holder_id for a in allotments}
    holdings = {
        h.holder_id: h
        for h in Holding.objects.select_for_update().filter(series=series, holder_id__in=holder_ids)
    }
    existing = set(holdings)
    new: list[Holding] = []
    for allotment in allotments:
        holding = holdings.get(allotment.holder_id)
        if holding is None:
            holding = Holding(
                series=series, holder=allotment.holder, rights=0, acquired_on=allotment.allotted_on
            )
            holdings[allotment.holder_id] = holding
            new.append(holding)
        elif holding.rights == 0:
            holding.acquired_on = allotment.allotted_on
        holding.rights += allotment.rights
    for holding in new:
        clean_given(holding)
    Holding.objects.bulk_create(new)
    Holding.objects.bulk_update([holdings[i] for i in existing], ["rights", "acquired_on"])
    lots = []
    for allotment in allotments:
        origin = LotOrigin.allotted(allotment)
        lot = Lot(
            holding=holdings[allotment.holder_id],
            rights=allotment.rights,
            origin=origin.origin,
            allottee=origin.allottee,
            acquired_on=allotment.allotted_on,
            allotment=allotment,
        )
        clean_given(lot)
        lots.append(lot)
    Lot.objects.bulk_create(lots)
