"""The ledger's vocabulary: one constructor per kind of event the grants services write.

Each constructor takes the domain objects and figures of its change, builds the payload itself and
writes the event through `grants.services.ledger.ledger_record`. The payload keys are read by the
request pages (``transfer_request_id``, ``inheritance_case_id``, ``exercise_request_id``,
``corporate_action_id``), the audit trail and the tests: add keys, never rename them.

Events that move rights between two register lines (transfer, succession, restructuring) come in
pairs, one per line, so the register per holder stays the sum of its events; their constructors write
both and return them as ``(out, in)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User

from grants.domain.exercise import ExerciseFigures
from grants.models import (
    Allotment,
    Company,
    CompanyAcquisition,
    CompanyHeldRights,
    CorporateAction,
    ExerciseRequest,
    Holding,
    InheritanceCase,
    LedgerEvent,
    Restructuring,
    Series,
    ShareAdjustment,
    TransferRequest,
)
from grants.services.ledger import ledger_record
from holders.models import Holder

Type = LedgerEvent.Type


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _required(value: date | None, what: str) -> date:
    """A date the record must carry by the time its event is written (set by the service before)."""
    if value is None:
        raise ValueError(f"{what} is not set; the service sets it before writing the event")
    return value


# --- Series --------------------------------------------------------------------------------------


def event_series_created(*, series: Series, shares_per_right: int, actor: User) -> LedgerEvent:
    """A series with its terms, effective on its board resolution if it has one, else its allotment date."""
    return ledger_record(
        event_type=Type.SERIES_CREATED,
        series=series,
        effective_date=series.resolution_date or series.allotment_date,
        actor=actor,
        payload={
            "max_rights": series.max_rights,
            "shares_per_right": shares_per_right,
            "exercise_price_per_share_yen": str(series.exercise_price_per_share_yen),
            "exercise_period": [
                series.exercise_period_start.isoformat(),
                series.exercise_period_end.isoformat(),
            ],
            "allotment_date": series.allotment_date.isoformat(),
        },
    )


def event_series_resolved(*, series: Series, actor: User) -> LedgerEvent:
    """The board resolved the terms; the actor records and approves the resolution."""
    resolution_date = _required(series.resolution_date, "series.resolution_date")
    return ledger_record(
        event_type=Type.SERIES_RESOLVED,
        series=series,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=series.resolution_reference,
        payload={"status": {"before": Series.Status.DRAFT, "after": Series.Status.RESOLVED}},
    )


def event_allotment_date_changed(
    *,
    series: Series,
    allotment_date_before: date,
    payment_date_before: date,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
) -> LedgerEvent:
    """The board moved the allotment and payment dates, clauses (13), (14): both dates before and after."""
    return ledger_record(
        event_type=Type.ALLOTMENT_DATE_CHANGED,
        series=series,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=resolution_reference,
        payload={
            "before": {
                "allotment_date": allotment_date_before.isoformat(),
                "payment_date": payment_date_before.isoformat(),
            },
            "after": {
                "allotment_date": series.allotment_date.isoformat(),
                "payment_date": series.payment_date.isoformat(),
            },
        },
    )


def event_series_allotment_closed(*, series: Series, actor: User) -> LedgerEvent:
    """No more rights of the series can be allotted, clause (2): what was allotted of the maximum."""
    return ledger_record(
        event_type=Type.SERIES_ALLOTMENT_CLOSED,
        series=series,
        effective_date=series.allotment_date,
        actor=actor,
        payload={
            "status": {"before": Series.Status.RESOLVED, "after": Series.Status.ALLOTTED},
            "rights_allotted": series.allotted_rights,
            "max_rights": series.max_rights,
        },
    )


def event_series_closed(*, series: Series, restructuring: Restructuring, actor: User) -> LedgerEvent:
    """The series is closed: its remaining rights passed to the successor series, (9)."""
    return ledger_record(
        event_type=Type.SERIES_CLOSED,
        series=series,
        effective_date=restructuring.effective_date,
        actor=actor,
        resolution_date=restructuring.resolution_date,
        resolution_reference=restructuring.resolution_reference,
        payload={
            "status": {"before": Series.Status.ALLOTTED, "after": Series.Status.CLOSED},
            "restructuring_id": restructuring.pk,
            "successor_series_id": restructuring.successor_series_id,
        },
    )


# --- Allotment and the amount paid (12) ----------------------------------------------------------


def event_allotted(
    *, allotment: Allotment, shares_per_right: int, allotted_rights_after: int, actor: User
) -> LedgerEvent:
    """Rights allotted to a holder on the series' allotment date, within the maximum (2)."""
    series = allotment.series
    return ledger_record(
        event_type=Type.ALLOTTED,
        series=series,
        holder=allotment.holder,
        rights_delta=allotment.rights,
        effective_date=allotment.allotted_on,
        actor=actor,
        resolution_date=series.resolution_date,
        resolution_reference=series.resolution_reference,
        payload={
            "allotment_id": allotment.pk,
            "category": allotment.category,
            "rights": allotment.rights,
            "shares_per_right": shares_per_right,
            "allotted_rights_after": allotted_rights_after,
            "max_rights": series.max_rights,
        },
    )


