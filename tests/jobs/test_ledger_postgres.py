"""The tamper drill on PostgreSQL: as the owner role (the suite's own connection owns the tables),
disable a trigger, edit or delete, put the trigger back; TRUNCATE; verify_ledger finds each."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from grants.models import LedgerEvent
from holders.models import HolderEvent
from jobs.ledger import verify_ledger
from tests.factories.lifecycle import allotted_scenario
from tests.infra.concurrency import run_concurrently

pytestmark = pytest.mark.postgres


@pytest.fixture
def scenario(db, legal):
    return allotted_scenario(legal=legal)


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and sql.startswith(("ALTER", "TRUNCATE")):
            # this test's own inserts leave deferred FK checks that ALTER and TRUNCATE refuse to pass
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


def verify_fails(match: str) -> str:
    with pytest.raises(CommandError, match=match) as excinfo:
        call_command("verify_ledger")
    assert excinfo.value.returncode == 1
    print(f"verify_ledger: {excinfo.value}")  # the drill's figure, shown with -s
    return str(excinfo.value)


def test_tamper_drill_edit_behind_a_disabled_trigger(scenario):
    row = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.ALLOTTED).order_by("pk").first()
    raw("ALTER TABLE grants_ledgerevent DISABLE TRIGGER grants_ledgerevent_append_only")
    raw("UPDATE grants_ledgerevent SET rights_delta = 2500 WHERE id = %s", [row.pk])
    raw("ALTER TABLE grants_ledgerevent ENABLE TRIGGER grants_ledgerevent_append_only")
    verify_fails(rf"grants_ledgerevent row {row.pk}: hash mismatch")


def test_tamper_drill_delete_behind_a_disabled_trigger(scenario):
    row = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.ALLOTTED).order_by("pk")[1]
    raw("ALTER TABLE grants_ledgerevent DISABLE TRIGGER grants_ledgerevent_append_only")
    raw("DELETE FROM grants_ledgerevent WHERE id = %s", [row.pk])
    raw("ALTER TABLE grants_ledgerevent ENABLE TRIGGER grants_ledgerevent_append_only")
    verify_fails(rf"id {row.pk} missing .* a row was deleted")


def test_tamper_drill_truncate_of_the_holders_trail(scenario):
    assert verify_ledger().ok  # the daily sweep's last good check: its chain heads are expected
    head = HolderEvent.objects.order_by("-pk").first()
    raw("ALTER TABLE holders_holderevent DISABLE TRIGGER USER")
    raw("TRUNCATE holders_holderevent")
    raw("ALTER TABLE holders_holderevent ENABLE TRIGGER USER")
    verify_fails(rf"holders_holderevent row {head.pk}: chain head missing")


def test_tamper_drill_truncate_of_the_ledger_is_found_by_the_holdings(scenario):
    for table in ("grants_ledgerevent", "grants_evidence"):  # the CASCADE reaches the evidence
        raw(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    raw("TRUNCATE grants_ledgerevent CASCADE")
    for table in ("grants_ledgerevent", "grants_evidence"):
        raw(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    verify_fails(r"grants_holding row \d+: holding differs: \d+ rights held, the events sum to 0")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE grants_ledgerevent SET rights_delta = 1",
        "DELETE FROM grants_ledgerevent",
        "TRUNCATE grants_ledgerevent CASCADE",
        "UPDATE holders_holderevent SET effective_date = '2000-01-01'",
        "DELETE FROM holders_holderevent",
        "TRUNCATE holders_holderevent",
    ],
)
def test_the_triggers_refuse_update_delete_and_truncate(scenario, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    assert verify_ledger().ok


def test_the_migrated_guard_function_is_the_current_one(db):
    """Every guarded table shares one trigger function; no migration may leave an older body."""
    from equityplan.appendonly import PG_GUARD_FUNCTION

    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'equityplan_append_only'")
        (body,) = cursor.fetchone()
    assert body.strip() in PG_GUARD_FUNCTION
    assert "allow_flush" in body


def test_evidence_has_the_full_guard(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'grants_evidence'::regclass"
            " AND NOT tgisinternal ORDER BY tgname"
        )
        names = [name for (name,) in cursor.fetchall()]
    assert names == ["grants_evidence_append_only", "grants_evidence_no_truncate"]
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
        raw("TRUNCATE grants_evidence")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_do_not_fork_the_chain(legal):
    from grants.services.ledger import ledger_record

    def append(day):
        return ledger_record(
            event_type=LedgerEvent.Type.VALUATION, effective_date=date(2020, 1, day), actor=legal
        ).pk

    results = run_concurrently(append, [(d,) for d in range(1, 13)])
    assert [kind for kind, _ in results] == ["ok"] * 12
    rows = list(LedgerEvent.objects.order_by("pk").values_list("prev_hash", "row_hash"))
    assert len(rows) == 12 and all(
        prev == before[1] for before, (prev, _) in zip(rows, rows[1:], strict=False)
    )
    assert verify_ledger().ok
