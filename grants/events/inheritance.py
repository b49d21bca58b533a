"""Death and succession by the one heir, notice (11)3."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from grants.models import (
    InheritanceCase,
    LedgerEvent,
    Series,
)
from grants.services.ledger import ledger_record
from holders.models import Holder

from ._common import Type, required

# --- Death and succession, notice (11)3 ----------------------------------------------------------


def event_inheritance_opened(*, case: InheritanceCase, actor: User) -> LedgerEvent:
    """A case opened for a deceased holder's rights, effective on the death."""
    died_on = required(case.deceased.died_on, "case.deceased.died_on")
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
        "effective_date": required(case.succeeded_on, "case.succeeded_on"),
        "actor": actor,
        "approved_by": actor,
        "resolution_date": case.resolution_date,
        "resolution_reference": case.resolution_reference,
    }


def event_inheritance_rejected(*, case: InheritanceCase, actor: User) -> LedgerEvent:
    """The succession refused (docs/domain.md reading R60): no right moves; the reason is kept."""
    return ledger_record(
        event_type=Type.INHERITANCE_REJECTED,
        holder=case.deceased,
        effective_date=required(case.resolution_date, "case.resolution_date"),
        actor=actor,
        approved_by=actor,
        resolution_date=case.resolution_date,
        resolution_reference=case.resolution_reference,
        payload={
            "inheritance_case_id": case.pk,
            "heir_id": case.heir_id,
            "reason": case.rejection_reason,
        },
    )
