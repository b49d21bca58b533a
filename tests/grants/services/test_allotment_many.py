"""Bulk allotment: the records and events of N single allotments, the same refusals, flat queries."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Allotment, AllotmentCategory, Holding, LedgerEvent, Lot, Series
from grants.services import allotment_create, allotments_create_many
from grants.services.allotment import AllotmentRow
from holders import services as holder_services
from jobs.ledger import verify_ledger
from tests.factories import allot, make_holder, make_series
from tests.grants.register_compare import assert_projection_equals_replay

pytestmark = pytest.mark.django_db

D, E = AllotmentCategory.DIRECTOR, AllotmentCategory.EXECUTIVE_OFFICER


def _world(legal, tag: str, *, max_rights: int = 500):
    """A series with one earlier allotment, and five holders (the first holds rights already)."""
    series = make_series(actor=legal, max_rights=max_rights)
    holders = [make_holder(actor=legal, name=f"{tag} {i}") for i in range(5)]
    allot(series=series, holder=holders[0], rights=4, actor=legal)
    return series, holders


# (holder index, rights, category): a holder twice, one who already holds rights, both categories
PLAN = [(1, 3, D), (0, 2, E), (2, 5, D), (1, 1, D), (3, 7, E), (4, 1, D)]


def _picture(series: Series, holders) -> dict:
    """Everything the allotments wrote, with ids replaced by positions so two worlds compare."""
    index = {h.pk: i for i, h in enumerate(holders)}
    allotments = list(Allotment.objects.filter(series=series).order_by("pk"))
    number = {a.pk: n for n, a in enumerate(allotments)}
    events = []
    for e in LedgerEvent.objects.filter(series=series, event_type="allotted").order_by("pk"):
        payload = dict(e.payload, allotment_id=number[e.payload["allotment_id"]])
        events.append(
            (e.holder_id and index[e.holder_id], e.rights_delta, e.effective_date, e.resolution_date,
             e.resolution_reference, e.recorded_by_id, e.approved_by_id, payload)
        )  # fmt: skip
    return {
        "allotments": [
            (index[a.holder_id], a.rights, a.category, a.allotted_on, a.recorded_by_id) for a in allotments
        ],
        "holdings": sorted(
            (index[h.holder_id], h.rights, h.acquired_on) for h in Holding.objects.filter(series=series)
        ),
        "lots": [
            (
                index[lot.holding.holder_id],
                lot.rights,
                lot.origin,
                index[lot.allottee_id],
                lot.acquired_on,
                number[lot.allotment_id],
            )
            for lot in Lot.objects.filter(holding__series=series)
            .select_related("holding")
            .order_by("allotment_id")
        ],  # fmt: skip
        "events": events,
        "allotted": Series.objects.get(pk=series.pk).allotted_rights,
    }


def test_bulk_writes_what_single_allotments_write(legal):
    one_series, one_holders = _world(legal, "One")
    for i, rights, category in PLAN:
        allotment_create(
            series=one_series, holder=one_holders[i], rights=rights, category=category, actor=legal
        )
    many_series, many_holders = _world(legal, "Many")

    made = allotments_create_many(
        series=many_series,
        rows=[AllotmentRow(holder=many_holders[i], rights=r, category=c) for i, r, c in PLAN],
        actor=legal,
        batch_size=4,
    )

    assert len(made) == len(PLAN)
    single, bulk = _picture(one_series, one_holders), _picture(many_series, many_holders)
    assert bulk == single
    assert bulk["allotted"] == 4 + sum(r for _, r, _ in PLAN)
    assert [e[-1]["allotted_rights_after"] for e in bulk["events"]] == [4, 7, 9, 14, 15, 22, 23]
    outcome = verify_ledger()
    assert outcome.ok, outcome.problems
    assert_projection_equals_replay()  # the register's projection, written in bulk, is exact


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"rights": 0}, "Row 7: At least one right must be allotted."),
        ({"rights": True}, "Row 7: The number of rights must be a whole number."),
        ({"category": "auditor"}, "Row 7: Choose director or executive officer."),
        ({"dead": True}, "Row 7: Rights cannot be allotted to a deceased person."),
    ],
)
def test_a_bad_row_refuses_its_batch_and_names_the_row(legal, bad, message):
    series = make_series(actor=legal, max_rights=500)
    holders = [make_holder(actor=legal) for _ in range(8)]
    if bad.pop("dead", False):
        holder_services.holder_record_death(holder=holders[6], died_on=date(2025, 1, 10), actor=legal)
        holders[6].refresh_from_db()
    rows = [AllotmentRow(holder=h, rights=2, category=D) for h in holders]
    rows[6] = AllotmentRow(**{"holder": holders[6], "rights": 2, "category": D, **bad})
    events_before = LedgerEvent.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        allotments_create_many(series=series, rows=rows, actor=legal, batch_size=5)

    assert excinfo.value.messages == [message]
    # rows 1-5 were their own batch, committed; nothing of rows 6-8 is written
    assert Allotment.objects.filter(series=series).count() == 5
    assert Lot.objects.filter(holding__series=series).count() == 5
    assert not Holding.objects.filter(holder__in=holders[5:]).exists()
    assert LedgerEvent.objects.count() == events_before + 5
    assert Series.objects.get(pk=series.pk).allotted_rights == 10


def test_the_maximum_holds_across_batches(legal):
    series = make_series(actor=legal, max_rights=10)
    holders = [make_holder(actor=legal) for _ in range(4)]
    rows = [AllotmentRow(holder=h, rights=3, category=D) for h in holders]

    with pytest.raises(ValidationError) as excinfo:
        allotments_create_many(series=series, rows=rows, actor=legal, batch_size=2)

    assert excinfo.value.messages == [
        "Row 4: Only 1 of the maximum 10 rights are left in this series; 3 were asked for."
    ]
    assert Series.objects.get(pk=series.pk).allotted_rights == 6
    assert Allotment.objects.filter(series=series).count() == 2


def test_a_series_not_resolved_refuses_every_row(legal):
    series = make_series(actor=legal, resolve=False)
    holder = make_holder(actor=legal)
    with pytest.raises(ValidationError, match="resolved by the board"):
        allotments_create_many(series=series, rows=[AllotmentRow(holder, 1, D)], actor=legal)
    assert not Allotment.objects.filter(series=series).exists()


def test_progress_is_told_after_each_batch(legal):
    series = make_series(actor=legal)
    holders = [make_holder(actor=legal) for _ in range(5)]
    told = []
    allotments_create_many(
        series=series,
        rows=[AllotmentRow(h, 1, D) for h in holders],
        actor=legal,
        batch_size=2,
        progress=lambda done, total: told.append((done, total)),
    )
    assert told == [(2, 5), (4, 5), (5, 5)]


def _queries(legal, n: int) -> int:
    series = make_series(actor=legal, max_rights=1000)
    holders = [make_holder(actor=legal) for _ in range(n)]
    allot(series=series, holder=holders[0], rights=1, actor=legal)  # one existing holding to update
    rows = [AllotmentRow(h, 2, E) for h in holders]
    with CaptureQueriesContext(connection) as queries:
        allotments_create_many(series=series, rows=rows, actor=legal, batch_size=n)
    return len(queries)


def test_a_batch_costs_the_same_queries_for_3_rows_or_40(legal):
    small, large = _queries(legal, 3), _queries(legal, 40)
    assert small == large
    # 16; 3 to rewrite the register lines (their events, delete, insert), 6 for the totals (what
    # they hold of the lines, then a read and a write each of the series' rows and the holder counts)
    assert large <= 25, large
