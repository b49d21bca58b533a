"""The holders list (docs/domain.md R63): a page of rows, searched, sorted and filtered, with totals.

Every sort is an index of ``holders_holder`` (migration 0007) read in order with ``LIMIT``; the
filters are ``EXISTS`` on the open positions (the partial unique index on holder, company, title);
the totals of the whole filtered set are one aggregate query, whose count also sizes the pages,
or, for every holder unsearched and unfiltered, the one row of the holder tally.
Rights held are not a column here: this app is below grants (docs/architecture.md), and the rights
are on the series pages and the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from equityplan.forms import search_text, whole_number

from .. import tally
from ..models import Holder, HolderAddress, Position
from .paging import ListPage, list_page

# sort key -> (label, ORDER BY); each ORDER BY is one index of migration 0007, read forwards or backwards.
HOLDER_SORTS = {
    "name": (_("Name"), ("name", "pk")),
    "-name": (_("Name, Z to A"), ("-name", "-pk")),
    "kana": (_("Kana"), ("name_kana", "name", "pk")),
    "-kana": (_("Kana, descending"), ("-name_kana", "-name", "-pk")),
    "new": (_("Newest first"), ("-created_at", "-pk")),
    "old": (_("Oldest first"), ("created_at", "pk")),
}
HOLDER_STATUSES = {
    "in_office": _("In office"),
    "out_of_office": _("Out of office"),
    "deceased": _("Deceased"),
}
HOLDER_ROLES = dict(Position.Title.choices)

_HIRAGANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def holder_search_q(query: str, *, prefix: str = "") -> Q:
    """Name, kana or e-mail containing ``query``; kana typed in hiragana also finds katakana."""
    katakana = query.translate(_HIRAGANA)
    found = (
        Q(**{f"{prefix}name__icontains": query})
        | Q(**{f"{prefix}name_kana__icontains": query})
        | Q(**{f"{prefix}email__icontains": query})
    )
    if katakana != query:
        found |= Q(**{f"{prefix}name_kana__icontains": katakana}) | Q(
            **{f"{prefix}name__icontains": katakana}
        )
    return found


def open_positions(*, company_id: int | None = None, title: str | None = None, ref: str = "pk") -> Exists:
    """Whether the holder (``OuterRef(ref)``) holds an office now (at the company, with the title)."""
    positions = Position.objects.filter(holder_id=OuterRef(ref), ended_on__isnull=True)
    if company_id is not None:
        positions = positions.filter(company_id=company_id)
    if title is not None:
        positions = positions.filter(title=title)
    return Exists(positions)


def _open_position_holders(company_id: int | None):
    positions = Position.objects.filter(ended_on__isnull=True)
    if company_id is not None:
        positions = positions.filter(company_id=company_id)
    return positions.values("holder_id")


@dataclass(frozen=True)
class HolderListQuery:
    """The list's query string, read: anything unknown or malformed is the default, never an error."""

    q: str = ""
    sort: str = "name"
    status: str = ""
    role: str = ""
    company_id: int | None = None

    @classmethod
    def from_params(cls, params, *, company_ids) -> HolderListQuery:
        sort = str(params.get("sort") or "name")
        status = str(params.get("status") or "")
        role = str(params.get("role") or "")
        company = whole_number(params.get("company"))
        return cls(
            q=search_text(params.get("q")),
            sort=sort if sort in HOLDER_SORTS else "name",
            status=status if status in HOLDER_STATUSES else "",
            role=role if role in HOLDER_ROLES else "",
            company_id=company if company is not None and company in set(company_ids) else None,
        )

    @property
    def narrows(self) -> bool:
        """Whether a search or a filter selects some of the holders (a sort selects none)."""
        return bool(self.q or self.status or self.role or self.company_id is not None)

    def params(self, **change) -> dict[str, str]:
        """The query string of this list with ``change`` applied (for the sort links and pages)."""
        values = {
            "q": self.q,
            "sort": self.sort,
            "status": self.status,
            "role": self.role,
            "company": "" if self.company_id is None else str(self.company_id),
            **change,
        }
        return {k: v for k, v in values.items() if v}


def _filtered(holders: QuerySet[Holder], query: HolderListQuery) -> QuerySet[Holder]:
    if query.q:
        holders = holders.filter(holder_search_q(query.q))
    if query.company_id is not None:
        holders = holders.filter(
            Q(Exists(Position.objects.filter(holder_id=OuterRef("pk"), company_id=query.company_id)))
            | Q(pk__in=Holder.objects.filter(holdings__series__company_id=query.company_id).values("pk"))
        )
    if query.role:
        holders = holders.filter(open_positions(company_id=query.company_id, title=query.role))
    in_office = open_positions(company_id=query.company_id)
    if query.status == "in_office":
        holders = holders.filter(in_office, died_on__isnull=True)
    elif query.status == "out_of_office":
        holders = holders.filter(~in_office, died_on__isnull=True)
    elif query.status == "deceased":
        holders = holders.filter(died_on__isnull=False)
    return holders


def holder_list_page(
    holders: QuerySet[Holder], query: HolderListQuery, *, page: object, every_holder: bool = False
) -> ListPage:
    """Page ``page`` of the visible ``holders`` under ``query``: 4 queries whatever their number
    (the totals with the count, the page, the open positions and the addresses of its 50 rows).

    ``every_holder``: ``holders`` is every holder; unsearched and unfiltered, the totals are then the
    tally's one row (holders/tally.py), not a count of them all."""
    filtered = _filtered(holders, query)
    totals = tally.kept() if every_holder and not query.narrows else None
    if totals is None:
        # In an aggregate's FILTER an EXISTS is probed once per row; an uncorrelated IN is hashed once.
        in_office = Q(pk__in=_open_position_holders(query.company_id), died_on__isnull=True)
        totals = filtered.aggregate(
            holders=Count("pk"),
            in_office=Count("pk", filter=in_office),
            deceased=Count("pk", filter=Q(died_on__isnull=False)),
        )
    totals["out_of_office"] = totals["holders"] - totals["in_office"] - totals["deceased"]
    office_now = Position.objects.filter(ended_on__isnull=True).order_by("started_on", "pk")
    if query.company_id is not None:
        office_now = office_now.filter(company_id=query.company_id)
    # In the addresses' own order: their default, by holder name, would join every holder.
    addresses = HolderAddress.objects.order_by("holder_id", "valid_from")
    rows = filtered.order_by(*HOLDER_SORTS[query.sort][1]).prefetch_related(
        Prefetch("positions", queryset=office_now, to_attr="open_positions"),
        Prefetch("addresses", queryset=addresses),
    )
    return list_page(rows, totals=totals, count_key="holders", page=page)
