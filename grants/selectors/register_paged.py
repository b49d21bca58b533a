"""The register page's reads: a page of entries, the totals and the counts, each one query over the
lines' states on the date, so the page costs what it shows (docs/adr/0008-register-projection.md)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from companies.models import Company
from grants.models import RegisterHolderCount

from .register import (
    RegisterRow,
    RegisterScope,
    RegisterSeriesTotal,
    _in_register_order,
    _row_of,
    addresses_on,
    in_force_on,
)


def register_holder_count(scope: RegisterScope) -> int:
    """The holders on the register on the date, each once however many of an issuer's series they
    hold (docs/domain.md R69): the sum of the issuers' holder counts in force on the date (one index
    probe per issuer), or for one series or holder a count of the lines."""
    if scope.series is not None or scope.holder is not None:
        return (
            scope.entries().filter(holder__isnull=False).aggregate(n=Count("holder_id", distinct=True))["n"]
        )
    companies = Company.objects.all()
    if scope.companies is not None:
        companies = companies.filter(pk__in=scope.companies)
    in_force = in_force_on(RegisterHolderCount, "company", scope.as_of, "holders")
    return companies.annotate(holders=in_force).aggregate(n=Coalesce(Sum("holders"), 0))["n"]


def register_match_counts(scope: RegisterScope, query: str) -> dict[int, int]:
    """Per series, the entries that match the search."""
    return dict(
        scope.entries(query)
        .values("series_id")
        .order_by("series_id")
        .annotate(n=Count("pk"))
        .values_list("series_id", "n")
    )


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
