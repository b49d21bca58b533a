"""The incremental ledger check (the daily sweep) and the full one (weekly, verify_ledger --full):
what each finds, and that the incremental one reads only the rows since the last good check."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from grants.models import LedgerEvent
from holders.models import HolderEvent
from jobs.ledger import verify_ledger
from jobs.models import LedgerCheck
from jobs.schedules import FULL_VERIFY_ENTRY, ensure_schedules
from tests.factories import auditor_user, make_holder
from tests.factories.lifecycle import allotted_scenario
from tests.jobs.test_ledger import drop_sqlite_guard, first_allotment, raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(legal):
    return allotted_scenario(legal=legal)


def append_events(legal, n: int) -> list[LedgerEvent]:
    events = [
        LedgerEvent(
            event_type=LedgerEvent.Type.VALUATION, effective_date=date(2020, 1, 1 + d), recorded_by=legal
        )
        for d in range(n)
    ]
    LedgerEvent.objects.bulk_create(events)
    return list(LedgerEvent.objects.order_by("-pk")[:n])[::-1]


def test_an_edit_to_an_old_row_is_missed_by_the_incremental_check_and_found_by_the_full_one(scenario):
    assert verify_ledger().ok  # the checkpoint: both chains' heads
    row = first_allotment()
    drop_sqlite_guard("grants_ledgerevent")
    raw("UPDATE grants_ledgerevent SET payload = '{\"edited\": true}' WHERE id = %s", [row.pk])
    incremental = verify_ledger(full=False)
    assert incremental.ok and not incremental.full  # what it cannot see (docs/reliability.md fact 19)
    with pytest.raises(CommandError, match=rf"grants_ledgerevent row {row.pk}: hash mismatch"):
        call_command("verify_ledger", "--full")
    full = LedgerCheck.objects.order_by("-pk").first()
    assert full.kind == LedgerCheck.Kind.FULL and not full.ok


def test_a_failed_full_check_stands_until_a_full_check_passes(scenario):
    assert verify_ledger().ok
    row = first_allotment()
    drop_sqlite_guard("grants_ledgerevent")
    raw("UPDATE grants_ledgerevent SET payload = '{\"edited\": true}' WHERE id = %s", [row.pk])
    assert not verify_ledger(full=True).ok
    incremental = verify_ledger(full=False)
    assert not incremental.ok and "only a full check that passes clears it" in str(incremental.problems[0])
    assert f"row {row.pk}: hash mismatch" in str(incremental.problems[0])


def test_a_row_edited_after_the_checkpoint_is_found_by_the_incremental_check(scenario, legal):
    assert verify_ledger().ok
    new = append_events(legal, 3)
    drop_sqlite_guard("grants_ledgerevent")
    raw("UPDATE grants_ledgerevent SET effective_date = '2021-01-01' WHERE id = %s", [new[1].pk])
    out = verify_ledger(full=False)
    assert not out.full and [str(p) for p in out.problems] == [
        f"grants_ledgerevent row {new[1].pk}: hash mismatch: the row's content was changed"
    ]


def test_a_row_deleted_after_the_checkpoint_breaks_the_link(scenario, legal):
    assert verify_ledger().ok
    new = append_events(legal, 3)
    drop_sqlite_guard("grants_ledgerevent")
    raw("DELETE FROM grants_ledgerevent WHERE id = %s", [new[1].pk])
    with pytest.raises(CommandError, match=rf"row {new[2].pk}: id {new[1].pk} missing .* a row was deleted"):
        call_command("verify_ledger")


def test_the_checkpoint_row_edited_or_deleted_is_found(scenario):
    assert verify_ledger().ok
    head = HolderEvent.objects.order_by("-pk").first()
    drop_sqlite_guard("holders_holderevent")
    raw("""UPDATE holders_holderevent SET "after" = '{"address": "elsewhere"}' WHERE id = %s""", [head.pk])
    problems = [str(p) for p in verify_ledger(full=False).problems]
    assert f"holders_holderevent row {head.pk}: hash mismatch: the row's content was changed" in problems
    raw("DELETE FROM holders_holderevent WHERE id = %s", [head.pk])
    problems = [str(p) for p in verify_ledger(full=False).problems]
    assert any(p.startswith(f"holders_holderevent row {head.pk}: chain head missing") for p in problems)


def test_a_holding_is_re_computed_when_a_row_since_the_checkpoint_touches_it(scenario, legal):
    assert verify_ledger().ok
    holding = scenario.series.holdings.order_by("pk").first()
    raw("UPDATE grants_holding SET rights = rights + 1 WHERE id = %s", [holding.pk])
    out = verify_ledger(full=False)
    assert out.ok and out.holdings == 0  # no row since: no holding is read (docs/reliability.md fact 19)
    LedgerEvent.objects.bulk_create(
        [
            LedgerEvent(
                event_type=LedgerEvent.Type.VALUATION,
                series=holding.series,
                holder=holding.holder,
                effective_date=date(2020, 1, 6),
                recorded_by=legal,
            )
        ]
    )
    out = verify_ledger(full=False)
    assert out.holdings == 1 and [p.row_id for p in out.problems] == [holding.pk, holding.pk]
    assert "holding differs" in str(out.problems[0])


def test_the_incremental_check_reads_only_the_new_rows(scenario, legal, django_assert_max_num_queries):
    assert verify_ledger().ok
    old = LedgerEvent.objects.count() + HolderEvent.objects.count()
    append_events(legal, 4)
    with CaptureQueriesContext(connection) as queries:
        out = verify_ledger(full=False, record=False)
    assert out.ok and not out.full
    # each chain: its checkpoint row again, then the new rows; nothing before the checkpoint
    assert out.chains["grants_ledgerevent"]["rows"] == 1 + 4
    assert out.chains["holders_holderevent"]["rows"] == 1
    assert out.rows == 6 < old
    chain_reads = [q["sql"] for q in queries.captured_queries if 'FROM "grants_ledgerevent"' in q["sql"]]
    assert all('"id" >' in sql for sql in chain_reads), chain_reads
    with django_assert_max_num_queries(8):
        verify_ledger(full=False, record=False)


def test_with_no_checkpoint_the_check_is_full(scenario):
    out = verify_ledger(full=False)
    assert out.full and out.ok
    assert LedgerCheck.objects.get().kind == LedgerCheck.Kind.FULL


def test_the_weekly_full_check_is_scheduled_and_records_a_full_check(scenario):
    from jobs.tasks import verify_ledger_full

    ensure_schedules()
    entry = PeriodicTask.objects.select_related("crontab").get(name=FULL_VERIFY_ENTRY)
    assert (entry.task, entry.crontab.day_of_week, entry.crontab.hour, str(entry.crontab.timezone)) == (
        "jobs.verify_ledger_full",
        "0",
        "3",
        "Asia/Tokyo",
    )
    assert verify_ledger(full=False).full  # the first check is full anyway
    verify_ledger(full=False)
    assert verify_ledger_full()["ok"]
    assert list(LedgerCheck.objects.order_by("pk").values_list("kind", flat=True)) == [
        "full",
        "incremental",
        "full",
    ]


def test_the_pages_say_which_kind_each_check_was_and_when_the_last_full_one_ran(
    scenario, client, django_assert_max_num_queries
):
    client.force_login(auditor_user())
    verify_ledger(full=True)
    verify_ledger(full=False)
    with django_assert_max_num_queries(13):
        page = client.get(reverse("jobs:job_list")).content.decode()
    assert "(incremental check)" in page and 'data-testid="last-full-check"' in page
    assert "Last full check (every row)" in page and "intact." in page
    assert page.count("Incremental: the rows since the last good check") == 1
    assert page.count("Full: every row") == 1
    dashboard = client.get(reverse("papers:dashboard")).content.decode()
    assert "(incremental check)" in dashboard and "Last full check (every row)" in dashboard


def test_a_chain_empty_at_the_checkpoint_is_read_from_its_first_row(legal):
    """No holder event yet at the checkpoint: the incremental check reads every one since."""
    assert not HolderEvent.objects.exists()
    append_events(legal, 2)
    assert verify_ledger().ok
    make_holder(actor=legal, name="First Holder (fictional)")
    out = verify_ledger(full=False, record=False)
    assert out.ok and not out.full
    assert out.chains["holders_holderevent"]["rows"] == HolderEvent.objects.count() > 1
    drop_sqlite_guard("holders_holderevent")
    first = HolderEvent.objects.order_by("pk").first()
    raw("""UPDATE holders_holderevent SET "after" = '{"address": "elsewhere"}' WHERE id = %s""", [first.pk])
    assert [p.row_id for p in verify_ledger(full=False).problems] == [first.pk]
