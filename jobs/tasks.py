"""Thin Celery tasks: pass ids, call a service (docs/style.md habit 8).

``run_outbox_job`` is acknowledged late and rejected (re-queued) when its worker process dies, so a
SIGKILL mid-task means the task runs again (docs/reliability.md fact 2); its targets are idempotent.
Nothing in jobs imports this module: services send ``run_outbox_job`` by its name, and beat's
entries name the others.
"""

from celery import shared_task
from django.utils import timezone

from equityplan.clock import today
from grants.models import Series

from . import schedules, services
from .ledger import verify_ledger

RETRY_BACKOFF_SECONDS = 5
RETRY_BACKOFF_MAX_SECONDS = 600
MAX_RETRIES = 5


@shared_task(
    bind=True,
    name=services.RUN_TASK_NAME,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def run_outbox_job(self, job_id: int) -> dict:
    return services.job_run(job_id=job_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(name=schedules.DISPATCH_TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def dispatch_due() -> dict:
    return services.jobs_dispatch_due(now=timezone.now())


@shared_task(name=schedules.SWEEP_TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def daily_sweep() -> int:
    """Beat's morning entry: queue today's sweep through the outbox (one per day)."""
    return services.sweep_request(as_of=today()).pk


@shared_task(name=schedules.REMINDERS_TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def morning_reminders() -> dict:
    """Beat's morning entry: record today's reminders and queue their sending through the outbox.
    Run twice (a redelivered message), it records and sends nothing new."""
    return services.reminders_send_due(as_of=today())


@shared_task(name=schedules.FULL_VERIFY_TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def verify_ledger_full() -> dict:
    """Beat's weekly entry: verify every row of both chains and every holding, and record it. Run
    twice (a redelivered message), it records a second check and changes nothing else."""
    out = verify_ledger(full=True)
    return {"ok": out.ok, "rows": out.rows, "first_problem": str(out.problems[0]) if out.problems else ""}


@shared_task(name=schedules.RECOMPUTE_TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def enqueue_allotment_recompute(series_id: int) -> int | None:
    """The one-off entry at the allotment date's close: queue the recomputation through the outbox."""
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        return None
    return services.allotment_recompute_request(series=series, actor=None).pk
