"""The register as a document (Art 249): the issuer, then one section per series with its terms,
its holders, the company's own rights and a subtotal. The page, the PDF, the CSV and the Excel
workbook all read these sections, so they have the same structure (docs/domain.md reading R39)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import Company
from grants.models import Series
from grants.selectors.register import RegisterRow, RegisterSeriesTotal


@dataclass(frozen=True)
class RegisterSection:
    series: Series
    shares_per_right: int
    holder_rows: list[RegisterRow]
    company_rows: list[RegisterRow]
    balance: RegisterSeriesTotal | None

    @property
    def company(self) -> Company:
        return self.series.company

    @property
    def rows(self) -> list[RegisterRow]:
        return [*self.holder_rows, *self.company_rows]

    # The figures are the series' total when it has one (the same sums, from the whole series even
    # when the rows are one page of it), else the rows' own.
    @property
    def holder_count(self) -> int:
        if self.balance is not None:
            return self.balance.holders
        return len({r.holder.pk for r in self.holder_rows if r.holder is not None})

    @property
    def holder_rights(self) -> int:
        if self.balance is not None:
            return self.balance.held_by_holders
        return sum(r.rights for r in self.holder_rows)

    @property
    def company_rights(self) -> int:
        if self.balance is not None:
            return self.balance.held_by_company
        return sum(r.rights for r in self.company_rows)

    @property
    def entry_count(self) -> int:
        """The section's entries on the date: its holders' and the company's own."""
        return self.holder_count + (1 if self.company_rights > 0 else 0)

    @property
    def rights(self) -> int:
        return self.holder_rights + self.company_rights

    @property
    def shares(self) -> int:
        return self.rights * self.shares_per_right

    @property
    def exercise_price_per_share_yen(self) -> Decimal:
        return self.series.exercise_price_per_share_yen

    @property
    def exercise_period(self) -> tuple[date, date]:
        return self.series.exercise_period_start, self.series.exercise_period_end

    @property
    def conditions(self) -> list[str]:
        """The exercise and transfer conditions in short (clauses (7), (11)); the notice has them in full."""
        s = self.series
        items = [
            ngettext(
                "Exercisable only within %(n)d day after losing office as director, officer or employee.",
                "Exercisable only within %(n)d days after losing office as director, officer or employee.",
                s.departure_window_days,
            )
            % {"n": s.departure_window_days},
            (
                ngettext(
                    "One heir may exercise within %(n)d month of the death.",
                    "One heir may exercise within %(n)d months of the death.",
                    s.heir_window_months,
                )
                % {"n": s.heir_window_months}
                if s.heir_allowed
                else _("The rights are not inherited.")
            ),
        ]
        if s.all_at_once_exercise:
            items.append(_("All rights must be exercised at once."))
        if s.transfer_requires_board_approval:
            items.append(_("A transfer needs the board's approval."))
        if s.transfer_prohibited_by_allotment_terms:
            items.append(_("The allotment agreement forbids transfer, pledge or other disposal."))
        if s.other_conditions:
            items.append(s.other_conditions)
        return items

    def terms_text(self) -> str:
        """The terms on one line, for the CSV and the Excel sheet."""
        start, end = self.exercise_period
        return _(
            "%(spr)s %(cls)s per right; exercise price %(price)s yen per share; exercisable %(start)s to %(end)s"
        ) % {
            "spr": f"{self.shares_per_right:,}",
            "cls": _(self.series.share_class),
            "price": f"{self.exercise_price_per_share_yen.normalize():,f}",
            "start": start.isoformat(),
            "end": end.isoformat(),
        }


def register_sections(rows: list[RegisterRow], totals: list[RegisterSeriesTotal]) -> list[RegisterSection]:
    """Group the register's entries by series, in the register's order; a series with no entry on
    the date but a balance (all exercised, say) still gets its section."""
    by_series: dict[int, tuple[list[RegisterRow], list[RegisterRow]]] = {}
    series_of: dict[int, Series] = {}
    spr: dict[int, int] = {}
    for row in rows:
        own, holders = by_series.setdefault(row.series.pk, ([], []))
        (own if row.company_held else holders).append(row)
        series_of[row.series.pk] = row.series
        spr.setdefault(row.series.pk, row.shares_per_right)
    balance = {t.series.pk: t for t in totals}
    for t in totals:
        series_of.setdefault(t.series.pk, t.series)
        spr.setdefault(t.series.pk, t.shares_per_right)
        by_series.setdefault(t.series.pk, ([], []))
    return [
        RegisterSection(
            series=series_of[pk],
            shares_per_right=spr[pk],
            holder_rows=by_series[pk][1],
            company_rows=by_series[pk][0],
            balance=balance.get(pk),
        )
        for pk in sorted(series_of, key=lambda pk: (series_of[pk].company_id, series_of[pk].number, pk))
    ]


def issuers(sections: list[RegisterSection]) -> list[Company]:
    seen: dict[int, Company] = {}
    for section in sections:
        seen.setdefault(section.company.pk, section.company)
    return list(seen.values())
