"""Exercise of rights, notice (4)-(6), (10), (11): request, then payment received -> exercised."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equityplan.clock import check_not_future
from equityplan.forms import check_days
from equityplan.workflow import check_transition
from grants import events, hooks, transitions
from grants.domain.exercise import ExerciseFigures, exercise_figures
from grants.models import (
    Allotment,
    CompanyAcquisition,
    ExerciseRequest,
    Holding,
    LedgerEvent,
    Lot,
    TransferRequest,
)
from grants.selectors.windows import exercise_window, lot_window

from ._workflow import holding_remove, require_text, whole_rights

Status = ExerciseRequest.Status


def amount_paid_per_right(series) -> int | None:
    """The book value per right (12): None while any allotment's amount is still outstanding."""
    amounts = list(
        Allotment.objects.filter(series=series).values_list("amount_paid_per_right_yen", flat=True)
    )
    if not amounts or any(a is None for a in amounts):
        return None
    return amounts[0]


def exercise_refusals(*, holding: Holding, rights: int, on: date, lot: Lot | None = None) -> list[str]:
    """Every reason an exercise of ``rights`` of this holding (of ``lot`` when given: its conditions
    decide) on ``on`` must be refused (empty: allowed)."""
    series, holder = holding.series, holding.holder
    reasons: list[str] = []
    acquisition = CompanyAcquisition.objects.filter(
        series=series, status=CompanyAcquisition.Status.EXECUTED, acquisition_date__lte=on
    ).first()
    if acquisition is not None:
        reasons.append(
            _(
                "The rights were acquired by the company on %(date)s; rights held by the company cannot be exercised (Art 280(6))."
            )
            % {"date": acquisition.acquisition_date.isoformat()}
        )
    if not series.exercise_period_contains(on):
        reasons.append(
            _("%(date)s is outside the exercise period %(start)s to %(end)s, (5).")
            % {
                "date": on.isoformat(),
                "start": series.exercise_period_start.isoformat(),
                "end": series.exercise_period_end.isoformat(),
            }
        )
    if lot is not None and rights > lot.rights:
        reasons.append(
            _("The lot has only %(held)d rights; %(asked)d were asked for.")
            % {"held": lot.rights, "asked": rights}
        )
    elif rights > holding.rights:
        reasons.append(
            _("The holding has only %(held)d rights; %(asked)d were asked for.")
            % {"held": holding.rights, "asked": rights}
        )
    elif series.all_at_once_exercise and rights != holding.rights:
        reasons.append(
            _("This series requires all %(held)d rights to be exercised at once.") % {"held": holding.rights}
        )
    window = lot_window(lot) if lot is not None else exercise_window(holder=holder, series=series)
    if window.kind in ("deceased", "in_office"):
        reasons.append(window.reason)
    elif window.first is None or window.last is None:  # a window has both ends or neither
        reasons.append(_("The holder has no window in which to exercise: %(why)s") % {"why": window.reason})
    elif not window.contains(on):
        reasons.append(
            _("%(date)s is outside the holder's window %(first)s to %(last)s, (11).")
            % {"date": on.isoformat(), "first": window.first.isoformat(), "last": window.last.isoformat()}
        )
    if amount_paid_per_right(series) is None:
        reasons.append(
            _("The amount paid for the rights (12) is not determined yet; exercise waits for the valuation.")
        )
    if TransferRequest.objects.filter(holding=holding, status__in=TransferRequest.OPEN_STATUSES).exists():
        reasons.append(_("A transfer of these rights is pending."))
    return reasons


def _figures(*, holding: Holding, rights: int, on: date) -> ExerciseFigures:
    series = holding.series
    amount_paid = amount_paid_per_right(series)
    assert amount_paid is not None  # callers run exercise_refusals first, which refuses without it
    return exercise_figures(
        rights=rights,
        shares_per_right=series.shares_per_right_on(on),
        exercise_price_per_share_yen=series.exercise_price_per_share_yen,
        amount_paid_per_right_yen=amount_paid,
    )


def _apply_figures(request: ExerciseRequest, figures: ExerciseFigures) -> None:
    request.shares_per_right = figures.shares_per_right
    request.shares = figures.shares
    request.payment_yen = figures.payment_yen
    request.book_value_yen = figures.book_value_yen
    request.upper_limit_yen = figures.upper_limit_yen
    request.capital_yen = figures.capital_yen
    request.reserve_yen = figures.reserve_yen


FIGURE_FIELDS = [
    "shares_per_right",
    "shares",
    "payment_yen",
    "book_value_yen",
    "upper_limit_yen",
    "capital_yen",
    "reserve_yen",
]