def event_amount_determined(
    *,
    series: Series,
    amount_paid_per_right_yen: int,
    allotments: int,
    rights: int,
    actor: User,
    approved_by: User | None = None,
    reference: str = "",
) -> LedgerEvent:
    """The amount paid per right (12) set on every allotment of the series, with the total in yen."""
    return ledger_record(
        event_type=Type.AMOUNT_DETERMINED,
        series=series,
        effective_date=series.allotment_date,
        actor=actor,
        approved_by=approved_by,
        resolution_reference=reference,
        payload={
            "amount_paid_per_right_yen": amount_paid_per_right_yen,
            "allotments": allotments,
            "rights": rights,
            "total_yen": amount_paid_per_right_yen * rights,
        },
    )


# --- Corporate actions, notice (3) ---------------------------------------------------------------


def event_corporate_action_recorded(*, action: CorporateAction, actor: User) -> LedgerEvent:
    """A split, consolidation or reasonable adjustment recorded for the board, from the day it would apply."""
    return ledger_record(
        event_type=Type.CORPORATE_ACTION_RECORDED,
        effective_date=action.applies_from,
        actor=actor,
        payload={
            "corporate_action_id": action.pk,
            "company_id": action.company_id,
            "kind": action.kind,
            "ratio": [action.ratio_numerator, action.ratio_denominator],
            "applies_from": action.applies_from.isoformat(),
        },
    )


def event_corporate_action_approved(
    *, action: CorporateAction, affected: Sequence[Series], actor: User
) -> LedgerEvent:
    """The board applied the action: on the ledger even when no series has rights outstanding then."""
    return ledger_record(
        event_type=Type.CORPORATE_ACTION_APPROVED,
        effective_date=action.applies_from,
        actor=actor,
        approved_by=actor,
        resolution_date=action.resolution_date,
        resolution_reference=action.resolution_reference,
        payload={
            "corporate_action_id": action.pk,
            "company_id": action.company_id,
            "kind": action.kind,
            "ratio": [action.ratio_numerator, action.ratio_denominator],
            "record_date": _iso(action.record_date),
            "effective_date": _iso(action.effective_date),
            "meeting_closed_on": _iso(action.meeting_closed_on),
            "applies_from": action.applies_from.isoformat(),
            "series_ids": [series.pk for series in affected],
        },
    )


def event_corporate_action_rejected(*, action: CorporateAction, actor: User) -> LedgerEvent:
    """The board refused the action; no shares per right change."""
    resolution_date = _required(action.resolution_date, "action.resolution_date")
    return ledger_record(
        event_type=Type.CORPORATE_ACTION_REJECTED,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=resolution_date,
        resolution_reference=action.resolution_reference,
        payload={"corporate_action_id": action.pk, "kind": action.kind},
    )


