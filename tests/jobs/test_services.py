"""The outbox and the allotment-date recomputation, with tasks run inline (eager): the broker is not
the point here (tests/jobs/test_worker_faults.py runs a real Redis and worker)."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from grants.models import LedgerEvent
from jobs import registry, services
from jobs.models import OutboxJob
from jobs.schedules import (
    DISPATCH_ENTRY,
    SWEEP_ENTRY,
    allotment_recompute_schedule,
    ensure_schedules,
    recompute_entry_name,
)
from jobs.tasks import enqueue_allotment_recompute, run_outbox_job
from tests.factories import make_series
from valuations.models import Valuation

from .conftest import import_allotment_close, series_awaiting_close

ALLOTTED_ON = date(2013, 7, 11)  # a Thursday, with the demo yields of July 2013
Status = OutboxJob.Status


def finals(series):
    return Valuation.objects.filter(series=series, status__in=["final", "approved"])


def test_recompute_stores_one_final_valuation_by_the_system_user(legal, django_capture_on_commit_callbacks):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    import_allotment_close(series, actor=legal, price=2100)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.allotment_recompute_request(series=series, actor=legal)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.attempts == 1 and job.dispatches == 1
    valuation = finals(series).get()
    assert valuation.valuation_date == ALLOTTED_ON and valuation.spot_yen == 2100
    assert valuation.status == Valuation.Status.FINAL
    assert valuation.computed_by.username == "system" and not valuation.computed_by.is_active
    assert job.result == {
        "valuation_id": valuation.pk,
        "valuation_date": "2013-07-11",
        "status": "final",
        "spot_yen": str(valuation.spot_yen),
        "amount_per_right_yen": valuation.amount_per_right_yen,
        "created": True,
    }
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.VALUATION, series=series)
    assert event.recorded_by.username == "system" and event.payload["status"] == "final"

    # Running it again (a re-run, a duplicate message) leaves the one final valuation.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.allotment_recompute_request(series=series, actor=legal)
    again.refresh_from_db()
    assert again.pk != job.pk and again.status == Status.SUCCEEDED and again.result["created"] is False
    assert services.job_run(job_id=job.pk) == {"skipped": True}
    assert finals(series).count() == 1
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.VALUATION, series=series).count() == 1


def test_missing_close_waits_then_completes_once_imported(legal, django_capture_on_commit_callbacks):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.allotment_recompute_request(series=series, actor=None)
    job.refresh_from_db()
    assert job.status == Status.WAITING and job.attempts == 1
    assert "no close on 2013-07-11" in job.last_error
    assert job.available_at > timezone.now() + timedelta(minutes=9)
    assert not finals(series).exists()

    # Not due yet: the sweep of due work leaves it alone.
    assert services.jobs_dispatch_due(now=timezone.now())["sent"] == 0
    import_allotment_close(series, actor=legal)
    result = services.jobs_dispatch_due(now=timezone.now() + timedelta(minutes=11))
    assert result["sent"] == 1
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.attempts == 2 and job.last_error == ""
    assert finals(series).count() == 1


def test_fallback_rule_when_the_day_has_no_close(legal, django_capture_on_commit_callbacks):
    """No close on the allotment date but a base price for the next trading day: (12)2 fallback."""
    from valuations import services as valuation_services

    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    report = valuation_services.import_share_prices(
        company=series.company,
        data=b"date,close,base_price\n2013-07-12,,2050\n",
        filename="b.csv",
        actor=legal,
    )
    assert report.ok
    with django_capture_on_commit_callbacks(execute=True):
        job = services.allotment_recompute_request(series=series, actor=None)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    valuation = finals(series).get()
    assert valuation.spot_yen == 2050 and "base price" in valuation.sources["spot_yen"]["detail"]


def test_enqueue_is_deduplicated_and_the_database_backs_it(legal):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    first = services.allotment_recompute_request(series=series, actor=legal)
    second = services.allotment_recompute_request(series=series, actor=legal)
    assert first.pk == second.pk and OutboxJob.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxJob.objects.create(task=first.task, kwargs=first.kwargs, dedupe_key=first.dedupe_key)
    # Once done, the same work may be asked for again.
    OutboxJob.objects.filter(pk=first.pk).update(status=Status.SUCCEEDED)
    assert services.allotment_recompute_request(series=series, actor=legal).pk != first.pk


def test_unexpected_error_is_recorded_and_left_to_celery_to_retry(legal, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setitem(registry.TARGETS, "grants.daily_sweep", broken)
    job = services.sweep_request(as_of=date(2020, 1, 1))
    with pytest.raises(RuntimeError):
        services.job_run(job_id=job.pk, final_attempt=False)
    job.refresh_from_db()
    # A retry is queued by Celery; the row says "sent", so a lost retry is re-sent by dispatch_due.
    assert job.status == Status.DISPATCHED and job.attempts == 1
    assert "RuntimeError: database went away" in job.last_error
    with pytest.raises(RuntimeError):
        services.job_run(job_id=job.pk, final_attempt=True)
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.attempts == 2
    # The task retries with exponential backoff, late acknowledgement, re-queued if its worker dies.
    assert run_outbox_job.autoretry_for == (Exception,) and run_outbox_job.max_retries == 5
    assert (
        run_outbox_job.retry_backoff == 5
        and run_outbox_job.acks_late
        and run_outbox_job.reject_on_worker_lost
    )


def test_stale_dispatched_job_is_resent(legal, settings):
    """A worker host died with the job: the row stays 'dispatched'; dispatch_due re-sends it."""
    settings.JOBS_STALE_AFTER_SECONDS = 60
    job = services.sweep_request(as_of=date(2020, 1, 1))
    long_ago = timezone.now() - timedelta(minutes=5)
    OutboxJob.objects.filter(pk=job.pk).update(status=Status.DISPATCHED, dispatched_at=long_ago, dispatches=1)
    result = services.jobs_dispatch_due(now=timezone.now())
    assert result["resent_stale"] == 1
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED and job.dispatches == 2 and job.attempts == 1


def test_resolving_a_recent_series_schedules_the_recomputation(legal, settings):
    settings.ALLOTMENT_RECOMPUTE_AFTER = "15:45"
    soon = timezone.localdate() + timedelta(days=3)
    series = make_series(
        actor=legal, allotment_date=soon, payment_date=soon, exercise_period_start=soon + timedelta(days=1)
    )
    entry = PeriodicTask.objects.select_related("clocked").get(name=recompute_entry_name(series.pk))
    local = timezone.localtime(entry.clocked.clocked_time)
    assert (local.date(), local.hour, local.minute, str(local.tzinfo)) == (soon, 15, 45, "Asia/Tokyo")
    assert entry.one_off and entry.enabled and entry.task == "jobs.enqueue_allotment_recompute"
    # Moving it keeps one entry.
    later = entry.clocked.clocked_time + timedelta(hours=1)
    allotment_recompute_schedule(series=series, at=later)
    assert PeriodicTask.objects.filter(name=recompute_entry_name(series.pk)).count() == 1
    assert PeriodicTask.objects.get(name=recompute_entry_name(series.pk)).clocked.clocked_time == later
    # The seed-style series allotted in 2013 is not scheduled automatically.
    old = make_series(actor=legal)
    assert not PeriodicTask.objects.filter(name=recompute_entry_name(old.pk)).exists()


def test_the_one_off_entry_enqueues_through_the_outbox(legal, django_capture_on_commit_callbacks):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    import_allotment_close(series, actor=legal)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = enqueue_allotment_recompute.delay(series.pk).get()
    job = OutboxJob.objects.get(pk=job_id)
    assert job.status == Status.SUCCEEDED and job.series == series and job.requested_by is None
    assert finals(series).count() == 1


def test_missed_schedule_is_reconciled_by_dispatch_due(
    legal, django_capture_on_commit_callbacks, monkeypatch
):
    """Beat was down at 15:30: the next dispatch_due finds the due recomputation and queues it."""
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    import_allotment_close(series, actor=legal)
    after_close = timezone.make_aware(timezone.datetime(2013, 7, 11, 16, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.jobs_dispatch_due(now=after_close)["enqueued"] == 1
    assert finals(series).count() == 1
    assert services.allotment_recomputes_reconcile(now=after_close) == 0  # covered now
    before_close = timezone.make_aware(timezone.datetime(2013, 7, 11, 15, 0))
    assert services.allotment_recomputes_reconcile(now=before_close) == 0


def test_ensure_schedules_is_idempotent(db):
    ensure_schedules()
    ensure_schedules()
    assert (
        PeriodicTask.objects.filter(name=DISPATCH_ENTRY, task="jobs.dispatch_due", interval__every=30).count()
        == 1
    )
    sweep = PeriodicTask.objects.select_related("crontab").get(name=SWEEP_ENTRY)
    assert (sweep.task, sweep.crontab.hour, sweep.crontab.minute, str(sweep.crontab.timezone)) == (
        "jobs.daily_sweep",
        "5",
        "0",
        "Asia/Tokyo",
    )


def test_changing_the_allotment_date_moves_the_recomputation(legal, secretary, settings):
    from grants.services import series_change_allotment_date

    settings.ALLOTMENT_RECOMPUTE_AFTER = "15:30"
    soon = timezone.localdate() + timedelta(days=3)
    series = make_series(
        actor=legal, allotment_date=soon, payment_date=soon, exercise_period_start=soon + timedelta(days=10)
    )
    moved = soon + timedelta(days=5)
    series_change_allotment_date(
        series=series,
        allotment_date=moved,
        payment_date=moved,
        resolution_date=timezone.localdate(),  # the board resolves today, never in the future
        resolution_reference="Board, date moved",
        actor=secretary,
    )
    entries = PeriodicTask.objects.select_related("clocked").filter(name=recompute_entry_name(series.pk))
    assert entries.count() == 1
    assert timezone.localtime(entries.get().clocked.clocked_time).date() == moved
