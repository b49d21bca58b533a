"""Reads of a series: the list, its page, its holders, its rights balance and lifecycle panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from equityplan.forms import search_text
from grants.models import (
    CompanyAcquisition,
    CompanyHeldRights,
    CorporateAction,
    ExerciseRequest,
    Holding,
    LedgerEvent,
    Lot,
    Restructuring,
    Series,
    ShareAdjustment,
    TransferRequest,
)
from holders.models import Holder, Position
from holders.selectors import ListPage, holder_search_q, list_page


def series_list() -> QuerySet[Series]:
    return (
        Series.objects.select_related("company")
        .prefetch_related("share_adjustments")
        .order_by("company__name", "number")
    )


def series_holdings(*, series: Series) -> QuerySet[Holding]:
    return (
        Holding.objects.filter(series=series)
        .select_related("holder")
        .prefetch_related("holder__positions")
        .order_by("holder__name", "pk")
    )


# The series page's holders (docs/domain.md R64): sort key -> (label, ORDER BY). By rights and by date
# acquired the order is an index of grants_holding (series, column, id); by name it is the holders'
# name index joined to the unique (series, holder).
SERIES_HOLDER_SORTS = {
    "name": (_("Name"), ("holder__name", "holder_id")),
    "-name": (_("Name, Z to A"), ("-holder__name", "-holder_id")),
    "-rights": (_("Most rights first"), ("-rights", "-pk")),
    "rights": (_("Fewest rights first"), ("rights", "pk")),
    "acquired": (_("Acquired, oldest first"), ("acquired_on", "pk")),
    "-acquired": (_("Acquired, newest first"), ("-acquired_on", "-pk")),
}
SERIES_HOLDER_FILTERS = {
    "in_office": _("In office at the issuer"),
    "departed": _("Out of office (living)"),
    "deceased": _("Deceased"),
    "heirs": _("Holding succeeded rights"),
}


@dataclass(frozen=True)
class SeriesHoldersQuery:
    """The holders section's own query string (``holders_q``, ``holders_sort``, ``holders_filter``,
    ``holders_page``), so it clashes with nothing else on the page; anything unknown is the default."""

    q: str = ""
    sort: str = "name"
    filter: str = ""

    @classmethod
    def from_params(cls, params) -> SeriesHoldersQuery:
        sort = str(params.get("holders_sort") or "name")
        chosen = str(params.get("holders_filter") or "")
        return cls(
            q=search_text(params.get("holders_q")),
            sort=sort if sort in SERIES_HOLDER_SORTS else "name",
            filter=chosen if chosen in SERIES_HOLDER_FILTERS else "",
        )

    def params(self, **change) -> dict[str, str]:
        values = {"holders_q": self.q, "holders_sort": self.sort, "holders_filter": self.filter, **change}
        return {k: v for k, v in values.items() if v and not (k == "holders_sort" and v == "name")}


def _series_holder_conditions(series: Series, *, for_rows: bool) -> dict[str, Q]:
    """The filters, as EXISTS for a page's rows (probed until the page is full) or as uncorrelated IN
    for the totals' aggregate (hashed once, not probed for every holding of the series; each read
    from a partial index alone, so the aggregate joins no holder)."""
    at_issuer = Position.objects.filter(company_id=series.company_id, ended_on__isnull=True)
    succeeded = Lot.objects.filter(origin=Lot.Origin.SUCCEEDED)
    if for_rows:
        in_office = Q(Exists(at_issuer.filter(holder_id=OuterRef("holder_id"))))
        heirs = Q(Exists(succeeded.filter(holding_id=OuterRef("pk"))))
        deceased = Q(holder__died_on__isnull=False)
    else:
        in_office = Q(holder_id__in=at_issuer.values("holder_id"))
        heirs = Q(pk__in=succeeded.filter(holding__series=series).values("holding_id"))
        deceased = Q(holder_id__in=Holder.objects.filter(died_on__isnull=False).values("pk"))
    return {
        "in_office": in_office & ~deceased,
        "departed": ~in_office & ~deceased,
        "deceased": deceased,
        "heirs": heirs,
    }


def _matching(series: Series, query: SeriesHoldersQuery, *, for_rows: bool) -> Q:
    matching = Q()
    if query.q:
        matching &= holder_search_q(query.q, prefix="holder__")
    if query.filter:
        matching &= _series_holder_conditions(series, for_rows=for_rows)[query.filter]
    return matching


def series_holders_page(*, series: Series, query: SeriesHoldersQuery, page: object) -> ListPage:
    """Page ``page`` of the series' holdings under ``query``, with the totals of the whole series and
    of the rows that match, in one aggregate (3 queries whatever the number of holders)."""
    conditions = _series_holder_conditions(series, for_rows=False)
    matching = _matching(series, query, for_rows=False)
    holdings = Holding.objects.filter(series=series)
    totals = holdings.aggregate(
        holders=Count("pk"),
        all_rights=Sum("rights", default=0),
        matching=Count("pk", filter=matching or None),
        matching_rights=Sum("rights", filter=matching or None, default=0),
        in_office=Count("pk", filter=conditions["in_office"]),
        deceased=Count("pk", filter=conditions["deceased"]),
        heirs=Count("pk", filter=conditions["heirs"]),
    )
    totals["departed"] = totals["holders"] - totals["in_office"] - totals["deceased"]
    rows = (
        holdings.filter(_matching(series, query, for_rows=True))
        .select_related("holder")
        .prefetch_related(
            Prefetch(
                "holder__positions",
                queryset=Position.objects.filter(company_id=series.company_id, ended_on__isnull=True),
                to_attr="issuer_office_now",
            )
        )
        .order_by(*SERIES_HOLDER_SORTS[query.sort][1])
    )
    return list_page(rows, totals=totals, count_key="matching", page=page)


def series_recent_events(*, series: Series, limit: int = 20) -> QuerySet[LedgerEvent]:
    """The series' latest events: their ids by the (series, recorded_at, id) index first, then the joins
    for those rows only (docs/reliability.md fact 20)."""
    order = ("-recorded_at", "-pk")
    latest = list(
        LedgerEvent.objects.filter(series=series).order_by(*order).values_list("pk", flat=True)[:limit]
    )
    return (
        LedgerEvent.objects.filter(pk__in=latest)
        .select_related("holder", "recorded_by", "approved_by")
        .order_by(*order)
    )


def series_detail(*, pk: int) -> Series:
    return (
        Series.objects.select_related("company")
        .prefetch_related(
            Prefetch("share_adjustments", queryset=ShareAdjustment.objects.order_by("applies_from")),
            "planned_allotments",
        )
        .get(pk=pk)
    )


def holders_for_allotment(*, series: Series, on: date) -> QuerySet[Holder]:
    """Living holders in office at the series' issuer on the allotment date: whom rights can go to."""
    in_office = Position.objects.filter(company_id=series.company_id, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )
    return (
        Holder.objects.filter(died_on__isnull=True, pk__in=in_office.values("holder_id"))
        .distinct()
        .order_by("name")
    )


