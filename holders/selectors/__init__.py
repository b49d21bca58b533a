"""Reads of holders for the lists: a page of rows, its search, sorts, filters and totals."""

from .holder_list import (
    HOLDER_ROLES,
    HOLDER_SORTS,
    HOLDER_STATUSES,
    HolderListQuery,
    holder_list_page,
    holder_search_q,
)
from .paging import PAGE_SIZE, ListPage, list_page

__all__ = [
    "HOLDER_ROLES",
    "HOLDER_SORTS",
    "HOLDER_STATUSES",
    "PAGE_SIZE",
    "HolderListQuery",
    "ListPage",
    "holder_list_page",
    "holder_search_q",
    "list_page",
]
