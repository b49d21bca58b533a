"""The audit trail's and the series page's reads on PostgreSQL: each on an index, at any depth
(docs/reliability.md fact 20). A few thousand rows, ANALYZEd, and the plans read with EXPLAIN."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import LedgerEvent
from grants.selectors import series_recent_events
from holders.models import HolderEvent
from papers.audit import AuditCursor, audit_page
from tests.factories import legal_user, make_holder, make_series

pytestmark = pytest.mark.postgres

EVENT_TABLES = {LedgerEvent._meta.db_table, HolderEvent._meta.db_table}
LEDGER_ROWS, HOLDER_ROWS = 4000, 4000


@pytest.fixture
def trail(db):
    """Rows written by plain INSERT ... SELECT (the hash chain is not what is tested here), recorded
    over several years with many on the same instant."""
    legal = legal_user()
    series = [make_series(actor=legal, number=n) for n in (1, 2, 3)]
    holders = [make_holder(actor=legal, name=f"Holder {n}") for n in range(4)]
    ledger, people = LedgerEvent._meta.db_table, HolderEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {ledger} (event_type, series_id, holder_id, rights_delta, effective_date,
                recorded_at, recorded_by_id, resolution_reference, payload, prev_hash, row_hash)
            SELECT (ARRAY['allotted', 'lapsed', 'exercised'])[1 + g %% 3], (ARRAY[%s, %s, %s])[1 + g %% 3],
                (ARRAY[%s, %s, %s, %s])[1 + g %% 4], 1, DATE '2014-01-01' + (g / 10),
                TIMESTAMPTZ '2014-01-01 00:00+00' + (g / 3) * INTERVAL '1 hour', %s, '', '{{}}', '', ''
            FROM generate_series(1, %s) AS g""",
            [*(s.pk for s in series), *(h.pk for h in holders), legal.pk, LEDGER_ROWS],
        )
        cursor.execute(
            f"""INSERT INTO {people} (event_type, holder_id, effective_date, recorded_at, recorded_by_id,
                before, after, prev_hash, row_hash)
            SELECT 'details_changed', (ARRAY[%s, %s, %s, %s])[1 + g %% 4], DATE '2014-01-01' + (g / 4),
                TIMESTAMPTZ '2014-01-01 00:00+00' + g * INTERVAL '1 hour', %s, '{{}}', '{{}}', '', ''
            FROM generate_series(1, %s) AS g""",
            [*(h.pk for h in holders), legal.pk, HOLDER_ROWS],
        )
        cursor.execute(f"ANALYZE {ledger}")
        cursor.execute(f"ANALYZE {people}")
    return {"legal": legal, "series": series, "holders": holders}


def plan_nodes(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo += node.get("Plans", [])
    return nodes


def assert_indexed(queries: list[dict]) -> int:
    """Every read of an events table is an index scan; no sort of more than a page of rows."""
    checked = 0
    for query in queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or not any(t in sql for t in EVENT_TABLES):
            continue
        nodes = plan_nodes(sql)
        scans = [n for n in nodes if n.get("Relation Name") in EVENT_TABLES]
        assert scans, sql
        for node in scans:
            assert node["Node Type"] in {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"}, (node, sql)
        for node in nodes:
            if node["Node Type"] == "Sort":
                assert node["Plan Rows"] <= 200, (node, sql)
        checked += 1
    return checked


def read_page(**kwargs):
    with CaptureQueriesContext(connection) as queries:
        page = audit_page(per_page=50, **kwargs)
    return page, queries.captured_queries


def test_the_first_page_and_a_deep_page_read_by_index(trail):
    page, queries = read_page()
    assert len(page.entries) == 50 and assert_indexed(queries) >= 2
    # a cursor three quarters of the way down
    old = LedgerEvent.objects.order_by("recorded_at", "pk")[LEDGER_ROWS // 4]
    page, queries = read_page(cursor=AuditCursor(old.recorded_at, "ledger", old.pk))
    assert page.entries and page.entries[0].recorded_at <= old.recorded_at
    assert assert_indexed(queries) >= 2
    page, queries = read_page(cursor=AuditCursor(old.recorded_at, "ledger", old.pk), newer=True)
    assert page.entries and assert_indexed(queries) >= 2


@pytest.mark.parametrize("which", ["series", "holder", "event_type", "user"])
def test_each_filter_reads_by_index(trail, which):
    value = {
        "series": trail["series"][1],
        "holder": trail["holders"][2],
        "event_type": "ledger:lapsed",
        "user": trail["legal"],
    }[which]
    old = LedgerEvent.objects.order_by("recorded_at", "pk")[LEDGER_ROWS // 3]
    for cursor in (None, AuditCursor(old.recorded_at, "ledger", old.pk)):
        page, queries = read_page(cursor=cursor, **{which: value})
        assert page.entries, which
        assert assert_indexed(queries) >= 1, which


def test_the_series_pages_recent_events_read_by_index(trail):
    with CaptureQueriesContext(connection) as queries:
        events = list(series_recent_events(series=trail["series"][0]))
    assert len(events) == 20 and len(queries.captured_queries) == 2
    assert events == sorted(events, key=lambda e: (e.recorded_at, e.pk), reverse=True)
    assert assert_indexed(queries.captured_queries) == 2


def test_the_export_reads_both_server_side_cursors_in_merged_order(trail):
    from papers.audit import audit_iter, sort_key

    with CaptureQueriesContext(connection) as queries:
        entries = list(audit_iter())
    assert len(entries) == LedgerEvent.objects.count() + HolderEvent.objects.count()
    assert entries == sorted(entries, key=sort_key, reverse=True)
    assert len({(e.source, e.pk) for e in entries}) == len(entries)
    declared = [q["sql"] for q in queries.captured_queries if "DECLARE" in q["sql"] or "SELECT" in q["sql"]]
    assert len(declared) <= 4  # two cursors, however many rows
