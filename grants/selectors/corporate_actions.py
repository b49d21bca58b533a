"""Approved corporate actions as market data sees them: the day share prices change basis, notice (3).

A split or consolidation the board approved changes the shares per right from the day the notice
says (``applies_from``); share prices change basis earlier, on the ex-rights date (権利落日) of the
record date, the first trading day whose trades settle after it. Valuations split-adjust their price
history and the dividend from that day. A reasonable adjustment (merger, demerger) changes no share
price basis, and a proposed or rejected action changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from grants.domain.calendar import Overrides, ex_rights_date
from grants.models import Company, CorporateAction

__all__ = ["PRICE_BASIS_KINDS", "PriceBasisChange", "company_price_basis_changes", "price_basis_changes"]

PRICE_BASIS_KINDS = (
    CorporateAction.Kind.SPLIT,
    CorporateAction.Kind.CONDITIONAL_SPLIT,
    CorporateAction.Kind.CONSOLIDATION,
)


@dataclass(frozen=True)
class PriceBasisChange:
    """One approved split or consolidation: from ``basis_from`` on, prices are quoted on the new basis.

    ``ratio`` is shares after per share before: 200 for the 1:200 split of record date 2012-09-30,
    1/10 for a 10:1 consolidation. A price quoted before ``basis_from`` is divided by it.
    """

    corporate_action_id: int
    basis_from: date
    ratio: Fraction
    kind: str
    holders_fixed_on: date  # the record date: who holds shares then holds them on the old basis


def price_basis_from(action: CorporateAction, overrides: Overrides | None = None) -> date:
    """The first day quoted on the new basis: the ex-rights date of the action's record date.

    An action recorded without a record date (a consolidation recorded with only its effective
    date) is taken to have its record date the day before it takes effect: the ex-rights date of
    ``effective_date - 1 day``; with neither date (a conditional split recorded with only the day its
    meeting closed), the day before ``applies_from``.
    """
    return ex_rights_date(holders_fixed_on(action), overrides)


def holders_fixed_on(action: CorporateAction) -> date:
    """The action's record date, or the day before it takes effect where none was recorded."""
    if action.record_date is not None:
        return action.record_date
    return (action.effective_date or action.applies_from) - timedelta(days=1)


def _change(action: CorporateAction, overrides: Overrides | None) -> PriceBasisChange:
    return PriceBasisChange(
        corporate_action_id=action.pk,
        basis_from=price_basis_from(action, overrides),
        ratio=Fraction(action.ratio_numerator, action.ratio_denominator),
        kind=action.kind,
        holders_fixed_on=holders_fixed_on(action),
    )


def _approved(companies: Iterable[Company]):
    return CorporateAction.objects.filter(
        company__in=list(companies), status=CorporateAction.Status.APPLIED, kind__in=PRICE_BASIS_KINDS
    ).order_by("pk")


def _in_order(changes: Iterable[PriceBasisChange]) -> list[PriceBasisChange]:
    return sorted(changes, key=lambda change: (change.basis_from, change.corporate_action_id))


def price_basis_changes(
    *, company: Company, after: date | None, until: date, overrides: Overrides | None = None
) -> list[PriceBasisChange]:
    """The company's approved splits and consolidations whose prices change basis after ``after``
    (every one since the start when None) and on or before ``until``, in date order. One query.

    ``overrides`` are staff's trading-calendar overrides, which move the ex-rights date with them.
    """
    changes = (_change(action, overrides) for action in _approved([company]))
    return _in_order(
        change
        for change in changes
        if (after is None or change.basis_from > after) and change.basis_from <= until
    )


def company_price_basis_changes(
    *, companies: Iterable[Company], overrides: Overrides | None = None
) -> dict[int, list[PriceBasisChange]]:
    """Every approved price basis change of each company (company id -> changes in date order), in
    one query: for pages that list several companies."""
    by_company: dict[int, list[PriceBasisChange]] = {}
    for action in _approved(companies):
        by_company.setdefault(action.company_id, []).append(_change(action, overrides))
    return {company_id: _in_order(changes) for company_id, changes in by_company.items()}
