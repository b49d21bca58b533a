"""The audit CSV as PostgreSQL writes it (papers/auditcopy.py) is, byte for byte, the file Python
writes from the same entries: hostile text in every text cell, JSON of every shape, times with and
without a fraction, empty cells, each filter, and a reader limited to one company."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import CompanyAccess
from grants.models import LedgerEvent
from grants.services.ledger import ledger_record
from holders.events import holder_event_record
from holders.models import Holder, HolderEvent
from papers import auditviews
from tests.factories import CompanyFactory, auditor_user, legal_user, make_holder, make_series

pytestmark = pytest.mark.postgres

# Text PostgreSQL can hold (no NUL), with what CSV and spreadsheets treat specially.
TEXT = st.text(
    alphabet=st.sampled_from(list("abc xyz=+-@\t\r\n\",;\\.'{}[]日本語株式\u202e\u2028é🙂"))
    | st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
JSON_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**18), max_value=10**18)
    | st.floats(min_value=1e-4, max_value=1e15, allow_nan=False)
    | TEXT
)
JSON = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
PAYLOAD = st.dictionaries(TEXT, JSON, max_size=4)
MICROSECONDS = st.sampled_from([0, 1, 500_000, 999_999])


def the_csv(client, python: bool, monkeypatch, **params) -> bytes:
    with monkeypatch.context() as patch:
        if python:  # the file as SQLite gets it
            patch.setattr(auditviews, "audit_copy_sql", lambda **filters: None)
        response = client.get(reverse("papers:audit_csv"), params)
        assert response.status_code == 200 and response.streaming
        return b"".join(response.streaming_content)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=TEXT.filter(str.strip),
    reference=TEXT,
    payload=PAYLOAD,
    before=PAYLOAD,
    after=PAYLOAD,
    microsecond=MICROSECONDS,
    delta=st.integers(min_value=-1000, max_value=1000),
)
def test_the_database_writes_the_file_python_writes(
    client, db, at, monkeypatch, name, reference, payload, before, after, microsecond, delta
):
    legal = get_user_model().objects.filter(username="@legal+1").first() or legal_user("@legal+1")
    series = make_series(actor=legal) if not LedgerEvent.objects.exists() else None
    series = series or LedgerEvent.objects.exclude(series=None).first().series
    holder = make_holder(actor=legal)
    Holder.objects.filter(pk=holder.pk).update(name=name)  # as an import or the admin could have stored it
    holder.refresh_from_db()
    at(datetime(2024, 4, 1, 0, 30, 5, microsecond, tzinfo=UTC))
    ledger_record(
        event_type=LedgerEvent.Type.EVIDENCE_ATTACHED,
        series=series,
        holder=holder,
        rights_delta=delta,
        effective_date=date(2024, 4, 1),
        resolution_reference=reference,
        resolution_date=date(2024, 3, 28) if microsecond else None,
        payload=payload,
        actor=legal,
    )
    holder_event_record(
        holder=holder,
        event_type=HolderEvent.Type.DETAILS_CHANGED,
        effective_date=date(2024, 4, 1),
        actor=legal,
        before=before,
        after=after,
    )
    client.force_login(auditor_user())
    written = the_csv(client, False, monkeypatch)
    assert written == the_csv(client, True, monkeypatch)
    rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig"), newline="")))
    assert {len(r) for r in rows} == {11}
    assert all(not c.startswith(("=", "+", "-", "@")) for r in rows for c in r if not c.lstrip("-").isdigit())


def test_each_filter_and_a_limited_reader_get_the_same_file_both_ways(client, db, at, monkeypatch):
    legal = legal_user()
    series = [make_series(actor=legal, number=n) for n in (1, 2)]
    holders = [make_holder(actor=legal, name=f"Holder {n}") for n in range(3)]
    for step in range(4):
        at(datetime(2024, 4, 1, tzinfo=UTC) + timedelta(hours=step))
        for n in range(3):
            ledger_record(
                event_type=LedgerEvent.Type.EVIDENCE_ATTACHED,
                series=series[n % 2],
                holder=holders[(n + step) % 3],
                effective_date=date(2024, 4, 1 + step),
                actor=legal,
            )
        holder_event_record(
            holder=holders[step % 3],
            event_type=HolderEvent.Type.DETAILS_CHANGED,
            effective_date=date(2024, 4, 1 + step),
            actor=legal,
            before={"note": "-1"},
            after={"note": str(step)},
        )
    client.force_login(auditor_user())
    for params in (
        {},
        {"series": series[0].pk},
        {"holder": holders[1].pk},
        {"holder_name": "der 2"},
        {"user": legal.pk},
        {"event_type": "ledger:evidence_attached"},
        {"event_type": "holder:details_changed"},
        {"event_type": "holder:details_changed", "series": series[0].pk},  # no source can match
        {"date_from": "2024-04-02", "date_to": "2024-04-03"},
    ):
        written = the_csv(client, False, monkeypatch, **params)
        assert written == the_csv(client, True, monkeypatch, **params), params
        assert written.startswith("\ufeff".encode()) and written.endswith(b"\r\n")
    reader = auditor_user("limited_auditor")  # a reader of one company's records
    CompanyAccess.objects.create(user=reader, company=series[0].company)
    CompanyAccess.objects.create(user=reader, company=CompanyFactory())
    client.force_login(reader)
    limited = the_csv(client, False, monkeypatch)
    assert limited == the_csv(client, True, monkeypatch) and len(limited.splitlines()) > 10


def test_a_line_break_inside_a_value_stays_inside_its_quoted_cell(client, db, monkeypatch):
    legal = legal_user()
    holder = make_holder(actor=legal)
    ledger_record(
        event_type=LedgerEvent.Type.EVIDENCE_ATTACHED,
        holder=holder,
        effective_date=date(2024, 4, 1),
        resolution_reference="line one\nline two\r\n=SUM(A1)",
        actor=legal,
    )
    client.force_login(auditor_user())
    written = the_csv(client, False, monkeypatch)
    assert b'"line one\nline two\r\n=SUM(A1)"' in written
    rows = list(csv.reader(io.StringIO(written.decode("utf-8-sig"), newline="")))
    assert [r[8] for r in rows[1:] if r[8]] == ["line one\nline two\r\n=SUM(A1)"]
