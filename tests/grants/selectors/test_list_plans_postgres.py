"""The list pages read a page of rows from an index (docs/domain.md R63, R64): on PostgreSQL, with a few
thousand holders analysed, the page query of the holders list and of the series page's holders is an
index read in order with LIMIT: no Seq Scan of holders or holdings, no sort of the whole set."""

import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import Holding
from holders import tally
from holders.models import Holder, HolderAddress, Position
from tests.factories import issuer, make_series

pytestmark = pytest.mark.postgres

HOLDERS = 3000
LIST_TABLES = {"holders_holder", "grants_holding"}
PAGE_QUERY = re.compile(r'FROM "(holders_holder|grants_holding)".* LIMIT 50\b', re.S)


@pytest.fixture
def crowd(db, legal):
    series = make_series(actor=legal, max_rights=10 * HOLDERS)
    company = issuer()
    holders = Holder.objects.bulk_create(
        Holder(name=f"保有者 {i:05d}", name_kana=f"ホユウシャ {i:05d}", email=f"h{i}@example.jp")
        for i in range(HOLDERS)
    )
    HolderAddress.objects.bulk_create(
        HolderAddress(holder=h, address="東京都千代田区1-1", valid_from=date(2010, 4, 1)) for h in holders
    )
    Position.objects.bulk_create(
        Position(holder=h, company=company, title=Position.Title.DIRECTOR, started_on=date(2013, 6, 21))
        for h in holders
    )
    Holding.objects.bulk_create(
        Holding(
            series=series, holder=h, rights=1 + i % 7, acquired_on=date(2013, 7, 12) + timedelta(days=i % 30)
        )
        for i, h in enumerate(holders)
    )
    tally.recount()  # the holders went in around their services
    with connection.cursor() as cursor:
        for table in ["holders_holder", "holders_holderaddress", "holders_position", "grants_holding"]:
            cursor.execute(f"ANALYZE {table}")
    return series


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        value = cursor.fetchone()[0]
    return (json.loads(value) if isinstance(value, str) else value)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _page_query(client, url, params) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    pages = [q["sql"] for q in queries if PAGE_QUERY.search(q["sql"])]
    assert len(pages) == 1, pages
    return pages[0]


def _assert_read_from_an_index(sql: str) -> list[str]:
    nodes = list(_nodes(_plan(sql)))
    scans = [(n["Node Type"], n.get("Relation Name"), n.get("Index Name")) for n in nodes]
    assert not [s for s in scans if s[0] == "Seq Scan" and s[1] in LIST_TABLES], scans
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")], scans
    return [s[2] for s in scans if s[2]]


@pytest.mark.parametrize(
    "sort, index",
    [
        ("name", "holder_by_name"),
        ("-name", "holder_by_name"),
        ("kana", "holder_by_kana"),
        ("new", "holder_by_created"),
    ],
)
def test_the_holders_list_reads_its_page_from_an_index(client, legal, crowd, sort, index):
    client.force_login(legal)
    sql = _page_query(client, reverse("holders:holder_list"), {"sort": sort})
    assert index in _assert_read_from_an_index(sql)


def test_the_holders_list_filtered_by_office_still_reads_the_name_index(client, legal, crowd):
    client.force_login(legal)
    sql = _page_query(client, reverse("holders:holder_list"), {"status": "in_office", "page": 3})
    assert "holder_by_name" in _assert_read_from_an_index(sql)


@pytest.mark.parametrize(
    "sort, index",
    [
        ("name", "holder_by_name"),
        ("-rights", "holding_by_series_rights"),
        ("acquired", "holding_by_series_acquired"),
    ],
)
def test_the_series_holders_read_their_page_from_an_index(client, legal, crowd, sort, index):
    client.force_login(legal)
    sql = _page_query(client, crowd.get_absolute_url(), {"holders_sort": sort})
    assert index in _assert_read_from_an_index(sql)


def test_the_series_totals_read_the_holdings_of_the_series_and_join_no_holder(client, legal, crowd):
    """The totals' filters are IN lists over partial indexes (the deceased, the open positions), so
    the aggregate reads no holder row: here the series holds every holding, so reading them all is
    the planner's right choice."""
    client.force_login(legal)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(crowd.get_absolute_url()).status_code == 200
    totals = [q["sql"] for q in queries if '"in_office"' in q["sql"] and 'FROM "grants_holding"' in q["sql"]]
    assert len(totals) == 1, totals
    scans = [(n["Node Type"], n.get("Relation Name"), n.get("Index Name")) for n in _nodes(_plan(totals[0]))]
    holder_reads = [s for s in scans if s[1] == "holders_holder"]
    assert holder_reads and all(
        s == ("Index Only Scan", "holders_holder", "holder_deceased_idx") for s in holder_reads
    ), scans
