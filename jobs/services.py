"""Every write of background work: enqueue into the outbox, dispatch to the broker, run, record.

Status changes of a job are conditional UPDATEs checked by row count (RELIABILITY.md fact 1): two
workers, or a worker and the recovery path, may touch the same row at once, and only one of them
may move it. Jobs are bookkeeping, not legal records: the legal record is what the target writes.
"""

from __future__ import annotations

import logging
import time
import traceback
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from grants.models import Series

from . import registry
from .broker import broker_available
from .models import OutboxJob

logger = logging.getLogger("equityplan.jobs")

Status = OutboxJob.Status

SYSTEM_USERNAME = "system"
RECOMPUTE_TASK = "valuation.allotment_recompute"
SWEEP_TASK = "grants.daily_sweep"
# A fault drill may ask the recomputation to hold this long before computing (a slow task to kill).
MAX_HOLD_SECONDS = 60
DISPATCH_BATCH = 200


def _setting(name: str, default):
    return getattr(settings, name, default)


def system_user() -> User:
    """The actor of automatic events (the sweep, the scheduled recomputation). Cannot log in."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "last_name": "(automatic)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def recompute_dedupe_key(*, series_id: int, valuation_date: date) -> str:
    return f"{RECOMPUTE_TASK}:{series_id}:{valuation_date.isoformat()}"


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
    from .tasks import run_outbox_job

    # retry=False: with the broker down, fail at once instead of holding the request.
    run_outbox_job.apply_async(args=[job_id], retry=False)


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
    from .schedules import allotment_recomputes_reconcile

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
    except registry.JobWaiting as exc:
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


# --- the allotment-date recomputation ----------------------------------------------------------


def _final_valuation(series_id: int, valuation_date: date):
    from valuations.models import Valuation

    return (
        Valuation.objects.filter(
            series_id=series_id,
            valuation_date=valuation_date,
            status__in=[Valuation.Status.FINAL, Valuation.Status.APPROVED],
        )
        .order_by("pk")
        .first()
    )


def _valuation_result(valuation, *, created: bool) -> dict:
    return {
        "valuation_id": valuation.pk,
        "valuation_date": valuation.valuation_date.isoformat(),
        "status": valuation.status,
        "spot_yen": str(valuation.spot_yen),
        "amount_per_right_yen": valuation.amount_per_right_yen,
        "created": created,
    }


def allotment_recompute(*, series_id: int, valuation_date: str, hold_seconds: int = 0) -> dict:
    """The final valuation of a series as of its allotment date, from that day's close, notice (12).

    Uses the series' fallback rule when the day has no close (valuations.services.derive_spot).
    Idempotent: when a final (or approved) valuation exists for the series and date it is the
    result; two runs at once leave one, as the database allows only one (valuation_one_final_...).
    Raises JobWaiting while the data (the close) is not imported yet.
    """
    from valuations.services import valuation_run

    on = date.fromisoformat(valuation_date)
    if hold_seconds:
        time.sleep(min(int(hold_seconds), MAX_HOLD_SECONDS))
    existing = _final_valuation(series_id, on)
    if existing is not None:
        return _valuation_result(existing, created=False)
    series = Series.objects.get(pk=series_id)
    try:
        valuation = valuation_run(series=series, valuation_date=on, actor=system_user(), final=True)
    except ValidationError as exc:
        existing = _final_valuation(series_id, on)  # another worker stored it first
        if existing is not None:
            return _valuation_result(existing, created=False)
        raise registry.JobWaiting("; ".join(exc.messages)) from exc
    return _valuation_result(valuation, created=True)


def allotment_recompute_request(*, series: Series, actor: User | None) -> OutboxJob:
    """Ask for the recomputation now (the series page's "Re-run now", or the one-off schedule)."""
    return job_enqueue(
        task=RECOMPUTE_TASK,
        kwargs={"series_id": series.pk, "valuation_date": series.allotment_date.isoformat()},
        dedupe_key=recompute_dedupe_key(series_id=series.pk, valuation_date=series.allotment_date),
        actor=actor,
        series=series,
    )


def sweep_request(*, as_of: date, actor: User | None = None) -> OutboxJob:
    """Ask for the daily sweep of ``as_of`` (beat does, every morning)."""
    return job_enqueue(
        task=SWEEP_TASK,
        kwargs={"as_of": as_of.isoformat()},
        dedupe_key=f"{SWEEP_TASK}:{as_of.isoformat()}",
        actor=actor,
    )