def _the_lot(holding: Holding, lot: Lot | None) -> Lot | None:
    """The lot to exercise from: the one named (it must be of this holding), or the only one there is
    (None when no lot has rights left: the refusals then say why)."""
    lots = list(Lot.objects.filter(holding=holding, rights__gt=0).order_by("acquired_on", "pk"))
    if lot is not None:
        chosen = next((each for each in lots if each.pk == lot.pk), None)
        if chosen is None:
            message = _("Choose a lot of this holding that still has rights.")
            raise ValidationError({"lot": ValidationError(message, code="lot")})
        return chosen
    if not lots:
        return None
    if len(lots) > 1:
        message = _("These rights came in %(n)d lots with their own conditions: choose one.") % {
            "n": len(lots)
        }
        raise ValidationError({"lot": ValidationError(message, code="lot_required")})
    return lots[0]


@transaction.atomic
def exercise_request(
    *, holding: Holding, rights: int, requested_on: date, actor: User, lot: Lot | None = None
) -> ExerciseRequest:
    """Request the exercise of whole rights of one lot by the holder or the heir; the lot's conditions
    decide (11). Refused with every reason that applies."""
    check_days(requested_on=requested_on)
    check_not_future(requested_on=requested_on)
    rights = whole_rights(rights)
    holding = Holding.objects.select_for_update().select_related("series", "holder").get(pk=holding.pk)
    if ExerciseRequest.objects.filter(holding=holding, status=Status.REQUESTED).exists():
        raise ValidationError(_("An exercise of these rights already awaits payment."), code="open_request")
    lot = _the_lot(holding, lot)
    reasons = exercise_refusals(holding=holding, rights=rights, on=requested_on, lot=lot)
    if reasons:
        raise ValidationError(reasons, code="refused")
    figures = _figures(holding=holding, rights=rights, on=requested_on)
    request = ExerciseRequest(
        holding=holding,
        lot=lot,
        series=holding.series,
        holder=holding.holder,
        rights=rights,
        requested_on=requested_on,
        requested_by=actor,
    )
    _apply_figures(request, figures)
    request.full_clean(validate_constraints=False)  # the one-open-request constraint is the backstop
    request.save()
    events.event_exercise_requested(request=request, figures=figures, actor=actor)
    return request


@transaction.atomic
def exercise_confirm_payment(*, request: ExerciseRequest, received_on: date, actor: User) -> ExerciseRequest:
    """The payment arrived: the rights are exercised that day (Art 281, 282) with that day's figures."""
    check_not_future(received_on=received_on)
    request = ExerciseRequest.objects.select_for_update().get(pk=request.pk)
    check_transition(transitions.EXERCISE, request.status, Status.EXERCISED, Status)
    if received_on < request.requested_on:
        raise ValidationError(
            {"received_on": _("Payment cannot be received before the request.")}, code="before"
        )
    holding = (
        Holding.objects.select_for_update().select_related("series", "holder").get(pk=request.holding_id)
    )
    lot = (
        Lot.objects.select_related("holding__series", "holding__holder", "allottee", "inheritance_case").get(
            pk=request.lot_id
        )
        if request.lot_id
        else None
    )
    reasons = exercise_refusals(holding=holding, rights=request.rights, on=received_on, lot=lot)
    if reasons:
        raise ValidationError(reasons, code="refused")
    figures = _figures(holding=holding, rights=request.rights, on=received_on)
    holding_remove(holding=holding, rights=request.rights, lot=lot)
    _apply_figures(request, figures)
    request.status = Status.EXERCISED
    request.exercised_on = received_on
    request.confirmed_by = actor
    request.confirmed_at = timezone.now()
    request.save(update_fields=["status", "exercised_on", "confirmed_by", "confirmed_at", *FIGURE_FIELDS])
    events.event_exercised(request=request, figures=figures, actor=actor)
    hooks.exercise_confirmed(request=request)  # e.g. the holder's mail, sent now (jobs)
    return request


@transaction.atomic
def exercise_withdraw(*, request: ExerciseRequest, reason: str, actor: User) -> ExerciseRequest:
    """Close a request whose payment will not come; the rights stay with the holder."""
    request = ExerciseRequest.objects.select_for_update().get(pk=request.pk)
    check_transition(transitions.EXERCISE, request.status, Status.WITHDRAWN, Status)
    request.withdrawal_reason = require_text(reason, "reason", _("Say why the request is withdrawn."))
    request.status = Status.WITHDRAWN
    request.confirmed_by = actor
    request.confirmed_at = timezone.now()
    request.save(update_fields=["status", "withdrawal_reason", "confirmed_by", "confirmed_at"])
    requested_event = LedgerEvent.objects.filter(
        event_type=LedgerEvent.Type.EXERCISE_REQUESTED, payload__exercise_request_id=request.pk
    ).first()
    events.event_reversal(request=request, reverses=requested_event, actor=actor)
    return request
