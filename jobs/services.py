"""Every write of background work: enqueue into the outbox, dispatch to the broker, run, record.

Status changes of a job are conditional UPDATEs checked by row count (docs/reliability.md fact 1): two
workers, or a worker and the recovery path, may touch the same row at once, and only one of them
may move it. Jobs are bookkeeping, not legal records: the legal record is what the target writes.
"""

from __future__ import annotations

import logging
import traceback
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from equityplan.celery import app
from grants.models import Series
from valuations.models import Valuation

from . import registry, reminders, schedules
from .broker import broker_available
from .exceptions import JobWaiting
from .models import OutboxJob, Reminder

logger = logging.getLogger("equityplan.jobs")

Status = OutboxJob.Status

# The Celery task that runs one outbox job (jobs.tasks registers it under this name).
RUN_TASK_NAME = "jobs.run_outbox_job"
DISPATCH_BATCH = 200


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- enqueue and dispatch ----------------------------------------------------------------------


def job_enqueue(
    *,
    task: str,
    kwargs: dict,
    dedupe_key: str,
    actor: User | None = None,
    series: Series | None = None,
    available_at: datetime | None = None,
) -> OutboxJob:
    """Write the job in the caller's transaction and send it to the queue once that commits.

    Asking again while a job with the same key is not done returns that job (made due now if it
    was waiting). If the broker is down at commit, the row stays pending and ``jobs_dispatch_due``
    sends it later: nothing asked for is lost, and the request never fails because of the queue.
    """
    if task not in registry.TARGETS:
        raise ValueError(f"unknown background task {task!r}")
    now = timezone.now()
    available_at = available_at or now
    with transaction.atomic():
        job = (
            OutboxJob.objects.select_for_update()
            .filter(dedupe_key=dedupe_key, status__in=OutboxJob.OPEN_STATUSES)
            .first()
        )
        if job is not None:
            if job.status in (Status.PENDING, Status.WAITING) and job.available_at > available_at:
                job.status, job.available_at = Status.PENDING, available_at
                job.save(update_fields=["status", "available_at"])
        else:
            job = OutboxJob(
                task=task,
                kwargs=kwargs,
                dedupe_key=dedupe_key,
                requested_by=actor,
                series=series,
                available_at=available_at,
            )
            job.full_clean(validate_constraints=False)  # the one-open-job-per-key constraint is the backstop
            try:
                with transaction.atomic():
                    job.save()
            except IntegrityError:
                job = OutboxJob.objects.get(dedupe_key=dedupe_key, status__in=OutboxJob.OPEN_STATUSES)
    if job.status == Status.PENDING and job.available_at <= now:
        job_id = job.pk
        transaction.on_commit(lambda: job_dispatch(job_id=job_id))
    return job


def _send(job_id: int) -> None:
    # Looked up by name, so this module need not import the task module (which imports this one);
    # JobsConfig.ready registers it. Eager mode runs it inline, as any apply_async would.
    # retry=False: with the broker down, fail at once instead of holding the request.
    app.tasks[RUN_TASK_NAME].apply_async(args=[job_id], retry=False)


def job_dispatch(*, job_id: int, now: datetime | None = None, stale_before: datetime | None = None) -> bool:
    """Send one job to the queue if it is due (or stale, when ``stale_before`` is given). Never raises.

    Returns True when the job was handed to the broker.
    """
    now = now or timezone.now()
    if not broker_available():
        logger.warning("background job %s not sent: the queue is unreachable; it stays pending", job_id)
        return False
    due = Q(status__in=[Status.PENDING, Status.WAITING], available_at__lte=now)
    if stale_before is not None:
        due |= Q(status=Status.DISPATCHED, dispatched_at__lt=stale_before)
        due |= Q(status=Status.RUNNING, started_at__lt=stale_before)
    claimed = OutboxJob.objects.filter(due, pk=job_id).update(
        status=Status.DISPATCHED, dispatched_at=now, dispatches=F("dispatches") + 1
    )
    if not claimed:
        return False  # sent by someone else meanwhile, or done
    try:
        _send(job_id)
    except Exception as exc:  # the broker went away between the check and the send
        logger.warning("background job %s not sent (%s); it stays pending", job_id, exc)
        OutboxJob.objects.filter(pk=job_id, status=Status.DISPATCHED, dispatched_at=now).update(
            status=Status.PENDING
        )
        return False
    return True


