"""Extinction of rights that can no longer be exercised (Art 287), recorded as `lapsed` events."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import events
from grants.models import ExerciseRequest, Holding, LedgerEvent
from grants.selectors.windows import departure_at_issuer, exercise_window, succession_of

from ._workflow import holding_remove


class LapseReason(models.TextChoices):
    EXERCISE_PERIOD_ENDED = "exercise_period_ended", gettext_lazy("Exercise period ended (5)")
    DEPARTURE_WINDOW_ENDED = "departure_window_ended", gettext_lazy("Window after losing office ended (11)2")
    HEIR_WINDOW_ENDED = "heir_window_ended", gettext_lazy("Heir's window ended (11)3")
    HEIR_DIED = "heir_died", gettext_lazy("The heir died: no further succession (11)3")
    NO_SUCCESSION = "no_succession", gettext_lazy("Holder died; the terms allow no heir")


def lapse_effective_date(*, holding: Holding, reason: str, as_of: date) -> date | None:
    """The day the rights were extinguished for ``reason``, or None when the reason does not apply yet."""
    series, holder = holding.series, holding.holder
    if reason == LapseReason.EXERCISE_PERIOD_ENDED:
        end = series.exercise_period_end
        return end + timedelta(days=1) if as_of > end else None
    if reason in (LapseReason.HEIR_DIED, LapseReason.NO_SUCCESSION):
        if holder.died_on is None or as_of < holder.died_on:
            return None
        is_heir = succession_of(holder) is not None
        if reason == LapseReason.HEIR_DIED and not is_heir:
            return None
        if reason == LapseReason.NO_SUCCESSION and (is_heir or series.heir_allowed):
            return None
        return holder.died_on
    window = exercise_window(holder=holder, series=series)
    expected = "departure" if reason == LapseReason.DEPARTURE_WINDOW_ENDED else "heir"
    if window.kind == "none" and reason == LapseReason.DEPARTURE_WINDOW_ENDED:
        lost_on = departure_at_issuer(holder=holder, series=series).lost_on
        # The window held no day (all days off, shifted back, or outside the period).
        return lost_on + timedelta(days=1) if lost_on is not None and as_of > lost_on else None
    if window.kind != expected or window.last is None:
        return None
    return window.last + timedelta(days=1) if as_of > window.last else None


@transaction.atomic
def rights_lapse(*, holding: Holding, reason: str, as_of: date, actor: User) -> LedgerEvent | None:
    """Extinguish every right of a holding whose last day to exercise has passed (Art 287).

    Idempotent for the daily sweep: a holding with no rights left returns None and writes nothing.
    Refused while an exercise awaits payment, and when ``reason`` does not (yet) apply.
    """
    if reason not in LapseReason.values:
        raise ValidationError(_("Unknown reason for a lapse."), code="reason")
    holding = Holding.objects.select_for_update().select_related("series", "holder").get(pk=holding.pk)
    if holding.rights == 0:
        return None
    if ExerciseRequest.objects.filter(holding=holding, status=ExerciseRequest.Status.REQUESTED).exists():
        raise ValidationError(
            _("An exercise of these rights awaits payment: confirm or withdraw it first."),
            code="open_exercise",
        )
    effective = lapse_effective_date(holding=holding, reason=reason, as_of=as_of)
    if effective is None:
        raise ValidationError(
            _("These rights have not lapsed as of %(date)s for that reason.") % {"date": as_of.isoformat()},
            code="not_lapsed",
        )
    rights = holding.rights
    holding_remove(holding=holding, rights=rights)
    return events.event_lapsed(
        holding=holding, rights=rights, reason=reason, effective_date=effective, as_of=as_of, actor=actor
    )