def event_adjusted(
    *, action: CorporateAction, adjustment: ShareAdjustment, shares_per_right_before: int, actor: User
) -> LedgerEvent:
    """One series' shares per right adjusted by an approved action: floor(old x ratio), notice (3)."""
    return ledger_record(
        event_type=Type.ADJUSTED,
        series=adjustment.series,
        effective_date=adjustment.applies_from,
        actor=actor,
        approved_by=actor,
        resolution_date=action.resolution_date,
        resolution_reference=adjustment.resolution_reference,
        payload={
            "corporate_action_id": action.pk,
            "kind": action.kind,
            "ratio": f"{action.ratio_numerator}/{action.ratio_denominator}",
            "shares_per_right": {"before": shares_per_right_before, "after": adjustment.shares_per_right},
            "record_date": _iso(action.record_date),
            "effective_date": _iso(action.effective_date),
            "meeting_closed_on": _iso(action.meeting_closed_on),
        },
    )


# --- Transfer, notice (7) and Art 266 ------------------------------------------------------------


def event_transfer_requested(*, request: TransferRequest, actor: User) -> LedgerEvent:
    """A transfer requested; the board must notify its decision by ``decision_due_on`` (Art 266)."""
    return ledger_record(
        event_type=Type.TRANSFER_REQUESTED,
        series=request.series,
        holder=request.transferor,
        effective_date=request.requested_on,
        actor=actor,
        payload={
            "transfer_request_id": request.pk,
            "rights": request.rights,
            "transferee_id": request.transferee_id,
            "transferee": request.transferee.name,
            "decision_due_on": request.decision_due_on.isoformat(),
            "prohibited_by_allotment_terms": request.series.transfer_prohibited_by_allotment_terms,
        },
    )


def _transfer_decided(
    *, event_type: str, request: TransferRequest, status_before: str, approved: bool, actor: User
) -> LedgerEvent:
    resolution_date = _required(request.resolution_date, "request.resolution_date")
    return ledger_record(
        event_type=event_type,
        series=request.series,
        holder=request.transferor,
        effective_date=resolution_date,
        actor=actor,
        approved_by=actor if approved else None,
        resolution_date=resolution_date,
        resolution_reference=request.resolution_reference,
        payload={
            "transfer_request_id": request.pk,
            "rights": request.rights,
            "transferee_id": request.transferee_id,
            "status": {"before": status_before, "after": request.status},
            "decided_after_due_date": resolution_date > request.decision_due_on,
            "note": request.decision_note,
        },
    )


def event_transfer_approved(*, request: TransferRequest, status_before: str, actor: User) -> LedgerEvent:
    """The board approved the transfer (7); the actor is the approver."""
    return _transfer_decided(
        event_type=Type.TRANSFER_APPROVED,
        request=request,
        status_before=status_before,
        approved=True,
        actor=actor,
    )


def event_transfer_rejected(*, request: TransferRequest, status_before: str, actor: User) -> LedgerEvent:
    """The board refused the transfer; the reason is the decision note."""
    return _transfer_decided(
        event_type=Type.TRANSFER_REJECTED,
        request=request,
        status_before=status_before,
        approved=False,
        actor=actor,
    )


def event_transfer_deemed_approved(*, request: TransferRequest, actor: User) -> LedgerEvent:
    """Art 266: no decision notified within two weeks, so approval is deemed given the day after."""
    return ledger_record(
        event_type=Type.TRANSFER_DEEMED_APPROVED,
        series=request.series,
        holder=request.transferor,
        effective_date=request.decision_due_on + timedelta(days=1),
        actor=actor,
        payload={
            "transfer_request_id": request.pk,
            "rights": request.rights,
            "transferee_id": request.transferee_id,
            "requested_on": request.requested_on.isoformat(),
            "decision_due_on": request.decision_due_on.isoformat(),
            "basis": "Companies Act Art 266: no decision notified within two weeks",
        },
    )


