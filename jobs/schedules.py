"""Beat's schedule, stored in the database (django-celery-beat), never as far-future ``eta``s.

* every 30 s: ``jobs.dispatch_due`` (the outbox's recovery path);
* every morning (JOBS_SWEEP_AT, Tokyo): ``jobs.daily_sweep``;
* every morning (JOBS_REMINDERS_AT, Tokyo, after the sweep): ``jobs.morning_reminders``;
* every Sunday (JOBS_FULL_VERIFY_AT, Tokyo): ``jobs.verify_ledger_full``, the check of every ledger
  row the daily sweep's incremental one leaves out (docs/reliability.md fact 19);
* per series, one-off at its allotment date after the close (ALLOTMENT_RECOMPUTE_AFTER, Tokyo):
  ``jobs.enqueue_allotment_recompute``. A far-future eta would be redelivered by Redis after its
  visibility timeout (docs/adr/0002-outbox.md), so the date lives in a ClockedSchedule row instead.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask

from equityplan.clock import today
from grants.models import Series

TOKYO = ZoneInfo("Asia/Tokyo")
DISPATCH_ENTRY = "jobs: dispatch due background work"
SWEEP_ENTRY = "jobs: daily sweep"
REMINDERS_ENTRY = "jobs: morning reminders"
FULL_VERIFY_ENTRY = "jobs: weekly full ledger verification"
# The Celery tasks beat's entries run (jobs.tasks registers them under these names).
DISPATCH_TASK_NAME = "jobs.dispatch_due"
SWEEP_TASK_NAME = "jobs.daily_sweep"
REMINDERS_TASK_NAME = "jobs.morning_reminders"
FULL_VERIFY_TASK_NAME = "jobs.verify_ledger_full"
# Sunday (cron's day 0): the weekly full check runs when nobody works and before Monday's sweep.
FULL_VERIFY_DAY_OF_WEEK = "0"
RECOMPUTE_TASK_NAME = "jobs.enqueue_allotment_recompute"
# Series whose allotment date is further back than this are not scheduled automatically (a series
# entered long after its allotment, such as the seed's 2013 series, was valued by hand).
RECOMPUTE_LOOKBACK_DAYS = 7


def _hh_mm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _recompute_after() -> time:
    return _hh_mm(getattr(settings, "ALLOTMENT_RECOMPUTE_AFTER", "15:30"))


def recompute_entry_name(series_id: int) -> str:
    return f"jobs: allotment-date recomputation, series {series_id}"


def recompute_time(series: Series) -> datetime:
    """When the close of the allotment date is known: ALLOTMENT_RECOMPUTE_AFTER on that day, Tokyo."""
    return datetime.combine(series.allotment_date, _recompute_after(), tzinfo=TOKYO)


@transaction.atomic
def allotment_recompute_schedule(*, series: Series, at: datetime | None = None) -> PeriodicTask:
    """Set (or move) the series' one-off recomputation entry. Idempotent."""
    at = at or recompute_time(series)
    name = recompute_entry_name(series.pk)
    existing = (
        PeriodicTask.objects.select_for_update(of=("self",))
        .filter(name=name)
        .select_related("clocked")
        .first()
    )
    clocked = ClockedSchedule.objects.create(clocked_time=at)
    defaults = {
        "task": RECOMPUTE_TASK_NAME,
        "clocked": clocked,
        "interval": None,
        "crontab": None,
        "one_off": True,
        "enabled": True,
        "kwargs": json.dumps({"series_id": series.pk}),
        "description": f"Final valuation of {series} from the close of {series.allotment_date.isoformat()}",
        "last_run_at": None,
        "total_run_count": 0,
    }
    if existing is None:
        entry = PeriodicTask(name=name, **defaults)
        entry.full_clean()
        entry.save()
        return entry
    old_clocked = existing.clocked
    for field, value in defaults.items():
        setattr(existing, field, value)
    existing.full_clean()
    existing.save()
    if old_clocked is not None and not PeriodicTask.objects.filter(clocked=old_clocked).exists():
        old_clocked.delete()
    return existing


def series_resolved(*, series: Series) -> None:
    """grants.hooks.after_series_resolved: schedule the recomputation, in the resolving transaction."""
    if series.allotment_date >= today() - timedelta(days=RECOMPUTE_LOOKBACK_DAYS):
        allotment_recompute_schedule(series=series)


def allotment_date_changed(*, series: Series) -> None:
    """grants.hooks.after_allotment_date_changed: move the entry of a resolved series to the new date."""
    if series.status == Series.Status.RESOLVED:
        series_resolved(series=series)


def recompute_entry(series: Series) -> PeriodicTask | None:
    return PeriodicTask.objects.filter(name=recompute_entry_name(series.pk)).select_related("clocked").first()


def latest_closed_day(*, now: datetime) -> date:
    """The last allotment date whose close is known at ``now`` (ALLOTMENT_RECOMPUTE_AFTER has passed)."""
    local_now = now.astimezone(TOKYO)
    if local_now.time() >= _recompute_after():
        return local_now.date()
    return local_now.date() - timedelta(days=1)


@transaction.atomic
def ensure_schedules() -> None:
    """The periodic entries, created or corrected. Idempotent: migrations and load_demo call it."""
    every_30s, _ = IntervalSchedule.objects.get_or_create(every=30, period=IntervalSchedule.SECONDS)
    sweep_at = _hh_mm(getattr(settings, "JOBS_SWEEP_AT", "05:00"))
    morning, _ = CrontabSchedule.objects.get_or_create(
        minute=str(sweep_at.minute),
        hour=str(sweep_at.hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=TOKYO,
    )
    reminders_at = _hh_mm(getattr(settings, "JOBS_REMINDERS_AT", "07:00"))
    reminders_morning, _ = CrontabSchedule.objects.get_or_create(
        minute=str(reminders_at.minute),
        hour=str(reminders_at.hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=TOKYO,
    )
    full_at = _hh_mm(getattr(settings, "JOBS_FULL_VERIFY_AT", "03:00"))
    weekly, _ = CrontabSchedule.objects.get_or_create(
        minute=str(full_at.minute),
        hour=str(full_at.hour),
        day_of_week=FULL_VERIFY_DAY_OF_WEEK,
        day_of_month="*",
        month_of_year="*",
        timezone=TOKYO,
    )
    for name, task, schedule in (
        (DISPATCH_ENTRY, DISPATCH_TASK_NAME, {"interval": every_30s, "crontab": None}),
        (SWEEP_ENTRY, SWEEP_TASK_NAME, {"interval": None, "crontab": morning}),
        (REMINDERS_ENTRY, REMINDERS_TASK_NAME, {"interval": None, "crontab": reminders_morning}),
        (FULL_VERIFY_ENTRY, FULL_VERIFY_TASK_NAME, {"interval": None, "crontab": weekly}),
    ):
        entry = PeriodicTask.objects.filter(name=name).first() or PeriodicTask(name=name)
        changed = (
            entry.pk is None
            or entry.task != task
            or any(
                getattr(entry, f"{field}_id") != (value.pk if value else None)
                for field, value in schedule.items()
            )
        )
        if changed:
            entry.task = task
            for field, value in schedule.items():
                setattr(entry, field, value)
            entry.enabled = True
            entry.full_clean()
            entry.save()


def ensure_schedules_after_migrate(sender, **kwargs) -> None:
    if sender.name == "jobs":
        ensure_schedules()


def ensure_schedules_demo_step(*, users, series) -> None:
    """grants.demo.EXTRA_STEPS: the periodic entries exist whenever the demo is loaded."""
    ensure_schedules()
