"""Extinction of rights that can no longer be exercised (Art 287), recorded as `lapsed` events."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import events
from grants.models import ExerciseRequest, Holding, LedgerEvent, Lot
from grants.selectors.windows import departure_at_issuer, lot_window
from holders.models import Position

from ._workflow import holding_remove


class LapseReason(models.TextChoices):
    EXERCISE_PERIOD_ENDED = "exercise_period_ended", gettext_lazy("Exercise period ended (5)")
    DEPARTURE_WINDOW_ENDED = "departure_window_ended", gettext_lazy("Window after losing office ended (11)2")
    HEIR_WINDOW_ENDED = "heir_window_ended", gettext_lazy("Heir's window ended (11)3")
    HEIR_DIED = "heir_died", gettext_lazy("The heir died: no further succession (11)3")
    NO_SUCCESSION = "no_succession", gettext_lazy("Holder died; the terms allow no heir")


def lapse_effective_date(*, lot: Lot, reason: str, as_of: date) -> date | None:
    """The day the lot's rights were extinguished for ``reason``, or None when it does not apply yet.

    The day is the one the rules decide (Art 287), whenever the lapse is recorded.
    """
    series, holder = lot.holding.series, lot.holding.holder
    if reason == LapseReason.EXERCISE_PERIOD_ENDED:
        end = series.exercise_period_end
        return end + timedelta(days=1) if as_of > end else None
    if reason in (LapseReason.HEIR_DIED, LapseReason.NO_SUCCESSION):
        if holder.died_on is None or as_of < holder.died_on:
            return None
        if reason == LapseReason.HEIR_DIED:
            return holder.died_on if lot.origin == Lot.Origin.SUCCEEDED else None
        if lot.origin == Lot.Origin.TRANSFERRED:
            return holder.died_on  # (11)3 lets only a grantee's heir succeed
        if lot.origin == Lot.Origin.ALLOTTED and not series.heir_allowed:
            return holder.died_on
        return None
    window = lot_window(lot)
    if reason == LapseReason.HEIR_WINDOW_ENDED:
        if lot.origin != Lot.Origin.SUCCEEDED or window.kind != "heir" or window.last is None:
            return None
        return window.last + timedelta(days=1) if as_of > window.last else None
    # DEPARTURE_WINDOW_ENDED: the allottee's (11)2, for allotted and transferred lots alike.
    if lot.origin == Lot.Origin.SUCCEEDED:
        return None
    if window.kind == "departure" and window.last is not None:
        return window.last + timedelta(days=1) if as_of > window.last else None
    if window.kind == "none":
        outcome = departure_at_issuer(holder=lot.allottee, series=series)
        # The window held no day of the exercise period, or (transferred rights) the allottee died in
        # office: extinguished the day after the loss.
        return (
            outcome.lost_on + timedelta(days=1)
            if outcome.lost_on is not None and as_of > outcome.lost_on
            else None
        )
    return None


def lapse_candidate_ids(*, as_of: date) -> set[int]:
    """Ids of the lots with rights that :func:`lapse_effective_date` can lapse on ``as_of``: a superset,
    so the sweep asks the rule of these only (tests/grants/services/test_lapse_candidates.py proves it).

    One query per way a lot can end, each from a column the database can look up (docs/domain.md
    reading R67): the exercise period ended; the holder died on or before ``as_of``; a succession
    whose heir window can have run out; a loss of office at the issuer since the allotment, before
    ``as_of``, by the holder or the allottee (every departure window, and the "none" window, begins
    the day after a loss).
    """
    with_rights = Lot.objects.filter(rights__gt=0)
    ids: set[int] = set()
    ids.update(
        with_rights.filter(holding__series__exercise_period_end__lt=as_of).values_list("pk", flat=True)
    )
    ids.update(with_rights.filter(holding__holder__died_on__lte=as_of).values_list("pk", flat=True))
    ids.update(
        with_rights.filter(origin=Lot.Origin.SUCCEEDED, inheritance_case__succeeded_on__lt=as_of).values_list(
            "pk", flat=True
        )
    )
    lost = Position.objects.filter(
        ended_on__lt=as_of,
        company_id=OuterRef("holding__series__company_id"),
        ended_on__gte=OuterRef("holding__series__allotment_date"),
    )
    departed = Position.objects.filter(ended_on__lt=as_of).values("holder_id")
    not_succeeded = with_rights.exclude(origin=Lot.Origin.SUCCEEDED)
    for person in ("allottee_id", "holding__holder_id"):
        ids.update(
            not_succeeded.filter(Q(**{f"{person}__in": departed}))
            .filter(Exists(lost.filter(holder_id=OuterRef(person))))
            .values_list("pk", flat=True)
        )
    return ids


@transaction.atomic
def rights_lapse(*, lot: Lot, reason: str, as_of: date, actor: User) -> LedgerEvent | None:
    """Extinguish the rights of a lot whose last day to exercise has passed (Art 287).

    Idempotent for the daily sweep: a lot with no rights left returns None and writes nothing.
    Refused while an exercise of the holding awaits payment, and when ``reason`` does not (yet) apply.
    """
    if reason not in LapseReason.values:
        raise ValidationError(_("Unknown reason for a lapse."), code="reason")
    lot = (
        Lot.objects.select_for_update(of=("self",))
        .select_related("holding__series", "holding__holder", "allottee", "inheritance_case")
        .get(pk=lot.pk)
    )
    if lot.rights == 0:
        return None
    holding = Holding.objects.select_for_update().select_related("series", "holder").get(pk=lot.holding_id)
    if ExerciseRequest.objects.filter(holding=holding, status=ExerciseRequest.Status.REQUESTED).exists():
        raise ValidationError(
            _("An exercise of these rights awaits payment: confirm or withdraw it first."),
            code="open_exercise",
        )
    effective = lapse_effective_date(lot=lot, reason=reason, as_of=as_of)
    if effective is None:
        raise ValidationError(
            _("These rights have not lapsed as of %(date)s for that reason.") % {"date": as_of.isoformat()},
            code="not_lapsed",
        )
    rights = lot.rights
    holding_remove(holding=holding, rights=rights, lot=lot)
    return events.event_lapsed(
        holding=holding,
        lot=lot,
        rights=rights,
        reason=reason,
        effective_date=effective,
        as_of=as_of,
        actor=actor,
    )
