"""The company's acquisition of rights (8), their cancellation (Art 276), restructuring (9), and the
companies themselves."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from grants.models import (
    Company,
    CompanyAcquisition,
    CompanyHeldRights,
    LedgerEvent,
    Restructuring,
)
from grants.services.ledger import ledger_record
from holders.models import Holder

from ._common import Type

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

COMPANY_FIELDS = (
    "name",
    "name_ja",
    "securities_code",
    "address",
    "representative",
    "successor_of",
    "accounting_standard",
    "fiscal_year_end_month",
)


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
