"""Death of a holder and succession by the one heir, notice (11)3; Art 261 (no transfer approval)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equityplan.clock import check_not_future
from equityplan.workflow import check_transition
from grants import events, transitions
from grants.models import ExerciseRequest, Holding, InheritanceCase, Lot, TransferRequest
from grants.selectors.windows import departure_at_issuer, lot_window
from holders import services as holder_services
from holders.models import Holder

from ._workflow import LotOrigin, check_other_user, holding_add, holding_remove, require_text
from .lapse import LapseReason, rights_lapse

Status = InheritanceCase.Status


@transaction.atomic
def death_record(*, holder: Holder, died_on: date, actor: User) -> Holder:
    """Record a death (holders' trail) and its effect on rights.

    The death ends every open position with reason death, which opens no departure window (11)2.
    Lots an heir holds by succession lapse: they cannot pass on (11)3 (the heir's own allotted lots
    pass to their own heir). Transferred lots lapse too, and in a series whose terms allow no heir,
    the deceased's allotted lots lapse at once.
    """
    check_not_future(died_on=died_on)
    holder = holder_services.holder_record_death(holder=holder, died_on=died_on, actor=actor)
    lots = Lot.objects.filter(holding__holder=holder, rights__gt=0).order_by("acquired_on", "pk")
    for lot in lots:
        for reason in (LapseReason.HEIR_DIED, LapseReason.NO_SUCCESSION):
            try:
                if rights_lapse(lot=lot, reason=reason, as_of=died_on, actor=actor) is not None:
                    break
            except ValidationError as exc:
                if getattr(exc, "code", None) != "not_lapsed":
                    raise
    return holder


@transaction.atomic
def inheritance_open(*, deceased: Holder, actor: User) -> InheritanceCase:
    """Open the case of a deceased holder's rights; one case per deceased (database constraint)."""
    deceased = Holder.objects.select_for_update().get(pk=deceased.pk)
    if deceased.died_on is None:
        raise ValidationError(_("Record the holder's death first."), code="not_dead")
    if InheritanceCase.objects.filter(deceased=deceased).exists():
        raise ValidationError(_("An inheritance case is already open for this holder."), code="duplicate")
    own = Lot.objects.filter(holding__holder=deceased, rights__gt=0).exclude(origin=Lot.Origin.SUCCEEDED)
    if InheritanceCase.objects.filter(heir=deceased, status=Status.APPROVED).exists() and not own.exists():
        # An heir's inherited lots lapsed at the death; their own rights pass like anyone's.
        raise ValidationError(
            _("This holder was an heir: the rights cannot pass to the heir's own heir, (11)3."),
            code="heir_of_heir",
        )
    extinguished_on = _extinguished_before_death(deceased)
    if extinguished_on is not None:
        raise ValidationError(
            _(
                "The rights were extinguished on %(date)s, when the window after losing office ran out "
                "before the death (Art 287): nothing passes to an heir."
            )
            % {"date": extinguished_on.isoformat()},
            code="extinguished",
        )
    case = InheritanceCase(deceased=deceased, requested_by=actor)
    case.full_clean(validate_constraints=False)
    case.save()
    events.event_inheritance_opened(case=case, actor=actor)
    return case


def _extinguished_before_death(deceased: Holder) -> date | None:
    """The day the deceased's rights were extinguished, where every lot of them ran out of its
    window before the death (a later death revives nothing, Art 287); else None."""
    ends = []
    for lot in Lot.objects.filter(holding__holder=deceased, rights__gt=0).select_related(
        "holding__series", "holding__holder", "allottee", "inheritance_case"
    ):
        window = lot_window(lot)
        if window.kind not in ("departure", "none"):
            return None
        if window.last is not None:
            ends.append(window.last + timedelta(days=1))
        else:  # the window held no day of the exercise period: extinguished on losing office
            lost_on = departure_at_issuer(holder=lot.allottee, series=lot.holding.series).lost_on
            ends.append(lost_on + timedelta(days=1) if lost_on else lot.holding.series.exercise_period_start)
    return min(ends) if ends else None


@transaction.atomic
def heir_designate(
    *,
    case: InheritanceCase,
    heir: Holder,
    designated_on: date,
    actor: User,
    relationship: str = "",
) -> InheritanceCase:
    """Designate the one heir (holders.Heir: the database refuses a second); the case awaits approval."""
    check_not_future(designated_on=designated_on)
    case = InheritanceCase.objects.select_for_update(of=("self",)).select_related("deceased").get(pk=case.pk)
    check_transition(transitions.INHERITANCE, case.status, Status.HEIR_DESIGNATED, Status)
    assert case.deceased.died_on is not None  # a case is opened only for a recorded death
    if designated_on < case.deceased.died_on:
        raise ValidationError(
            {"designated_on": _("An heir cannot be designated before the death.")}, code="before"
        )
    holder_services.heir_record(
        deceased=case.deceased, heir=heir, designated_on=designated_on, actor=actor, relationship=relationship
    )
    case.heir = heir
    case.status = Status.HEIR_DESIGNATED
    case.heir_designated_by = actor
    case.heir_designated_at = timezone.now()
    case.full_clean(validate_constraints=False)
    case.save(update_fields=["heir", "status", "heir_designated_by", "heir_designated_at"])
    events.event_heir_designated(
        case=case, heir=heir, designated_on=designated_on, relationship=relationship, actor=actor
    )
    return case


@transaction.atomic
def inheritance_approve(
    *,
    case: InheritanceCase,
    succeeded_on: date,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
) -> InheritanceCase:
    """Approve the succession: the deceased's rights pass to the heir with `succession` events.

    No transfer approval is needed (Art 261). Two events per series, the deceased's minus and the
    heir's plus; when no right is left to pass, one event with no series and no rights records the
    approval. The heir's window of (11)3 runs from the day after ``succeeded_on``.
    """
    check_not_future(succeeded_on=succeeded_on, resolution_date=resolution_date)
    case = (
        InheritanceCase.objects.select_for_update(of=("self",))
        .select_related("deceased", "heir", "requested_by", "heir_designated_by")
        .get(pk=case.pk)
    )
    check_transition(transitions.INHERITANCE, case.status, Status.APPROVED, Status)
    check_other_user(actor=actor, requesters=[case.requested_by, case.heir_designated_by])
    reference = require_text(resolution_reference, "resolution_reference", _("Give the decision reference."))
    # A case is opened only for a recorded death; heir_designate (the only way here) sets the heir.
    assert case.deceased.died_on is not None and case.heir_id is not None
    if succeeded_on < case.deceased.died_on:
        raise ValidationError(
            {"succeeded_on": _("Succession cannot precede the death.")}, code="before_death"
        )
    heir = Holder.objects.select_for_update().get(pk=case.heir_id)
    if heir.died_on is not None:
        raise ValidationError(_("The heir has died: the rights cannot pass on, (11)3."), code="heir_dead")
    holdings = list(
        Holding.objects.select_for_update()
        .filter(holder=case.deceased, rights__gt=0)
        .select_related("series")
        .order_by("pk")
    )
    if ExerciseRequest.objects.filter(holding__in=holdings, status=ExerciseRequest.Status.REQUESTED).exists():
        raise ValidationError(
            _("An exercise by the deceased awaits payment: withdraw it first."), code="open_exercise"
        )
    if TransferRequest.objects.filter(
        holding__in=holdings, status__in=TransferRequest.OPEN_STATUSES
    ).exists():
        raise ValidationError(_("A transfer of the deceased's rights is still open."), code="open_transfer")
    case.status = Status.APPROVED
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.resolution_date = resolution_date
    case.resolution_reference = reference
    case.succeeded_on = succeeded_on
    case.full_clean(validate_constraints=False)
    case.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "resolution_date",
            "resolution_reference",
            "succeeded_on",
        ]
    )
    passed = 0
    for holding in holdings:
        if not holding.series.heir_allowed:
            continue  # lapsed at death (NO_SUCCESSION); nothing to pass on
        # Only lots still alive at the death pass: a lot whose window ran out before it was
        # extinguished then (Art 287) and is left for its lapse.
        passing = [
            lot
            for lot in holding.lots.filter(rights__gt=0).order_by("acquired_on", "pk")
            if lot_window(lot).kind == "deceased"
        ]
        rights = sum(lot.rights for lot in passing)
        if not rights:
            continue
        for lot in passing:
            for piece in holding_remove(holding=holding, rights=lot.rights, lot=lot):
                holding_add(
                    series=holding.series,
                    holder=heir,
                    rights=piece.rights,
                    acquired_on=succeeded_on,
                    origin=LotOrigin.succeeded(case, piece.lot),
                )
        events.event_succession(case=case, series=holding.series, rights=rights, actor=actor)
        passed += 1
    if not passed:
        events.event_succession_without_rights(case=case, actor=actor)
    return case


