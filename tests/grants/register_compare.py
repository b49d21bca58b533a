"""Compare the register read from its projection with the register replayed from the events."""

from datetime import timedelta

from grants.models import LedgerEvent, RegisterHolderCount, RegisterLineState, RegisterSeriesTotals
from grants.selectors.register import Register, RegisterScope, register_with_totals_as_of
from grants.selectors.register_paged import register_holder_count
from grants.selectors.register_replay import register_replayed
from grants.services.register_lines import register_rebuild
from grants.services.register_totals import register_totals_rebuild


def register_figures(register: Register) -> tuple:
    rows = [
        (
            r.series.pk,
            r.holder.pk if r.holder else None,
            r.rights,
            r.acquired_on,
            r.lots,
            r.address,
            r.shares_per_right,
        )
        for r in register.rows
    ]
    totals = [
        (
            t.series.pk,
            t.holders,
            t.held_by_holders,
            t.held_by_company,
            t.allotted,
            t.exercised,
            t.lapsed,
            t.cancelled,
            t.restructured,
        )
        for t in register.totals
    ]
    return rows, totals


def states() -> list[tuple]:
    return sorted(
        RegisterLineState.objects.values_list(
            "series_id",
            "holder_id",
            "valid_from",
            "valid_until",
            "rights",
            "acquired_on",
            "lots",
            "allotted",
            "exercised",
            "lapsed",
            "cancelled",
            "restructured",
        ),
        key=lambda r: (r[0], r[1] or 0, r[2]),
    )


def totals_rows() -> tuple[list, list]:
    """The totals per date, without the rows that change nothing (equal to the row before them, or
    to nothing for a key's first row): a rebuild writes only the others."""
    series = RegisterSeriesTotals.objects.order_by("series_id", "on").values_list(
        "series_id",
        "on",
        "holders",
        "held_by_holders",
        "held_by_company",
        "allotted",
        "exercised",
        "lapsed",
        "cancelled",
        "restructured",
    )
    holders = RegisterHolderCount.objects.order_by("company_id", "on").values_list(
        "company_id", "on", "holders"
    )
    return _changing(series), _changing(holders)


def _changing(rows) -> list:
    kept, before = [], (None, ())
    for row in rows:
        figures = row[2:]
        if figures != (before[1] if before[0] == row[0] else tuple(0 for _ in figures)):
            kept.append(row)
        before = (row[0], figures)
    return kept


def holders_by_issuer(register: Register) -> int:
    """The holders on the register, each once per issuer (docs/domain.md R69)."""
    return len({(r.series.company_id, r.holder.pk) for r in register.rows if r.holder is not None})


def assert_projection_equals_replay(*, rebuild: bool = True) -> None:
    """On the day before, of and after each effective date in the ledger: the same register, per
    series and per holder too; and a rebuild from the ledger writes the same states."""
    days = set()
    for on in LedgerEvent.objects.values_list("effective_date", flat=True).distinct():
        days |= {on - timedelta(days=1), on, on + timedelta(days=1)}
    series_ids = set(LedgerEvent.objects.exclude(series=None).values_list("series_id", flat=True))
    for on in sorted(days):
        replayed = register_replayed(as_of=on)
        assert register_figures(register_with_totals_as_of(as_of=on)) == register_figures(replayed), on
        assert register_holder_count(RegisterScope(as_of=on)) == holders_by_issuer(replayed), on
    last = max(days, default=None)
    if last is not None:
        from grants.models import Series
        from holders.models import Holder

        for series in Series.objects.filter(pk__in=series_ids):
            assert register_figures(
                register_with_totals_as_of(as_of=last, series=series)
            ) == register_figures(register_replayed(as_of=last, series=series))
        for holder in Holder.objects.all():
            assert register_figures(
                register_with_totals_as_of(as_of=last, holder=holder)
            ) == register_figures(register_replayed(as_of=last, holder=holder))
    if rebuild:
        kept, kept_totals = states(), totals_rows()
        register_rebuild()
        register_totals_rebuild()
        assert states() == kept
        assert totals_rows() == kept_totals