OUTFLOW_TYPES = {
    LedgerEvent.Type.EXERCISED: "exercised",
    LedgerEvent.Type.LAPSED: "lapsed",
    LedgerEvent.Type.ACQUIRED_BY_COMPANY: "acquired_by_company",
    LedgerEvent.Type.RESTRUCTURED: "restructured",
}


def series_rights_balance(*, series: Series) -> dict:
    """The register balance of a series, from the ledger and the holdings.

    allotted = held by holders + held by the company + exercised + lapsed + cancelled + passed to a
    successor series (restructured). ``ledger_matches_holdings`` checks, per holder, that the sum of the
    ledger's rights deltas equals the holding.
    """
    held = Holding.objects.filter(series=series).aggregate(total=Sum("rights"))["total"] or 0
    company = CompanyHeldRights.objects.filter(series=series).first()
    sums = dict(
        LedgerEvent.objects.filter(series=series, event_type__in=list(OUTFLOW_TYPES), rights_delta__lt=0)
        .values_list("event_type")
        .annotate(total=Sum("rights_delta"))
    )
    out = {name: -(sums.get(t) or 0) for t, name in OUTFLOW_TYPES.items()}
    balance = {
        "allotted": series.allotted_rights,
        "held_by_holders": held,
        "held_by_company": company.rights if company else 0,
        "cancelled": company.cancelled_rights if company else 0,
        "exercised": out["exercised"],
        "lapsed": out["lapsed"],
        "restructured": out["restructured"],
    }
    balance["accounted"] = sum(v for k, v in balance.items() if k != "allotted")
    balance["ledger_matches_holdings"] = _ledger_matches_holdings(series)
    balance["balanced"] = balance["accounted"] == balance["allotted"] and balance["ledger_matches_holdings"]
    return balance


def _ledger_matches_holdings(series: Series) -> bool:
    """Per holder, the ledger's sum for the series equals the holding (no holding counts as 0),
    compared in the database by one hash join, rather than every holder's row read into Python.
    A count, not ``LIMIT 1``: the holdings agree, so every row is read anyway, and under a LIMIT the
    planner would bet on stopping early and read the holdings in holder order (25x slower)."""
    sql = f"""
        SELECT COUNT(*) FROM (
            SELECT holder_id, SUM(rights_delta) AS total FROM {LedgerEvent._meta.db_table}
            WHERE series_id = %s AND holder_id IS NOT NULL GROUP BY holder_id
        ) AS ledger
        FULL OUTER JOIN (
            SELECT holder_id, rights FROM {Holding._meta.db_table} WHERE series_id = %s
        ) AS held ON held.holder_id = ledger.holder_id
        WHERE COALESCE(ledger.total, 0) <> COALESCE(held.rights, 0)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [series.pk, series.pk])
        return cursor.fetchone()[0] == 0


def series_lifecycle_context(*, series: Series) -> dict:
    """The series page's lifecycle panel: corporate actions, acquisition, restructuring, balance."""
    return {
        "corporate_actions": list(
            CorporateAction.objects.filter(company_id=series.company_id).select_related(
                "requested_by", "decided_by"
            )[:20]
        ),
        "acquisition": CompanyAcquisition.objects.filter(series=series).first(),
        "company_held": CompanyHeldRights.objects.filter(series=series).first(),
        "restructuring": Restructuring.objects.filter(original_series=series)
        .select_related("successor_series")
        .first(),
        "restructured_from": Restructuring.objects.filter(successor_series=series)
        .select_related("original_series")
        .first(),
        "balance": series_rights_balance(series=series),
        "open_transfers": list(
            TransferRequest.objects.filter(
                series=series, status__in=TransferRequest.OPEN_STATUSES
            ).select_related("transferor", "transferee")
        ),
        "open_exercises": list(
            ExerciseRequest.objects.filter(
                series=series, status=ExerciseRequest.Status.REQUESTED
            ).select_related("holder")
        ),
    }


def series_lifecycle_panel(*, series: Series, on: date) -> dict:
    """Series page provider (SeriesDetailView.extra_context_providers): the lifecycle panel."""
    return {**series_lifecycle_context(series=series), "panels": ["grants/_series_panel.html"]}