def event_transfer_registered(*, request: TransferRequest, actor: User) -> tuple[LedgerEvent, LedgerEvent]:
    """The transfer entered in the register: the transferor's minus and the transferee's plus."""
    registered_on = _required(request.registered_on, "request.registered_on")
    common: dict[str, Any] = {
        "event_type": Type.TRANSFER_REGISTERED,
        "series": request.series,
        "effective_date": registered_on,
        "actor": actor,
        "approved_by": request.decided_by,
        "resolution_date": request.resolution_date,
        "resolution_reference": request.resolution_reference,
    }
    figures = {
        "transfer_request_id": request.pk,
        "rights": request.rights,
        "transferor_id": request.transferor_id,
        "transferee_id": request.transferee_id,
        "deemed_approved": request.decided_by_id is None,
    }
    out = ledger_record(
        holder=request.transferor, rights_delta=-request.rights, payload={**figures, "side": "out"}, **common
    )
    into = ledger_record(
        holder=request.transferee, rights_delta=request.rights, payload={**figures, "side": "in"}, **common
    )
    return out, into


# --- Death and succession, notice (11)3 ----------------------------------------------------------


def event_inheritance_opened(*, case: InheritanceCase, actor: User) -> LedgerEvent:
    """A case opened for a deceased holder's rights, effective on the death."""
    died_on = _required(case.deceased.died_on, "case.deceased.died_on")
    return ledger_record(
        event_type=Type.INHERITANCE_OPENED,
        holder=case.deceased,
        effective_date=died_on,
        actor=actor,
        payload={"inheritance_case_id": case.pk, "died_on": died_on.isoformat()},
    )


def event_heir_designated(
    *, case: InheritanceCase, heir: Holder, designated_on: date, relationship: str, actor: User
) -> LedgerEvent:
    """The one heir designated in the case; the succession still awaits approval."""
    return ledger_record(
        event_type=Type.HEIR_DESIGNATED,
        holder=case.deceased,
        effective_date=designated_on,
        actor=actor,
        payload={
            "inheritance_case_id": case.pk,
            "heir_id": heir.pk,
            "heir": heir.name,
            "relationship": relationship.strip(),
        },
    )


def event_succession(
    *, case: InheritanceCase, series: Series, rights: int, actor: User
) -> tuple[LedgerEvent, LedgerEvent]:
    """The deceased's rights of one series pass to the heir (Art 261: no transfer approval)."""
    assert case.heir is not None  # heir_designate sets the heir before the case can be approved
    common = _succession_common(case=case, actor=actor)
    figures = {
        "inheritance_case_id": case.pk,
        "rights": rights,
        "deceased_id": case.deceased_id,
        "heir_id": case.heir_id,
    }
    out = ledger_record(
        series=series,
        holder=case.deceased,
        rights_delta=-rights,
        payload={**figures, "side": "out"},
        **common,
    )
    into = ledger_record(
        series=series, holder=case.heir, rights_delta=rights, payload={**figures, "side": "in"}, **common
    )
    return out, into


def event_succession_without_rights(*, case: InheritanceCase, actor: User) -> LedgerEvent:
    """The succession approved when no right is left to pass (all lapsed at death, or none held).

    One event on the deceased's line with no series and no rights, so the approval is on the ledger.
    """
    return ledger_record(
        holder=case.deceased,
        payload={
            "inheritance_case_id": case.pk,
            "rights": 0,
            "deceased_id": case.deceased_id,
            "heir_id": case.heir_id,
            "side": "none",
        },
        **_succession_common(case=case, actor=actor),
    )


