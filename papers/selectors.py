"""Reads for the papers: disclosure table and dashboard, each in a bounded number of queries (the audit
trail is papers.audit)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.db.models import Count, Q, Sum

from grants import selectors as grant_selectors
from grants.models import Allotment, LedgerEvent, RegisterSeriesTotals, Series
from grants.selectors.register import RegisterScope, in_force_on, register_totals
from valuations.models import Valuation

# --- Annual securities report: the stock-option table -------------------------------------------

# Movements between the two dates, by ledger event type (rights leaving are negative deltas).
MOVEMENT_TYPES = {
    "granted": (LedgerEvent.Type.ALLOTTED,),
    "exercised": (LedgerEvent.Type.EXERCISED,),
    "lapsed": (LedgerEvent.Type.LAPSED,),
    "cancelled": (LedgerEvent.Type.CANCELLED, LedgerEvent.Type.ACQUIRED_BY_COMPANY),
    "transferred": (LedgerEvent.Type.TRANSFER_REGISTERED, LedgerEvent.Type.SUCCESSION),
}


@dataclass
class DisclosureColumn:
    """A series on one date: the rights outstanding (holders' rights, which may be exercised) and,
    apart, the company's own rights, which cannot be exercised (Art 280(6); docs/domain.md R7)."""

    on: date
    rights: int
    shares_per_right: int
    company_held: int = 0

    @property
    def shares(self) -> int:
        return self.rights * self.shares_per_right


@dataclass
class DisclosureRow:
    series: Series
    grantees: list[tuple[str, int, int]]  # (category label, persons, rights)
    at_fiscal_year_end: DisclosureColumn
    at_filing_month_end: DisclosureColumn
    amount_paid_per_right_yen: int | None
    movements: dict[str, int] = field(default_factory=dict)

    @property
    def issue_price_per_share_yen(self) -> Decimal | None:
        """Issue price per share: exercise price plus the fair value per share paid at allotment."""
        if self.amount_paid_per_right_yen is None:
            return None
        spr = self.at_fiscal_year_end.shares_per_right or self.at_filing_month_end.shares_per_right
        if not spr:
            return None
        return self.series.exercise_price_per_share_yen + Decimal(self.amount_paid_per_right_yen) / spr

    @property
    def capital_per_share_yen(self) -> Decimal | None:
        """Amount credited to capital per share: half the issue price, rounded up to the yen (6)1."""
        price = self.issue_price_per_share_yen
        if price is None:
            return None
        return (price / 2).quantize(Decimal("1"), rounding=ROUND_CEILING)


def disclosure_table(*, fiscal_year_end: date, filing_month_end: date) -> list[DisclosureRow]:
    """Each series on the register at either date: the two columns and the movements between.

    The rights outstanding are the holders'; the company's own rights are counted apart, and their
    acquisition is a movement out ("cancelled or acquired"), so that the column at the fiscal year
    end less the movements gives the column at the end of the month before filing.
    """
    at_fye: dict[int, int] = defaultdict(int)
    at_fme: dict[int, int] = defaultdict(int)
    own_fye: dict[int, int] = defaultdict(int)
    own_fme: dict[int, int] = defaultdict(int)
    series_by_pk: dict[int, Series] = {}
    for on, outstanding, own in ((fiscal_year_end, at_fye, own_fye), (filing_month_end, at_fme, own_fme)):
        for total in register_totals(RegisterScope(as_of=on)):  # one aggregate, not every entry
            if total.rights:
                outstanding[total.series.pk] += total.held_by_holders
                own[total.series.pk] += total.held_by_company
                series_by_pk[total.series.pk] = total.series
    if not series_by_pk:
        return []
    moves: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MOVEMENT_TYPES, 0))
    type_to_key = {t: key for key, types in MOVEMENT_TYPES.items() for t in types}
    window = (
        LedgerEvent.objects.filter(
            series_id__in=series_by_pk,
            effective_date__gt=fiscal_year_end,
            effective_date__lte=filing_month_end,
            event_type__in=list(type_to_key),
        )
        .values("series_id", "event_type")
        .annotate(rights=Sum("rights_delta"), gross=Sum("rights_delta", filter=Q(rights_delta__gt=0)))
    )
    for entry in window:
        key = type_to_key[entry["event_type"]]
        # Transfers move rights between holders: show the rights moved, not the net zero.
        value = entry["gross"] or 0 if key == "transferred" else abs(entry["rights"] or 0)
        moves[entry["series_id"]][key] += value
    grantees: dict[int, list] = defaultdict(list)
    labels = dict(Allotment._meta.get_field("category").flatchoices)
    for entry in (
        Allotment.objects.filter(series_id__in=series_by_pk)
        .values("series_id", "category")
        .annotate(persons=Count("holder", distinct=True), rights=Sum("rights"))
        .order_by("series_id", "category")
    ):
        grantees[entry["series_id"]].append(
            (labels.get(entry["category"], entry["category"]), entry["persons"], entry["rights"])
        )
    amounts = dict(
        Allotment.objects.filter(series_id__in=series_by_pk, amount_paid_per_right_yen__isnull=False)
        .values_list("series_id", "amount_paid_per_right_yen")
        .order_by("series_id", "pk")
    )
    rows = []
    for pk, series in sorted(series_by_pk.items(), key=lambda kv: (kv[1].company_id, kv[1].number)):
        amount = amounts.get(pk)
        if amount is None:
            amount = _final_amount_per_right(series)
        rows.append(
            DisclosureRow(
                series=series,
                grantees=grantees.get(pk, []),
                at_fiscal_year_end=DisclosureColumn(
                    fiscal_year_end,
                    at_fye.get(pk, 0),
                    grant_selectors.register_shares_per_right(series, fiscal_year_end),
                    own_fye.get(pk, 0),
                ),
                at_filing_month_end=DisclosureColumn(
                    filing_month_end,
                    at_fme.get(pk, 0),
                    grant_selectors.register_shares_per_right(series, filing_month_end),
                    own_fme.get(pk, 0),
                ),
                amount_paid_per_right_yen=amount,
                movements=moves[pk],
            )
        )
    return rows


def final_valuation(series: Series) -> Valuation | None:
    """The series' latest final or approved valuation, the one that fixes the amount paid per right
    (notice (12)), or None while there is none."""
    return (
        Valuation.objects.filter(
            series=series, status__in=[Valuation.Status.FINAL, Valuation.Status.APPROVED]
        )
        .order_by("-valuation_date", "-pk")
        .first()
    )


def _final_amount_per_right(series: Series) -> int | None:
    valuation = final_valuation(series)
    return valuation.amount_per_right_yen if valuation is not None else None


# --- Dashboard ----------------------------------------------------------------------------------


def series_summary() -> list[dict]:
    """Each series with the rights its holders hold and how many they are, after every recorded
    event: its last row of the register's totals (docs/adr/0008-register-projection.md), one index
    probe a series, where summing the holdings read every holding on each view of the dashboard."""
    series = list(
        Series.objects.select_related("company")
        .annotate(last=in_force_on(RegisterSeriesTotals, "series", date.max))
        .order_by("company__name", "number")
    )
    rows = RegisterSeriesTotals.objects.filter(pk__in=[s.last for s in series if s.last is not None])
    figures = {pk: (held, n) for pk, held, n in rows.values_list("series_id", "held_by_holders", "holders")}
    return [
        {"series": s, "rights_held": figures.get(s.pk, (0, 0))[0], "holders": figures.get(s.pk, (0, 0))[1]}
        for s in series
    ]