@transaction.atomic
def inheritance_reject(
    *, case: InheritanceCase, resolution_date: date, resolution_reference: str, reason: str, actor: User
) -> InheritanceCase:
    """Refuse the succession to the designated heir (docs/domain.md reading R60): the documents do
    not show that this person is the one legal heir. No right moves; the case is closed and the
    deceased's rights stay on their lines until they lapse under the terms, as with no heir."""
    check_not_future(resolution_date=resolution_date)
    case = (
        InheritanceCase.objects.select_for_update(of=("self",))
        .select_related("deceased", "requested_by", "heir_designated_by")
        .get(pk=case.pk)
    )
    check_transition(transitions.INHERITANCE, case.status, Status.REJECTED, Status)
    check_other_user(actor=actor, requesters=[case.requested_by, case.heir_designated_by])
    case.resolution_reference = require_text(
        resolution_reference, "resolution_reference", _("Give the decision reference.")
    )
    case.rejection_reason = require_text(reason, "reason", _("Say why the succession is refused."))
    case.status = Status.REJECTED
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.resolution_date = resolution_date
    case.full_clean(validate_constraints=False)
    case.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "resolution_date",
            "resolution_reference",
            "rejection_reason",
        ]
    )
    events.event_inheritance_rejected(case=case, actor=actor)
    return case
