"""A page of a list whose size is already known from the list's totals (docs/domain.md R63).

The totals of a list come from one aggregate query that also counts the rows; the paginator takes
that count instead of issuing a second ``COUNT``, and the page asked for is read as a page that exists
(``equityplan.forms.page_number``), so a hostile ``?page=`` costs one clamped ``LIMIT ... OFFSET``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator

from equityplan.forms import page_number

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told its count (from the list's aggregate) rather than counting again."""

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@dataclass(frozen=True)
class ListPage:
    page: Page
    rows: list[Any]
    totals: dict[str, int]

    @property
    def paginator(self) -> Paginator:
        return self.page.paginator


def list_page(queryset, *, totals: dict[str, int], count_key: str, page: object, size: int = PAGE_SIZE):
    """The rows of page ``page`` of ``queryset`` (ordered), with the list's ``totals``."""
    count = int(totals.get(count_key) or 0)
    paginator = CountedPaginator(queryset, size, count=count)
    number = page_number(page, last=paginator.num_pages)
    current = paginator.page(number)
    return ListPage(page=current, rows=list(current.object_list), totals=totals)