def _succession_common(*, case: InheritanceCase, actor: User) -> dict[str, Any]:
    return {
        "event_type": Type.SUCCESSION,
        "effective_date": _required(case.succeeded_on, "case.succeeded_on"),
        "actor": actor,
        "approved_by": actor,
        "resolution_date": case.resolution_date,
        "resolution_reference": case.resolution_reference,
    }


# --- Exercise, notice (4)-(6) --------------------------------------------------------------------


def _exercise_payload(request: ExerciseRequest, figures: ExerciseFigures) -> dict[str, Any]:
    return {
        "exercise_request_id": request.pk,
        "rights": figures.rights,
        "shares_per_right": figures.shares_per_right,
        "shares": figures.shares,
        "exercise_price_per_share_yen": figures.exercise_price_per_share_yen,
        "payment_yen": figures.payment_yen,
        "book_value_yen": figures.book_value_yen,
        "upper_limit_yen": figures.upper_limit_yen,
        "capital_yen": figures.capital_yen,
        "reserve_yen": figures.reserve_yen,
    }


def event_exercise_requested(
    *, request: ExerciseRequest, figures: ExerciseFigures, actor: User
) -> LedgerEvent:
    """An exercise requested, with the figures as of the request day; the rights stay until payment."""
    return ledger_record(
        event_type=Type.EXERCISE_REQUESTED,
        series=request.series,
        holder=request.holder,
        effective_date=request.requested_on,
        actor=actor,
        payload=_exercise_payload(request, figures),
    )


def event_exercised(*, request: ExerciseRequest, figures: ExerciseFigures, actor: User) -> LedgerEvent:
    """The payment arrived: the rights are exercised that day (Art 281, 282), capital per OCA Art 17."""
    return ledger_record(
        event_type=Type.EXERCISED,
        series=request.series,
        holder=request.holder,
        rights_delta=-request.rights,
        effective_date=_required(request.exercised_on, "request.exercised_on"),
        actor=actor,
        payload=_exercise_payload(request, figures),
    )


def event_reversal(*, request: ExerciseRequest, reverses: LedgerEvent | None, actor: User) -> LedgerEvent:
    """A withdrawn exercise request: the reversal of its `exercise_requested` event, with the reason."""
    return ledger_record(
        event_type=Type.REVERSAL,
        series=request.series,
        holder=request.holder,
        effective_date=request.requested_on,
        actor=actor,
        reverses=reverses,
        payload={"exercise_request_id": request.pk, "withdrawn": True, "reason": request.withdrawal_reason},
    )


# --- Lapse (Art 287) -----------------------------------------------------------------------------


def event_lapsed(
    *, holding: Holding, rights: int, reason: str, effective_date: date, as_of: date, actor: User
) -> LedgerEvent:
    """Every right of a holding extinguished on ``effective_date`` for ``reason``, found on ``as_of``."""
    return ledger_record(
        event_type=Type.LAPSED,
        series=holding.series,
        holder=holding.holder,
        rights_delta=-rights,
        effective_date=effective_date,
        actor=actor,
        payload={"rights": rights, "reason": reason, "as_of": as_of.isoformat()},
    )


# --- Acquisition by the company (8), cancellation (Art 276) --------------------------------------


def event_acquisition_resolved(*, acquisition: CompanyAcquisition, actor: User) -> LedgerEvent:
    """The board fixed the date on which the company acquires the rights without contribution (8)."""
    return ledger_record(
        event_type=Type.ACQUISITION_RESOLVED,
        series=acquisition.series,
        effective_date=acquisition.resolution_date,
        actor=actor,
        approved_by=actor,
        resolution_date=acquisition.resolution_date,
        resolution_reference=acquisition.resolution_reference,
        payload={
            "company_acquisition_id": acquisition.pk,
            "trigger": acquisition.trigger,
            "proposal_approved_on": acquisition.proposal_approved_on.isoformat(),
            "acquisition_date": acquisition.acquisition_date.isoformat(),
        },
    )


