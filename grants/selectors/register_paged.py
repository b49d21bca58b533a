"""The register page's reads: a page of entries, the totals and the counts, each one query over the
lines' states on the date, so the page costs what it shows (docs/adr/0008-register-projection.md)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from grants.domain.register import FLOWS
from grants.models import RegisterLineState, Series
from holders.models import Holder, HolderAddress

from .register import (
    LineFigures,
    RegisterRow,
    RegisterSeriesTotal,
    addresses_on,
    register_row,
    register_shares_per_right,
    scoped,
    states_on,
)

# The page's sorts within a series: the database's order for each, then the register's own (by name).
ORDER_OF_SORT: dict[str, tuple[str, ...]] = {
    "": (),
    "holder": ("holder__name", "holder__name_kana"),
    "-holder": ("-holder__name", "-holder__name_kana"),
    "rights": ("rights",),
    "-rights": ("-rights",),
    "shares": ("rights",),  # one number of shares per right in a series: the same order
    "-shares": ("-rights",),
    "acquired": ("acquired_on",),
    "-acquired": ("-acquired_on",),
}


@dataclass(frozen=True)
class RegisterScope:
    as_of: date
    known_on: date | None = None
    series: Series | None = None
    companies: Collection[int] | None = None

    def states(self) -> QuerySet[RegisterLineState]:
        return scoped(states_on(self.as_of), series=self.series, companies=self.companies)

    def entries(self, query: str = "") -> QuerySet[RegisterLineState]:
        """The lines holding rights on the date, those whose holder (or, for the company's own
        rights, the issuer) matches ``query``."""
        entries = self.states().filter(rights__gt=0)
        if query:
            entries = entries.filter(
                Q(holder__name__icontains=query)
                | Q(holder__name_kana__icontains=query)
                | Q(holder__isnull=True, series__company__name__icontains=query)
                | Q(holder__isnull=True, series__company__name_ja__icontains=query)
            )
        return entries


def register_totals(scope: RegisterScope) -> list[RegisterSeriesTotal]:
    """Each series' total on the date, from one aggregate over its lines' states."""
    holder_line = Q(rights__gt=0, holder__isnull=False)
    company_line = Q(rights__gt=0, holder__isnull=True)
    figures = (
        scope.states()
        .values("series_id")
        .order_by("series_id")
        .annotate(
            holders=Count("pk", filter=holder_line),
            held_by_holders=Coalesce(Sum("rights", filter=holder_line), 0),
            held_by_company=Coalesce(Sum("rights", filter=company_line), 0),
            **{name: Coalesce(Sum(name), 0) for name in FLOWS},
        )
    )
    by_id = {row.pop("series_id"): row for row in figures}
    series_by_id = _series(by_id)
    totals = [
        RegisterSeriesTotal(
            series=series_by_id[pk],
            shares_per_right=register_shares_per_right(series_by_id[pk], scope.as_of, scope.known_on),
            **row,
        )
        for pk, row in by_id.items()
    ]
    totals.sort(key=lambda t: (t.series.company.name, t.series.number, t.series.pk))
    return totals


def _series(ids) -> dict[int, Series]:
    return {
        s.pk: s
        for s in Series.objects.filter(pk__in=list(ids))
        .select_related("company")
        .prefetch_related("share_adjustments")
    }


def register_holder_count(scope: RegisterScope) -> int:
    """The holders on the register on the date, each once however many series they hold."""
    return scope.entries().filter(holder__isnull=False).aggregate(n=Count("holder_id", distinct=True))["n"]


def register_match_counts(scope: RegisterScope, query: str) -> dict[int, int]:
    """Per series, the entries that match the search."""
    return dict(
        scope.entries(query)
        .values("series_id")
        .order_by("series_id")
        .annotate(n=Count("pk"))
        .values_list("series_id", "n")
    )


def _in_register_order(states: QuerySet[RegisterLineState], sort: str = "") -> QuerySet[RegisterLineState]:
    """By series as the sections are, the holders sorted by ``sort`` then by name, then the
    company's own rights."""
    return states.annotate(
        company_line=Case(
            When(holder__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by(
        "series__company_id",
        "series__number",
        "series_id",
        "company_line",
        *ORDER_OF_SORT[sort],
        "holder__name",
        "holder_id",
    )


def _row_of(state: RegisterLineState, total: RegisterSeriesTotal, address: str) -> RegisterRow:
    holder: Holder | None = state.holder
    line = LineFigures(
        rights=state.rights,
        acquired_on=state.acquired_on,
        lots=tuple((origin, date.fromisoformat(on), n) for origin, on, n in state.lots),
        flows={},
    )
    return register_row(
        total.series,
        holder,
        line,
        shares_per_right=total.shares_per_right,
        address=total.series.company.address if holder is None else address,
    )


def register_entries(scope: RegisterScope, *, totals: list[RegisterSeriesTotal]) -> Iterator[RegisterRow]:
    """Every entry in the register's order, one at a time from a server-side cursor (PostgreSQL),
    each with its holder's address on the date: memory flat however many there are."""
    address = Subquery(
        HolderAddress.objects.filter(holder_id=OuterRef("holder_id"), valid_from__lte=scope.as_of)
        .order_by("-valid_from", "-pk")
        .values("address")[:1]
    )
    series_by_id = {t.series.pk: t for t in totals}
    states = _in_register_order(scope.entries()).annotate(address_on=address).select_related("holder")
    for state in states.iterator(chunk_size=2000):
        yield _row_of(state, series_by_id[state.series_id], state.address_on or "")


def register_page_rows(
    scope: RegisterScope,
    *,
    totals: list[RegisterSeriesTotal],
    query: str,
    sort: str,
    offset: int,
    limit: int,
) -> list[RegisterRow]:
    """The entries from ``offset`` in the page's order; queries: two (the entries with their
    holders, the holders' addresses on the date)."""
    page = list(
        _in_register_order(scope.entries(query), sort).select_related("holder")[offset : offset + limit]
    )
    series_by_id = {t.series.pk: t for t in totals}
    addresses = addresses_on(scope.as_of, [s.holder_id for s in page if s.holder_id is not None])
    return [
        _row_of(state, series_by_id[state.series_id], addresses.get(state.holder_id or 0, ""))
        for state in page
    ]
