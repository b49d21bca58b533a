"""The audit trail by keyset: every entry once across pages, ties on recorded_at, both sources
interleaved, filters, hostile cursors, flat query counts, and the streamed CSV equal to the old one."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from itertools import chain

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from equityplan.exports import csv_response
from grants.models import LedgerEvent
from grants.selectors import series_recent_events
from grants.services.ledger import ledger_record
from holders.events import holder_event_record
from holders.models import HolderEvent
from papers import audit
from papers.audit import AuditCursor, audit_page
from papers.auditviews import audit_csv_row, audit_header
from tests.factories import auditor_user, legal_user, make_holder, make_series

T0 = datetime(2024, 4, 1, 0, 30, tzinfo=UTC)  # 09:30 in Tokyo


@pytest.fixture
def trail(db, at):
    """Two series, three holders, and entries of both sources on five instants, four or five on each."""
    legal, other = legal_user(), legal_user("second_legal")
    series = [make_series(actor=legal, number=n) for n in (1, 2)]
    holders = [make_holder(actor=legal, name=f"Holder {n}") for n in range(3)]
    for step in range(5):
        at(T0 + timedelta(hours=step))
        for n in range(3):
            ledger_record(
                event_type=LedgerEvent.Type.EVIDENCE_ATTACHED,
                series=series[n % 2],
                holder=holders[(n + step) % 3],
                effective_date=date(2024, 4, 1),
                actor=(legal, other)[n % 2],
            )
        for n in range(step % 3):
            holder_event_record(
                holder=holders[n],
                event_type=HolderEvent.Type.DETAILS_CHANGED,
                effective_date=date(2024, 4, 1),
                actor=other,
                before={"note": "=cmd|' /C calc'!A0"},
                after={"note": str(step)},
            )
    return {"legal": legal, "other": other, "series": series, "holders": holders}


def expected(**filters) -> list[tuple[str, int]]:
    """The old reading: both sources whole, sorted in Python (the order the trail has always had)."""
    ledger, people = audit.audit_querysets(**filters)
    entries = chain(
        (audit._ledger_entry(e) for e in (ledger if ledger is not None else [])),
        (audit._holder_entry(e) for e in (people if people is not None else [])),
    )
    ordered = sorted(entries, key=lambda a: (a.recorded_at, a.source == "ledger", a.pk), reverse=True)
    return [(e.source, e.pk) for e in ordered]


def walk(per_page: int, **filters) -> tuple[list[tuple[str, int]], list[audit.AuditPage]]:
    page = audit_page(per_page=per_page, **filters)
    pages = [page]
    while page.older is not None:
        page = audit_page(per_page=per_page, cursor=page.older, **filters)
        pages.append(page)
        assert len(pages) < 100
    return [(e.source, e.pk) for p in pages for e in p.entries], pages


@pytest.mark.parametrize("per_page", [1, 2, 3, 4, 7, 50])
def test_pages_hold_every_entry_once_in_order_across_ties(trail, per_page):
    seen, pages = walk(per_page)
    assert seen == expected()
    assert len({s for s, _ in seen}) == 2 and len(seen) > 20
    assert pages[0].first and pages[0].newer is None
    assert all(len(p.entries) == per_page for p in pages[:-1])
    # and back: each "newer" link gives the page before it, up to the first page
    back = pages[-1]
    for before in reversed(pages[:-1]):
        assert back.newer is not None
        back = audit_page(per_page=per_page, cursor=back.newer, newer=True)
        assert [(e.source, e.pk) for e in back.entries] == [(e.source, e.pk) for e in before.entries]
    assert back.first or back.newer is None


@pytest.mark.parametrize(
    "name",
    ["series", "holder", "holder_name", "user", "ledger_type", "holder_type", "dates", "viewer"],
)
def test_filters_keep_working_page_by_page(trail, name):
    filters = {
        "series": {"series": trail["series"][1]},
        "holder": {"holder": trail["holders"][0]},
        "holder_name": {"holder_name": "holder 2"},
        "user": {"user": trail["other"]},
        "ledger_type": {"event_type": "ledger:evidence_attached"},
        "holder_type": {"event_type": "holder:details_changed"},
        "dates": {"date_from": date(2024, 4, 1), "date_to": date(2024, 4, 1)},
        "viewer": {"viewer": auditor_user()},
    }[name]
    want = expected(**filters)
    assert want and want != expected() or name in {"dates", "viewer"}
    assert walk(3, **filters)[0] == want
    count = audit.audit_count(**filters)
    assert (count.n, count.kind) == (len(want), "exact")


def test_a_jump_to_a_day_starts_at_its_last_entry(trail, at):
    at(datetime(2024, 4, 2, 14, 59, 59, 999999, tzinfo=UTC))  # 23:59:59.999999 on 2 April in Tokyo
    last_of_day = holder_event_record(
        holder=trail["holders"][1],
        event_type="details_changed",
        effective_date=date(2024, 4, 2),
        actor=trail["legal"],
    )
    at(datetime(2024, 4, 2, 15, 0, tzinfo=UTC))  # midnight: 3 April in Tokyo
    ledger_record(event_type="evidence_attached", effective_date=date(2024, 4, 3), actor=trail["legal"])
    page = audit_page(per_page=5, cursor=AuditCursor.on_or_before(date(2024, 4, 2)))
    assert (page.entries[0].source, page.entries[0].pk) == ("holder", last_of_day.pk)
    assert not page.first and page.newer is not None
    early = audit_page(per_page=5, cursor=AuditCursor.on_or_before(date(2000, 1, 1)))
    assert early.entries == [] and early.older is None
    assert audit_page(per_page=5, cursor=AuditCursor.on_or_before(date.max)).entries


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "",
        "2024-02-30T00:00:00.000000Z_ledger_1",  # no such day
        "2024-04-01T25:00:00.000000Z_ledger_1",
        "2024-04-01T00:00:00.000000Z_company_1",
        "2024-04-01T00:00:00.000000Z_ledger_-1",
        "2024-04-01T00:00:00.000000Z_ledger_" + "9" * 19,
        "2024-04-01T00:00:00Z_ledger_1",
        "２０２４-04-01T00:00:00.000000Z_ledger_1",
        "2024-04-01T00:00:00.000000Z_ledger_1\x00",
        "' OR 1=1 --",
    ],
)
def test_a_hostile_cursor_shows_the_newest_page_and_says_so(client, trail, value):
    client.force_login(auditor_user())
    for name in ("before", "after"):
        response = client.get(reverse("papers:audit"), {name: value})
        assert response.status_code == 200
        assert response.context["cursor_refused"] and response.context["page"].first
        assert 'data-testid="audit-cursor-refused"' in response.text
        first = [(e.source, e.pk) for e in response.context["entries"]]
        assert first == expected()[:50]


def test_cursors_far_outside_the_trail_are_pages_not_errors(client, trail):
    client.force_login(auditor_user())
    for params in (
        {"before": "9999-12-31T23:59:59.999999Z_holder_999999999999999999"},
        {"before": "0001-01-01T00:00:00.000000Z_ledger_1"},
        {"after": "0001-01-01T00:00:00.000000Z_holder_1"},
        {"after": "9999-12-31T23:59:59.999999Z_ledger_1"},
        {"on_or_before": "9999-12-31"},
        {"on_or_before": "0001-01-01"},
        {"on_or_before": "2024-02-30"},
    ):
        response = client.get(reverse("papers:audit"), params)
        assert response.status_code == 200, params
        assert not response.context["cursor_refused"], params
    response = client.get(reverse("papers:audit"), {"on_or_before": "2024-02-30"})
    assert response.context["jump"].errors and response.context["page"].first


def test_the_page_links_walk_the_trail_with_the_filters(client, trail):
    client.force_login(auditor_user())
    series = trail["series"][0]
    response = client.get(reverse("papers:audit"), {"series": series.pk})
    page = response.context["page"]
    assert page.older is None  # one page: no links
    assert 'data-testid="audit-pages"' not in response.text
    response = client.get(
        reverse("papers:audit"), {"series": series.pk, "before": str(page.entries[3].cursor)}
    )
    assert [(e.source, e.pk) for e in response.context["entries"]] == expected(series=series)[4:]
    assert f"series={series.pk}&amp;after=" in response.text and "audit-first" in response.text


def test_queries_per_page_do_not_grow_with_depth_or_the_trail(client, trail, at):
    client.force_login(auditor_user())
    url = reverse("papers:audit")

    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured.captured_queries)

    first = queries({})
    old = LedgerEvent.objects.order_by("recorded_at", "pk").first()
    deep = queries({"before": str(AuditCursor(old.recorded_at, "ledger", old.pk + 1))})
    at(T0 + timedelta(days=3))
    for _ in range(60):
        ledger_record(event_type="evidence_attached", effective_date=date(2024, 4, 4), actor=trail["legal"])
    assert queries({}) == first and deep <= first
    assert first <= 16


def old_csv(**filters) -> bytes:
    """The CSV as it was built before it streamed: every entry in a list, sorted, then written."""
    ledger, people = audit.audit_querysets(**filters)
    entries = list(
        chain(
            (audit._ledger_entry(e) for e in (ledger if ledger is not None else [])),
            (audit._holder_entry(e) for e in (people if people is not None else [])),
        )
    )
    entries.sort(key=lambda a: (a.recorded_at, a.source == "ledger", a.pk), reverse=True)
    rows = [audit_csv_row(e) for e in entries]
    return csv_response(filename="x.csv", header=audit_header(), rows=rows).content


def test_the_csv_streams_the_same_file_as_before(client, trail):
    client.force_login(auditor_user())
    response = client.get(reverse("papers:audit_csv"))
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    content = b"".join(response.streaming_content)
    assert content == old_csv()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert any(r[9].startswith('{"note": "=cmd') for r in rows)
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)  # formula-safe as before
    holder = trail["holders"][1]
    filtered = b"".join(client.get(reverse("papers:audit_csv"), {"holder": holder.pk}).streaming_content)
    assert filtered == old_csv(holder=holder)
    assert client.get(reverse("papers:audit_csv"), {"date_from": "2024-02-30"}).status_code == 200


def test_the_csv_streams_in_pieces_of_bounded_size(client, trail, monkeypatch):
    monkeypatch.setattr("equityplan.exports.STREAM_PIECE", 200)
    client.force_login(auditor_user())
    pieces = list(client.get(reverse("papers:audit_csv")).streaming_content)
    assert len(pieces) > 5 and max(len(p) for p in pieces[:-1]) < 200 + 1000
    assert b"".join(pieces) == old_csv()


def test_the_csv_is_in_the_readers_language(client, trail):
    client.force_login(auditor_user())
    content = b"".join(client.get(reverse("papers:audit_csv"), HTTP_ACCEPT_LANGUAGE="ja").streaming_content)
    text = content.decode("utf-8-sig")
    assert "記録日時" in text.splitlines()[0] and "Evidence attached" not in text


def test_the_series_pages_recent_events_are_the_latest_twenty(trail, at, django_assert_max_num_queries):
    series = trail["series"][0]
    at(T0 + timedelta(days=1))
    for _ in range(25):
        ledger_record(
            event_type="evidence_attached",
            series=series,
            effective_date=date(2024, 4, 2),
            actor=trail["legal"],
        )
    everything = sorted(
        LedgerEvent.objects.filter(series=series), key=lambda e: (e.recorded_at, e.pk), reverse=True
    )
    with django_assert_max_num_queries(2):
        recent = list(series_recent_events(series=series))
        assert [e.holder for e in recent]  # joined, no query per row
    assert recent == everything[:20]


def test_a_filtered_count_past_the_cap_says_more_than(trail, monkeypatch):
    monkeypatch.setattr(audit, "COUNT_CAP", 3)
    assert len(expected(series=trail["series"][1])) > 3
    assert audit.audit_count(series=trail["series"][1]) == audit.AuditCount(3, "more")


@pytest.mark.postgres
def test_the_whole_trail_past_the_cap_is_the_estimate_labelled_about(trail, monkeypatch):
    monkeypatch.setattr(audit, "COUNT_CAP", 3)
    total = LedgerEvent.objects.count() + HolderEvent.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE grants_ledgerevent")
        cursor.execute("ANALYZE holders_holderevent")
    assert audit.audit_count() == audit.AuditCount(total, "about")