def event_acquired_by_company(
    *, acquisition: CompanyAcquisition, holder: Holder | None, rights: int, actor: User
) -> LedgerEvent:
    """One holder's rights acquired by the company for nothing on the fixed date (8).

    ``holder`` is None, with no rights, when no holder had rights left on that date: the execution is
    still on the ledger.
    """
    return ledger_record(
        event_type=Type.ACQUIRED_BY_COMPANY,
        series=acquisition.series,
        holder=holder,
        rights_delta=-rights,
        effective_date=acquisition.acquisition_date,
        actor=actor,
        approved_by=acquisition.requested_by,
        resolution_date=acquisition.resolution_date,
        resolution_reference=acquisition.resolution_reference,
        payload={
            "company_acquisition_id": acquisition.pk,
            "rights": rights,
            "trigger": acquisition.trigger,
            "consideration_yen": 0,
        },
    )


def event_cancelled(
    *,
    held: CompanyHeldRights,
    rights: int,
    cancelled_on: date,
    resolution_date: date,
    resolution_reference: str,
    actor: User,
) -> LedgerEvent:
    """Rights held by the company cancelled (Art 276), with what it holds and has cancelled after."""
    return ledger_record(
        event_type=Type.CANCELLED,
        series=held.series,
        effective_date=cancelled_on,
        actor=actor,
        resolution_date=resolution_date,
        resolution_reference=resolution_reference,
        payload={
            "rights": rights,
            "company_held_after": held.rights,
            "cancelled_total": held.cancelled_rights,
        },
    )


# --- Organizational restructuring, notice (9) ----------------------------------------------------


def event_restructured(
    *, restructuring: Restructuring, holder: Holder, rights: int, shares_per_right: int, actor: User
) -> tuple[LedgerEvent, LedgerEvent]:
    """A holder's rights extinguished in the original series and delivered in the successor series."""
    common: dict[str, Any] = {
        "event_type": Type.RESTRUCTURED,
        "holder": holder,
        "effective_date": restructuring.effective_date,
        "actor": actor,
        "resolution_date": restructuring.resolution_date,
        "resolution_reference": restructuring.resolution_reference,
    }
    figures = {
        "restructuring_id": restructuring.pk,
        "rights": rights,
        "original_series_id": restructuring.original_series_id,
        "successor_series_id": restructuring.successor_series_id,
        "kind": restructuring.kind,
    }
    out = ledger_record(
        series=restructuring.original_series,
        rights_delta=-rights,
        payload={**figures, "side": "extinguished"},
        **common,
    )
    into = ledger_record(
        series=restructuring.successor_series,
        rights_delta=rights,
        payload={**figures, "side": "delivered", "shares_per_right": shares_per_right},
        **common,
    )
    return out, into


# --- Companies -----------------------------------------------------------------------------------

COMPANY_FIELDS = ("name", "name_ja", "securities_code", "address", "representative", "successor_of")


def company_values(company: Company) -> dict[str, Any]:
    """The company's details as the ledger records them (the predecessor by its id)."""
    return {
        field: (company.successor_of_id if field == "successor_of" else getattr(company, field))
        for field in COMPANY_FIELDS
    }


def event_company_created(*, company: Company, effective_date: date, actor: User) -> LedgerEvent:
    """An issuer or successor company entered, with every detail it was entered with."""
    return ledger_record(
        event_type=Type.COMPANY_CREATED,
        effective_date=effective_date,
        actor=actor,
        payload={"company_id": company.pk, **company_values(company)},
    )


def event_company_changed(
    *, company: Company, before: dict[str, Any], after: dict[str, Any], effective_date: date, actor: User
) -> LedgerEvent:
    """Details of a company changed: the old and new value of each changed field."""
    return ledger_record(
        event_type=Type.COMPANY_CHANGED,
        effective_date=effective_date,
        actor=actor,
        payload={"company_id": company.pk, "before": before, "after": after},
    )
