"""Organizational restructuring, notice (9): successor rights of the restructured company."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equityplan.clock import check_not_future
from equityplan.workflow import check_four_eyes, check_transition
from grants import events, transitions
from grants.models import (
    Allotment,
    Company,
    ExerciseRequest,
    Holding,
    Restructuring,
    Series,
    TransferRequest,
)

from ._workflow import LotOrigin, holding_add, holding_remove, require_text, series_recorder_id
from .series import series_build

# Terms copied to the successor series as they are, (9)2-9 ("the same terms, adjusted").
COPIED_TERMS = [
    "share_class",
    "transfer_requires_board_approval",
    "transfer_prohibited_by_allotment_terms",
    "company_may_acquire_without_contribution",
    "successor_rights_on_restructuring",
    "all_at_once_exercise",
    "departure_window_days",
    "departure_window_shift",
    "heir_window_months",
    "heir_window_shift",
    "heir_allowed",
    "other_conditions",
    "payment_by_setoff",
    "certificates_issued",
    "rounding_rule",
    "valuation_spot_rule",
    "valuation_term_years",
    "volatility_frequency",
    "volatility_window_start",
    "volatility_window_end",
    "rate_rule",
    "dividend_rule",
    "dividend_fiscal_year_end",
]


@transaction.atomic
def restructuring_apply(
    *,
    series: Series,
    successor_company: Company,
    kind: str,
    effective_date: date,
    successor_number: int,
    shares_per_right: int,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
    exercise_price_per_share_yen: Decimal = Decimal("1"),
) -> Restructuring:
    """Extinguish the remaining rights and deliver the same number of successor rights to each holder.

    The successor series copies the terms; its shares per right are those the agreement fixes under
    (3) ((9)3), its exercise price is per share of the restructured company ((9)4) and its exercise
    period runs from the later of the original start and the effective date to the original end ((9)5).
    The successor series is built like any other (`series_build`: its terms validated, its shares per
    right at issue, a `series_created` event); one `restructured` event per holder in each series (minus
    in the original, plus in the successor); the original series is closed with `series_closed`.
    """
    check_not_future(resolution_date=resolution_date)
    series = Series.objects.select_for_update().get(pk=series.pk)
    check_four_eyes(actor=actor, recorded_by=[series_recorder_id(series)])
    if not series.successor_rights_on_restructuring:
        raise ValidationError(_("The terms of this series deliver no successor rights."), code="terms")
    if kind not in Restructuring.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of restructuring.")}, code="kind")
    if series.status != Series.Status.ALLOTTED:
        raise ValidationError(_("Only an allotted, open series can be restructured."), code="status")
    if Restructuring.objects.filter(original_series=series).exists():
        raise ValidationError(_("This series was already restructured."), code="duplicate")
    if successor_company.pk == series.company_id:
        raise ValidationError(
            {"successor_company": _("The restructured company is another company.")}, code="same"
        )
    if effective_date > series.exercise_period_end:
        raise ValidationError({"effective_date": _("The exercise period has already ended.")}, code="ended")
    if isinstance(shares_per_right, bool) or not isinstance(shares_per_right, int) or shares_per_right < 1:
        raise ValidationError({"shares_per_right": _("Shares per right must be at least 1.")}, code="min")
    if ExerciseRequest.objects.filter(series=series, status=ExerciseRequest.Status.REQUESTED).exists():
        raise ValidationError(
            _("An exercise of this series awaits payment: settle it first."), code="open_exercise"
        )
    if TransferRequest.objects.filter(series=series, status__in=TransferRequest.OPEN_STATUSES).exists():
        raise ValidationError(
            _("A transfer of this series is still open: settle it first."), code="open_transfer"
        )
    reference = require_text(
        resolution_reference, "resolution_reference", _("Give the agreement or plan reference.")
    )
    holdings = list(
        Holding.objects.select_for_update()
        .filter(series=series, rights__gt=0)
        .select_related("holder")
        .order_by("pk")
    )
    total = sum(h.rights for h in holdings)
    if total == 0:
        raise ValidationError(_("No rights of this series remain unexercised."), code="empty")
    categories = dict(Allotment.objects.filter(series=series).values_list("holder_id", "category"))
    amounts = {
        a for a in Allotment.objects.filter(series=series).values_list("amount_paid_per_right_yen", flat=True)
    }
    amount = amounts.pop() if len(amounts) == 1 else None
    fallback_category = next(iter(categories.values()), "director")
    successor = Series(
        company=successor_company,
        number=successor_number,
        name=f"{successor_company.name} Stock Acquisition Rights (successor of {series.name})"[:200],
        status=Series.Status.ALLOTTED,
        resolution_date=resolution_date,
        resolution_reference=reference,
        max_rights=total,
        allotted_rights=total,
        exercise_price_per_share_yen=exercise_price_per_share_yen,
        exercise_period_start=max(series.exercise_period_start, effective_date),
        exercise_period_end=series.exercise_period_end,
        allotment_date=effective_date,
        payment_date=effective_date,
        **{name: getattr(series, name) for name in COPIED_TERMS},
    )
    series_build(series=successor, shares_per_right=shares_per_right, actor=actor, reference=reference)
    record = Restructuring(
        original_series=series,
        successor_series=successor,
        successor_company=successor_company,
        kind=kind,
        effective_date=effective_date,
        rights=total,
        resolution_date=resolution_date,
        resolution_reference=reference,
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    for holding in holdings:
        rights = holding.rights
        taken = holding_remove(holding=holding, rights=rights)
        allotment = Allotment(
            series=successor,
            holder=holding.holder,
            rights=rights,
            category=categories.get(holding.holder_id, fallback_category),
            allotted_on=effective_date,
            amount_paid_per_right_yen=amount,
            recorded_by=actor,
        )
        allotment.full_clean()
        allotment.save()
        for piece in taken:  # successor rights keep each lot's conditions, (9)9
            holding_add(
                series=successor,
                holder=holding.holder,
                rights=piece.rights,
                acquired_on=effective_date,
                origin=LotOrigin.like(piece.lot),
            )
        events.event_restructured(
            restructuring=record,
            holder=holding.holder,
            rights=rights,
            shares_per_right=shares_per_right,
            actor=actor,
        )
    check_transition(transitions.SERIES, series.status, Series.Status.CLOSED, Series.Status)
    series.status = Series.Status.CLOSED
    series.save(update_fields=["status"])
    events.event_series_closed(series=series, restructuring=record, actor=actor)
    return record
