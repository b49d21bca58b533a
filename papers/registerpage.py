"""The register page's search, sort and pages. The page shows a slice of the register; the
subtotals and totals are the whole register's on the date, and the company's own rights stay in
their series' section (docs/domain.md §2.7). The CSV, PDF and Excel files never go through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import QueryDict

from equityplan.forms import nfkc, page_number, search_text
from grants.models import Series
from grants.selectors.register import ORDER_OF_SORT, RegisterRow, RegisterScope, register_totals
from grants.selectors.register_paged import register_match_counts, register_page_rows

from .registerdoc import RegisterSection

PAGE_SIZE = 100
# The parameters of the page alone; the files ignore them and are always the whole register.
PAGE_PARAMETERS = ("q", "sort", "page")


SORTS = frozenset(ORDER_OF_SORT) - {""}


def read_sort(value: object) -> str:
    """A known ``?sort=``, or "" (the register's own order) for anything else."""
    text = nfkc(value) if value is not None else ""
    return text if text in SORTS else ""


def read_query(value: object) -> str:
    return search_text(value)


@dataclass(frozen=True)
class PageSection:
    """A series' section as one page shows it: this page's rows, the whole section's subtotal."""

    whole: RegisterSection
    rows: list[RegisterRow]

    @property
    def series(self) -> Series:
        return self.whole.series

    @property
    def shares_per_right(self) -> int:
        return self.whole.shares_per_right

    @property
    def exercise_price_per_share_yen(self) -> Decimal:
        return self.whole.exercise_price_per_share_yen

    @property
    def exercise_period(self) -> tuple[date, date]:
        return self.whole.exercise_period

    @property
    def conditions(self) -> list[str]:
        return self.whole.conditions

    @property
    def holder_count(self) -> int:
        return self.whole.holder_count

    @property
    def company_rights(self) -> int:
        return self.whole.company_rights

    @property
    def rights(self) -> int:
        return self.whole.rights

    @property
    def shares(self) -> int:
        return self.whole.shares


@dataclass(frozen=True)
class RegisterPage:
    sections: list[PageSection]
    number: int
    num_pages: int
    count: int  # the rows that match the search, on every page
    first: int  # 1-based, 0 when nothing matches
    last: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def register_page_of(
    scope: RegisterScope, *, query: str, sort: str, page: object, per_page: int = PAGE_SIZE
) -> tuple[RegisterPage, list]:
    """One page of the register's rows, in its series' order; within a series the holders' rows
    sorted by ``sort``, then the company's own. A series with no entry at all on the date (all
    exercised, say) is shown on the page where it falls. Read from the database: the series'
    totals, the counts that match the search and the page's rows alone; also gives the totals."""
    totals = register_totals(scope)
    sections = sorted(
        (
            RegisterSection(
                series=t.series,
                shares_per_right=t.shares_per_right,
                holder_rows=[],
                company_rows=[],
                balance=t,
            )
            for t in totals
        ),
        key=lambda s: (s.series.company_id, s.series.number, s.series.pk),
    )
    matches = register_match_counts(scope, query) if query else {s.series.pk: s.entry_count for s in sections}
    count = sum(matches.values())
    num_pages = max(1, -(-count // per_page))
    number = page_number(page, last=num_pages)
    start, end = (number - 1) * per_page, min(number * per_page, count)
    rows = (
        register_page_rows(scope, totals=totals, query=query, sort=sort, offset=start, limit=end - start)
        if end > start
        else []
    )
    by_series: dict[int, list[RegisterRow]] = {}
    for row in rows:
        by_series.setdefault(row.series.pk, []).append(row)
    shown: list[PageSection] = []
    position = 0
    for section in sections:
        matched = matches.get(section.series.pk, 0)
        begin, finish = position, position + matched
        position = finish
        if matched and begin < end and finish > start:
            shown.append(PageSection(section, by_series.get(section.series.pk, [])))
        elif not section.entry_count and (start <= begin < end or (begin == count and number == num_pages)):
            shown.append(PageSection(section, []))
    return (
        RegisterPage(
            sections=shown,
            number=number,
            num_pages=num_pages,
            count=count,
            first=start + 1 if count else 0,
            last=end,
        ),
        totals,
    )


def without(params: QueryDict, *names: str) -> str:
    """The query string without ``names``: for the page links (without page) and the files
    (without every page parameter)."""
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
