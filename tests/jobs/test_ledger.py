"""The ledger's hash chain and its verifier: tampering behind the triggers is found (SQLite here;
the PostgreSQL drill is tests/jobs/test_ledger_postgres.py)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from equityplan.appendonly import GENESIS, AppendOnlyError
from grants.models import LedgerEvent
from holders.models import HolderEvent
from jobs.actors import system_user
from jobs.ledger import verify_ledger
from jobs.models import LedgerCheck
from jobs.sweep import daily_sweep
from tests.factories import auditor_user
from tests.factories.lifecycle import allotted_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(legal):
    return allotted_scenario(legal=legal)


def first_allotment() -> LedgerEvent:
    return LedgerEvent.objects.filter(event_type=LedgerEvent.Type.ALLOTTED).order_by("pk").first()


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and sql.startswith(("ALTER", "TRUNCATE")):
            # this test's own inserts leave deferred FK checks that ALTER and TRUNCATE refuse to pass
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


def drop_sqlite_guard(table: str) -> None:
    """Out of the way of raw SQL (on PostgreSQL, where the whole suite runs again, disabled)."""
    if connection.vendor == "postgresql":
        raw(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        return
    raw(f"DROP TRIGGER {table}_no_update")
    raw(f"DROP TRIGGER {table}_no_delete")


def verify_fails(match: str) -> str:
    with pytest.raises(CommandError, match=match) as excinfo:
        call_command("verify_ledger")
    assert excinfo.value.returncode == 1
    return str(excinfo.value)


def test_an_edited_allotment_is_named_by_its_row(scenario):
    row = first_allotment()
    drop_sqlite_guard("grants_ledgerevent")
    raw("UPDATE grants_ledgerevent SET rights_delta = 2500 WHERE id = %s", [row.pk])
    message = verify_fails(rf"grants_ledgerevent row {row.pk}: hash mismatch")
    assert "content was changed" in message
    problems = [str(p) for p in verify_ledger().problems]
    assert any("holding differs" in p and "events sum to 2500" in p for p in problems)
    check = LedgerCheck.objects.order_by("-pk").first()
    assert not check.ok and f"row {row.pk}" in check.first_problem


def test_a_deleted_row_is_found_by_the_broken_link(scenario):
    row = first_allotment()
    drop_sqlite_guard("grants_ledgerevent")
    raw("DELETE FROM grants_ledgerevent WHERE id = %s", [row.pk])
    following = LedgerEvent.objects.filter(pk__gt=row.pk).order_by("pk").first()
    verify_fails(rf"grants_ledgerevent row {following.pk}: id {row.pk} missing .* a row was deleted")


def test_a_deleted_last_row_is_found_against_the_last_good_check(scenario):
    assert verify_ledger().ok
    last = HolderEvent.objects.order_by("-pk").first()
    drop_sqlite_guard("holders_holderevent")
    raw("DELETE FROM holders_holderevent WHERE id = %s", [last.pk])
    verify_fails(rf"holders_holderevent row {last.pk}: chain head missing")


def test_an_edited_holder_event_is_found(scenario):
    event = HolderEvent.objects.order_by("pk")[1]
    drop_sqlite_guard("holders_holderevent")
    raw("""UPDATE holders_holderevent SET "after" = '{"address": "elsewhere"}' WHERE id = %s""", [event.pk])
    verify_fails(rf"holders_holderevent row {event.pk}: hash mismatch")


def test_a_holding_edited_without_an_event_is_found(scenario):
    holding = scenario.series.holdings.order_by("pk").first()
    raw("UPDATE grants_holding SET rights = rights + 1 WHERE id = %s", [holding.pk])
    verify_fails(rf"grants_holding row {holding.pk}: holding differs")


def test_the_database_refuses_update_and_delete_of_a_ledger_row(scenario):
    row = first_allotment()
    for sql in (
        "UPDATE grants_ledgerevent SET rights_delta = 1 WHERE id = %s",
        "DELETE FROM grants_ledgerevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(sql, [row.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM holders_holderevent")
    assert verify_ledger().ok


def test_each_row_links_to_the_one_before(scenario):
    for model in (LedgerEvent, HolderEvent):
        rows = list(model.objects.order_by("pk").values_list("prev_hash", "row_hash"))
        assert rows[0][0] == GENESIS
        assert all(prev == before[1] for before, (prev, _) in zip(rows, rows[1:], strict=False))
        assert len({h for _, h in rows}) == len(rows) and all(len(h) == 64 for _, h in rows)
    out = verify_ledger()
    assert (
        out.ok and out.holdings == 3 and out.rows == LedgerEvent.objects.count() + HolderEvent.objects.count()
    )


def test_bulk_create_goes_through_the_chain(scenario, legal):
    events = [
        LedgerEvent(event_type=LedgerEvent.Type.VALUATION, effective_date=date(2020, 1, d), recorded_by=legal)
        for d in (1, 2)
    ]
    LedgerEvent.objects.bulk_create(events)
    assert verify_ledger().ok
    first, second = LedgerEvent.objects.order_by("-pk")[:2][::-1]
    assert second.prev_hash == first.row_hash
    with pytest.raises(AppendOnlyError):
        LedgerEvent.objects.filter(pk=first.pk).delete()


def test_the_sweep_verifies_and_the_dashboard_and_jobs_page_show_it(
    scenario, client, django_assert_max_num_queries
):
    client.force_login(auditor_user())
    assert "has not been verified yet" in client.get(reverse("jobs:job_list")).content.decode()
    result = daily_sweep(as_of=date(2020, 1, 6), actor=system_user())
    assert result["ledger"]["ok"] and result["ledger"]["rows"] > 0
    page = client.get(reverse("papers:dashboard")).content.decode()
    assert 'data-testid="ledger-check"' in page and "Intact:" in page

    drop_sqlite_guard("grants_ledgerevent")
    raw("UPDATE grants_ledgerevent SET rights_delta = 2500 WHERE id = %s", [first_allotment().pk])
    result = daily_sweep(as_of=date(2020, 1, 7), actor=system_user())
    assert result["ledger"]["kind"] == "incremental"  # an old row: the weekly full check finds it
    with pytest.raises(CommandError, match="hash mismatch"):
        call_command("verify_ledger", "--full")
    result = daily_sweep(as_of=date(2020, 1, 8), actor=system_user())
    assert not result["ledger"]["ok"] and "hash mismatch" in result["ledger"]["first_problem"]
    with django_assert_max_num_queries(12):
        page = client.get(reverse("jobs:job_list")).content.decode()
    assert "The ledger does not verify" in page and "hash mismatch" in page
    assert "The ledger does not verify" in client.get(reverse("papers:dashboard")).content.decode()