def jobs_dispatch_due(*, now: datetime) -> dict:
    """The recovery path, run every 30 s by beat: send what is due and re-send what went stale.

    * pending rows (the broker was down at commit) and waiting rows whose retry time came;
    * dispatched or running rows untouched for longer than JOBS_STALE_AFTER_SECONDS: a worker host
      died, or Redis lost the message. Targets are idempotent, so a second run is harmless.
    * allotment recomputations whose time has passed but that no job covers (a missed beat).
    """
    enqueued = allotment_recomputes_reconcile(now=now)
    stale_before = now - timedelta(seconds=_setting("JOBS_STALE_AFTER_SECONDS", 600))
    due_ids = list(
        OutboxJob.objects.filter(status__in=[Status.PENDING, Status.WAITING], available_at__lte=now)
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    stale_ids = list(
        OutboxJob.objects.filter(
            Q(status=Status.DISPATCHED, dispatched_at__lt=stale_before)
            | Q(status=Status.RUNNING, started_at__lt=stale_before)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    sent = sum(job_dispatch(job_id=pk, now=now) for pk in due_ids)
    resent = sum(job_dispatch(job_id=pk, now=now, stale_before=stale_before) for pk in stale_ids)
    if sent or resent or enqueued:
        logger.info(
            "dispatch_due: %s sent, %s stale re-sent, %s recomputations enqueued", sent, resent, enqueued
        )
    return {
        "sent": sent,
        "resent_stale": resent,
        "due": len(due_ids),
        "stale": len(stale_ids),
        "enqueued": enqueued,
    }


# --- running -----------------------------------------------------------------------------------


def job_run(*, job_id: int, final_attempt: bool = True) -> dict:
    """Run a job's target once and record the outcome. Called by the Celery task.

    A job already succeeded is not run again (a duplicate message). Unexpected errors are recorded
    and re-raised so Celery retries with backoff; ``final_attempt`` marks the job failed instead.
    """
    started = timezone.now()
    claimed = (
        OutboxJob.objects.filter(pk=job_id)
        .exclude(status__in=OutboxJob.DONE_STATUSES)
        .update(status=Status.RUNNING, started_at=started, attempts=F("attempts") + 1)
    )
    if not claimed:
        logger.info("background job %s already done or gone: not run again", job_id)
        return {"skipped": True}
    job = OutboxJob.objects.get(pk=job_id)
    target = registry.TARGETS[job.task]
    try:
        result = target(**job.kwargs)
    except JobWaiting as exc:
        retry_in = exc.retry_in or timedelta(minutes=_setting("JOBS_WAITING_RETRY_MINUTES", 10))
        finished = timezone.now()
        OutboxJob.objects.filter(pk=job_id).exclude(status=Status.SUCCEEDED).update(
            status=Status.WAITING, last_error=str(exc), available_at=finished + retry_in, finished_at=finished
        )
        logger.info("background job %s waiting: %s (next try in %s)", job_id, exc, retry_in)
        return {"waiting": str(exc)}
    except Exception as exc:
        finished = timezone.now()
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        OutboxJob.objects.filter(pk=job_id).exclude(status=Status.SUCCEEDED).update(
            # Not final: Celery has queued a retry; the row stays "sent" so a lost retry is re-sent.
            status=Status.FAILED if final_attempt else Status.DISPATCHED,
            dispatched_at=finished,
            last_error=error,
            finished_at=finished,
        )
        logger.exception("background job %s failed", job_id)
        raise
    OutboxJob.objects.filter(pk=job_id).exclude(status=Status.SUCCEEDED).update(
        status=Status.SUCCEEDED, result=result, last_error="", finished_at=timezone.now()
    )
    return result


# --- asking for work --------------------------------------------------------------------------


def holder_import_request(*, batch, actor: User) -> OutboxJob:
    """Queue a confirmed holders file (grants.hooks.holder_import_enqueue): one job per file."""
    return job_enqueue(
        task=registry.HOLDER_IMPORT_TASK,
        kwargs={"batch_id": batch.pk, "actor_id": actor.pk},
        dedupe_key=f"{registry.HOLDER_IMPORT_TASK}:{batch.pk}",
        actor=actor,
    )


def allotment_recompute_request(*, series: Series, actor: User | None) -> OutboxJob:
    """Ask for the recomputation now (the series page's "Re-run now", or the one-off schedule)."""
    return job_enqueue(
        task=registry.RECOMPUTE_TASK,
        kwargs={"series_id": series.pk, "valuation_date": series.allotment_date.isoformat()},
        dedupe_key=registry.recompute_dedupe_key(series_id=series.pk, valuation_date=series.allotment_date),
        actor=actor,
        series=series,
    )


def sweep_request(*, as_of: date, actor: User | None = None) -> OutboxJob:
    """Ask for the daily sweep of ``as_of`` (beat does, every morning)."""
    return job_enqueue(
        task=registry.SWEEP_TASK,
        kwargs={"as_of": as_of.isoformat()},
        dedupe_key=registry.sweep_dedupe_key(as_of=as_of),
        actor=actor,
    )


@transaction.atomic
def reminders_send_due(*, as_of: date) -> dict:
    """Record the reminders due on ``as_of`` and ask the outbox to send every reminder not sent yet,
    older ones whose sending gave up included (docs/domain.md reading R52). Beat runs it each morning;
    running it again records and sends nothing new."""
    recorded = reminders.reminders_plan(as_of=as_of)
    unsent = list(Reminder.objects.exclude(status=Reminder.Status.SENT).values_list("pk", flat=True))
    for reminder_id in unsent:
        reminder_send_request(reminder_id=reminder_id)
    return {"as_of": as_of.isoformat(), "recorded": recorded, "queued": len(unsent)}


def exercise_confirmed_reminder(*, request) -> None:
    """The holder's mail that an exercise is confirmed, recorded and queued in the confirming
    transaction (grants.hooks.after_exercise_confirmed): sent now, not with the next morning's run."""
    planned = reminders.exercise_confirmed_planned(request)
    reminder = reminders.reminder_record(planned) if planned is not None else None
    if reminder is not None:
        reminder_send_request(reminder_id=reminder.pk)


def reminder_send_request(*, reminder_id: int) -> OutboxJob:
    """Ask the outbox to send one recorded reminder; asking again while a send is open is harmless."""
    return job_enqueue(
        task=registry.REMINDER_SEND_TASK,
        kwargs={"reminder_id": reminder_id},
        dedupe_key=registry.reminder_send_dedupe_key(reminder_id=reminder_id),
    )


def allotment_recomputes_reconcile(*, now: datetime) -> int:
    """Queue recomputations whose time has passed but that no job covers (beat was down, or Redis
    refused the one-off entry's message). Bounded to the last RECOMPUTE_LOOKBACK_DAYS."""
    latest_day = schedules.latest_closed_day(now=now)
    candidates = list(
        Series.objects.filter(
            status__in=[Series.Status.RESOLVED, Series.Status.ALLOTTED],
            allotment_date__lte=latest_day,
            allotment_date__gte=latest_day - timedelta(days=schedules.RECOMPUTE_LOOKBACK_DAYS),
        )
    )
    if not candidates:
        return 0
    valued = set(
        Valuation.objects.filter(
            series__in=candidates, status__in=[Valuation.Status.FINAL, Valuation.Status.APPROVED]
        ).values_list("series_id", "valuation_date")
    )
    keys = {
        registry.recompute_dedupe_key(series_id=s.pk, valuation_date=s.allotment_date): s for s in candidates
    }
    covered = set(OutboxJob.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    enqueued = 0
    for key, series in keys.items():
        if key in covered or (series.pk, series.allotment_date) in valued:
            continue  # a failed job stays failed until someone re-runs it from the series page
        allotment_recompute_request(series=series, actor=None)
        enqueued += 1
    return enqueued
