"""A chained bulk insert gives the chain one-by-one saves give, with a query count flat in N."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from equityplan.appendonly import AppendOnlyError
from grants.models import LedgerEvent
from holders.models import HolderEvent
from jobs.ledger import verify_ledger
from tests.factories import make_holder, make_series
from tests.infra.concurrency import run_concurrently

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 4, 1, 9, 30, 0, 123456, tzinfo=UTC)


class _Rollback(Exception):
    pass


def _events(legal, series, holder, first_event, n: int) -> list[LedgerEvent]:
    """Rows whose hashes exercise every kind of value: nulls, FKs, Decimals, big floats, kana."""
    return [
        LedgerEvent(
            event_type=LedgerEvent.Type.ALLOTTED if i % 2 else LedgerEvent.Type.REVERSAL,
            series=series if i % 3 else None,
            holder=holder if i % 2 else None,
            rights_delta=0 if i % 6 else i - 3,  # a holding is its events' sum: none with both
            effective_date=date(2024, 6, 21 + i % 5),
            recorded_at=MOMENT,
            recorded_by=legal,
            approved_by=legal if i % 4 == 0 else None,
            resolution_date=date(2024, 6, 1) if i % 2 else None,
            resolution_reference=f"取締役会 {i}",
            payload={"yen": Decimal("351094.5"), "big": 1e16, "n": i, "when": date(2024, 6, 21), "名": "株"},
            reverses=first_event if i % 5 == 0 else None,
        )
        for i in range(n)
    ]


def _set_sequence(table: str, value: int) -> None:
    """PostgreSQL's sequence is not rolled back with the transaction: put it back for pass two."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, value])


def test_bulk_hashes_are_byte_identical_to_one_by_one_saves(legal):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    first = LedgerEvent.objects.order_by("pk").first()
    last_id = LedgerEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    single = []
    with pytest.raises(_Rollback), transaction.atomic():
        for event in _events(legal, series, holder, first, 12):
            event.save()
            single.append((event.pk, event.prev_hash, event.row_hash))
        raise _Rollback
    _set_sequence("grants_ledgerevent", last_id)
    assert not LedgerEvent.objects.filter(pk__gt=last_id).exists()

    bulk = LedgerEvent.objects.bulk_create(_events(legal, series, holder, first, 12))

    assert [(e.pk, e.prev_hash, e.row_hash) for e in bulk] == single
    stored = list(
        LedgerEvent.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", "prev_hash", "row_hash")
    )
    assert stored == single
    assert verify_ledger().ok


def test_bulk_links_to_the_tail_and_a_later_single_save_links_to_the_bulk(legal):
    series = make_series(actor=legal)
    tail = LedgerEvent.objects.order_by("-pk").first()
    bulk = LedgerEvent.objects.bulk_create(_events(legal, series, None, None, 5))
    assert bulk[0].prev_hash == tail.row_hash
    assert [b.prev_hash for b in bulk[1:]] == [b.row_hash for b in bulk[:-1]]
    after = LedgerEvent(
        event_type=LedgerEvent.Type.REVERSAL, effective_date=date(2024, 7, 1), recorded_by=legal
    )
    after.save()
    assert after.prev_hash == bulk[-1].row_hash
    assert after.pk > bulk[-1].pk
    outcome = verify_ledger()
    assert outcome.ok, outcome.problems


def test_bulk_of_the_holders_trail_keeps_its_chain(legal):
    holder = make_holder(actor=legal)
    rows = [
        HolderEvent(
            holder=holder,
            event_type=HolderEvent.Type.DETAILS_CHANGED,
            effective_date=date(2025, 1, i + 1),
            recorded_by=legal,
            after={"email": f"h{i}@example.jp"},
        )
        for i in range(4)
    ]
    HolderEvent.objects.bulk_create(rows)
    assert verify_ledger().ok


def test_a_saved_row_or_one_with_an_id_is_refused_and_nothing_written(legal):
    make_series(actor=legal)
    count = LedgerEvent.objects.count()
    saved = LedgerEvent.objects.order_by("pk").first()
    with pytest.raises(AppendOnlyError):
        LedgerEvent.objects.bulk_create([saved])
    given = LedgerEvent(pk=10_000, event_type="reversal", effective_date=date(2024, 1, 1), recorded_by=legal)
    with pytest.raises(AppendOnlyError):
        LedgerEvent.objects.bulk_create([given])
    fresh = LedgerEvent(event_type="reversal", effective_date=date(2024, 1, 1), recorded_by=legal)
    with pytest.raises(TypeError, match="only batch_size"):
        LedgerEvent.objects.bulk_create([fresh], ignore_conflicts=True)
    assert LedgerEvent.objects.count() == count
    assert LedgerEvent.objects.bulk_create([]) == []


def test_query_count_does_not_grow_with_the_rows(legal, django_assert_num_queries):
    series = make_series(actor=legal)
    # savepoint, lock + ids (PostgreSQL: advisory lock, nextval; SQLite: MAX, sqlite_sequence), tail,
    # one INSERT, release
    expected = 6
    with django_assert_num_queries(expected):
        LedgerEvent.objects.bulk_create(_events(legal, series, None, None, 3))
    with django_assert_num_queries(expected):
        LedgerEvent.objects.bulk_create(_events(legal, series, None, None, 60))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_single_saves_and_bulk_inserts_keep_one_unbroken_chain(legal):
    series = make_series(actor=legal)
    before = LedgerEvent.objects.count()

    def write(kind: str, n: int) -> int:
        rows = _events(legal, series, None, None, n)
        if kind == "bulk":
            return len(LedgerEvent.objects.bulk_create(rows))
        for row in rows:
            with transaction.atomic():
                row.save()
        return n

    jobs = [("bulk", 25), ("single", 8)] * 4
    results = run_concurrently(write, jobs)

    assert results == [("ok", n) for _, n in jobs]
    assert LedgerEvent.objects.count() == before + sum(n for _, n in jobs)
    outcome = verify_ledger()
    assert outcome.ok, outcome.problems
