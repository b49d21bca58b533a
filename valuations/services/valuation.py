"""The valuation workflow, notice (12): compute (provisional or final), finalize, approve.

A valuation derives each input by the series' rules (valuations.selectors.inputs), stores it with
its source, and moves provisional -> final -> approved (or rejected) through one service each, by the
table in valuations.transitions. Each step writes one ledger event with the figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from equityplan.clock import check_not_future
from equityplan.forms import check_days
from equityplan.workflow import check_four_eyes, check_transition
from grants import events
from grants.models import Series
from grants.services import allotment_set_amount_paid
from valuations.domain.pricing import PricingInputs, amount_per_right_yen, price_option
from valuations.domain.problems import Problem
from valuations.models import FRACTION_PLACES, YEN_PLACES, Valuation
from valuations.selectors.calendar import calendar_overrides
from valuations.selectors.inputs import derive_dividend_yield, derive_rate, derive_spot, derive_volatility
from valuations.sources import YEN_QUANTUM, decimal_text, described, error_text, quantize_fraction
from valuations.transitions import VALUATION_TRANSITIONS

__all__ = ["valuation_approve", "valuation_finalize", "valuation_reject", "valuation_run"]


def _clean_overrides(overrides: dict | None) -> dict[str, tuple[Decimal, str]]:
    cleaned: dict[str, tuple[Decimal, str]] = {}
    errors: dict[str, str] = {}
    for name, entry in (overrides or {}).items():
        if name not in Valuation.OVERRIDABLE:
            errors[name] = _("This input cannot be entered by hand.")
            continue
        value, reason = entry.get("value"), str(entry.get("reason") or "").strip()
        try:
            value = Decimal(str(value))
        except (InvalidOperation, ValueError):
            errors[name] = _("Enter a number.")
            continue
        if not value.is_finite():
            errors[name] = _("Enter a number.")
        elif not reason:
            errors[name] = _("Give the reason for entering this value by hand.")
        elif name == "spot_yen" and value <= 0:
            errors[name] = _("The share price must be more than 0.")
        elif name in ("volatility", "dividend_yield") and value < 0:
            errors[name] = _("This input cannot be negative.")
        else:
            quantized = value.quantize(YEN_QUANTUM) if name == "spot_yen" else quantize_fraction(value)
            if quantized != value:
                places = YEN_PLACES if name == "spot_yen" else FRACTION_PLACES
                errors[name] = _("Enter at most %(n)d decimal places.") % {"n": places}
            else:
                cleaned[name] = (quantized, reason)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _final_exists(series: Series, valuation_date: date, exclude_pk: int | None = None) -> bool:
    qs = Valuation.objects.filter(
        series=series,
        valuation_date=valuation_date,
        status__in=[Valuation.Status.FINAL, Valuation.Status.APPROVED],
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _figures(valuation: Valuation) -> dict:
    return {
        "valuation_id": valuation.pk,
        "valuation_date": valuation.valuation_date.isoformat(),
        "status": valuation.status,
        **{name: decimal_text(getattr(valuation, name)) for name in Valuation.INPUTS},
        "option_price_per_share": decimal_text(valuation.option_price_per_share),
        "shares_per_right": valuation.shares_per_right,
        "rounding_rule": valuation.rounding_rule,
        "amount_per_right_yen": valuation.amount_per_right_yen,
        "entered_by_hand": sorted(valuation.overrides),
        # docs/domain.md reading R25: a valuation from older data than the rules allow says so.
        "stale_inputs": {s.name: s.taken_from.isoformat() for s in valuation.stale_inputs()},
    }


@transaction.atomic
def valuation_run(
    *,
    series: Series,
    valuation_date: date,
    actor: User,
    overrides: dict[str, dict] | None = None,
    final: bool = False,
) -> Valuation:
    """Derive every input by the series' rules, price it, store it with its sources: notice (12).

    ``overrides`` maps an input (spot_yen, volatility, rate, dividend_yield) to {"value", "reason"};
    such inputs are marked as entered by hand, beside the value the rules gave (if any).
    """
    check_days(valuation_date=valuation_date)
    series = Series.objects.select_for_update().select_related("company").get(pk=series.pk)
    by_hand = _clean_overrides(overrides)
    if final and _final_exists(series, valuation_date):
        raise ValidationError(
            _("There is already a final valuation of this series as of %(date)s.")
            % {"date": valuation_date.isoformat()},
            code="final_exists",
        )
    calendar = calendar_overrides()
    values: dict[str, Decimal] = {}
    sources: dict[str, dict] = {}
    evidence: dict = {}
    errors: list[str] = []

    def use(name: str, derive) -> None:
        try:
            derived, source, *extra = derive()
        except ValidationError as exc:
            if name not in by_hand:
                errors.extend(exc.messages)
                return
            derived, source, extra = None, {"detail": "; ".join(exc.messages)}, []
        if extra:
            evidence.update(extra[0])
        if name in by_hand:
            value, reason = by_hand[name]
            source = {
                **source,
                "entered_by_hand": True,
                "reason": reason,
                "derived": decimal_text(derived) if derived is not None else None,
            }
            values[name] = value
        else:
            values[name] = derived
        sources[name] = source

    use(
        "spot_yen",
        lambda: derive_spot(
            series=series, valuation_date=valuation_date, overrides=calendar, provisional=not final
        ),
    )
    use(
        "volatility",
        lambda: derive_volatility(series=series, valuation_date=valuation_date, overrides=calendar),
    )
    use("rate", lambda: derive_rate(series=series, valuation_date=valuation_date))
    if "spot_yen" in values:
        use(
            "dividend_yield",
            lambda: derive_dividend_yield(
                series=series, valuation_date=valuation_date, spot=values["spot_yen"], overrides=calendar
            ),
        )
    if errors:
        raise ValidationError(errors)

    values["spot_yen"] = values["spot_yen"].quantize(YEN_QUANTUM)
    values["strike_yen"] = series.exercise_price_per_share_yen.quantize(YEN_QUANTUM)
    values["term_years"] = series.valuation_term_years
    sources["strike_yen"] = described(
        Problem(gettext_noop("exercise price per share, clause (4)")), rule="terms"
    )
    sources["term_years"] = described(
        Problem(gettext_noop("expected remaining period, clause (12)4")), rule="terms"
    )
    shares = series.shares_per_right_on(max(valuation_date, series.allotment_date))
    try:
        price = price_option(PricingInputs(**{name: values[name] for name in Valuation.INPUTS}))
    except ValueError as exc:
        raise ValidationError(_("The inputs cannot be priced: %(why)s.") % {"why": error_text(exc)}) from exc
    valuation = Valuation(
        series=series,
        valuation_date=valuation_date,
        status=Valuation.Status.FINAL if final else Valuation.Status.PROVISIONAL,
        **{name: values[name] for name in Valuation.INPUTS},
        sources=sources,
        method={
            "formula": "C = S e^(-qT) N(d1) - X e^(-rT) N(d2); d1 = (ln(S/X) + (r - q + s^2/2) T) / (s sqrt T)",
            "spot_rule": series.valuation_spot_rule,
            "volatility_frequency": series.volatility_frequency,
            "volatility_window_start": series.volatility_window_start,
            "volatility_window_end": series.volatility_window_end,
            "volatility_method": sources["volatility"].get("method", ""),
            "volatility_method_message": sources["volatility"].get("method_message"),
            "rate_rule": series.rate_rule,
            "dividend_rule": series.dividend_rule,
            "dividend_fiscal_year_end": series.dividend_fiscal_year_end,
            "rounding_rule": series.rounding_rule,
            "calendar_overrides": len(calendar),
        },
        overrides={
            name: {"value": decimal_text(value), "reason": reason, "derived": sources[name].get("derived")}
            for name, (value, reason) in by_hand.items()
        },
        evidence=evidence,
        option_price_per_share_text=format(price, "f"),
        shares_per_right=shares,
        rounding_rule=series.rounding_rule,
        amount_per_right_yen=amount_per_right_yen(price, shares, series.rounding_rule),
        computed_by=actor,
    )
    if final:
        valuation.finalized_by, valuation.finalized_at = actor, timezone.now()
    valuation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            valuation.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("There is already a final valuation of this series as of %(date)s.")
            % {"date": valuation_date.isoformat()},
            code="final_exists",
        ) from exc
    events.event_valuation(
        series=series,
        valuation_date=valuation_date,
        step="computed",
        figures=_figures(valuation),
        actor=actor,
    )
    return valuation


def _locked(valuation: Valuation) -> Valuation:
    return Valuation.objects.select_for_update().select_related("series").get(pk=valuation.pk)


@transaction.atomic
def valuation_finalize(*, valuation: Valuation, actor: User) -> Valuation:
    """Make a provisional valuation the final one for its series and date (one per series and date)."""
    valuation = _locked(valuation)
    check_transition(VALUATION_TRANSITIONS, valuation.status, Valuation.Status.FINAL, Valuation.Status)
    if any(source.get("provisional_fallback") for source in valuation.sources.values()):
        raise ValidationError(
            _(
                "This valuation used the latest data available instead of the series' rule; "
                "recompute it once the data for the valuation date is in."
            ),
            code="provisional_data",
        )
    if _final_exists(valuation.series, valuation.valuation_date, exclude_pk=valuation.pk):
        raise ValidationError(
            _("There is already a final valuation of this series as of %(date)s.")
            % {"date": valuation.valuation_date.isoformat()},
            code="final_exists",
        )
    valuation.status = Valuation.Status.FINAL
    valuation.finalized_by, valuation.finalized_at = actor, timezone.now()
    valuation.save(update_fields=["status", "finalized_by", "finalized_at"])
    events.event_valuation(
        series=valuation.series,
        valuation_date=valuation.valuation_date,
        step="finalized",
        figures=_figures(valuation),
        actor=actor,
    )
    return valuation


@transaction.atomic
def valuation_approve(
    *,
    valuation: Valuation,
    actor: User,
    resolution_date: date | None = None,
    resolution_reference: str = "",
) -> Valuation:
    """The board secretary approves a final valuation as of the allotment date; it fixes the amount
    paid per right on the allotments, clause (12). Not by the person who computed it."""
    check_not_future(resolution_date=resolution_date)
    valuation = _locked(valuation)
    if not actor.has_perm("grants.decide"):
        raise PermissionDenied(_("Only a board secretary can approve a valuation."))
    check_transition(VALUATION_TRANSITIONS, valuation.status, Valuation.Status.APPROVED, Valuation.Status)
    # Whoever computed or made it final recorded what is approved (docs/domain.md reading R44).
    check_four_eyes(actor=actor, recorded_by=[valuation.computed_by_id, valuation.finalized_by_id])
    if valuation.valuation_date != valuation.series.allotment_date:
        raise ValidationError(
            _("Only a valuation as of the allotment date (%(date)s) fixes the amount paid per right.")
            % {"date": valuation.series.allotment_date.isoformat()},
            code="not_allotment_date",
        )
    valuation.status = Valuation.Status.APPROVED
    valuation.approved_by, valuation.approved_at = actor, timezone.now()
    valuation.resolution_date = resolution_date
    valuation.resolution_reference = resolution_reference.strip()
    valuation.full_clean(validate_constraints=False)
    valuation.save(
        update_fields=["status", "approved_by", "approved_at", "resolution_date", "resolution_reference"]
    )
    events.event_valuation(
        series=valuation.series,
        valuation_date=valuation.valuation_date,
        step="approved",
        figures=_figures(valuation),
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=valuation.resolution_reference,
    )
    allotment_set_amount_paid(
        series=valuation.series,
        amount_paid_per_right_yen=valuation.amount_per_right_yen,
        actor=actor,
        approved_by=actor,
        reference=valuation.resolution_reference or f"valuation {valuation.pk}",
    )
    return valuation


@transaction.atomic
def valuation_reject(*, valuation: Valuation, actor: User, reason: str) -> Valuation:
    """The board secretary rejects a final valuation, with the reason. Its series and date are then
    free for a new final valuation (valuation_one_final_per_series_and_date counts final and approved
    ones only). Not by the person who computed or made it final."""
    reason = (reason or "").strip()
    valuation = _locked(valuation)
    if not actor.has_perm("grants.decide"):
        raise PermissionDenied(_("Only a board secretary can reject a valuation."))
    check_transition(VALUATION_TRANSITIONS, valuation.status, Valuation.Status.REJECTED, Valuation.Status)
    # Whoever computed or made it final recorded what is rejected (docs/domain.md reading R44).
    check_four_eyes(actor=actor, recorded_by=[valuation.computed_by_id, valuation.finalized_by_id])
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting this valuation.")}, code="required")
    valuation.status = Valuation.Status.REJECTED
    valuation.rejected_by, valuation.rejected_at = actor, timezone.now()
    valuation.rejection_reason = reason
    valuation.full_clean(validate_constraints=False)
    valuation.save(update_fields=["status", "rejected_by", "rejected_at", "rejection_reason"])
    events.event_valuation(
        series=valuation.series,
        valuation_date=valuation.valuation_date,
        step="rejected",
        figures={**_figures(valuation), "reason": reason},
        actor=actor,
        approved_by=actor,
    )
    return valuation
