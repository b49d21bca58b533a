"""Reads for the background-work pages, each in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from grants.models import Series
from holders.access import visible_holders

from .models import LedgerCheck, OutboxJob, Reminder
from .registry import RECOMPUTE_TASK, SWEEP_TASK
from .schedules import recompute_entry, recompute_time

Status = OutboxJob.Status


def recent_jobs(*, limit: int = 100, status: str | None = None) -> QuerySet[OutboxJob]:
    qs = OutboxJob.objects.select_related("series", "requested_by").order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    return qs[:limit]


def series_panel_context(*, series: Series, on: date) -> dict:
    """The series page's panel: the scheduled recomputation, its last runs, result or error."""
    runs = list(
        OutboxJob.objects.filter(series=series, task=RECOMPUTE_TASK)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")[:5]
    )
    return {
        "panels": ["jobs/_series_panel.html"],
        "recompute_entry": recompute_entry(series),
        "recompute_due_at": recompute_time(series),
        "recompute_runs": runs,
        "recompute_last": runs[0] if runs else None,
    }


def latest_sweep() -> OutboxJob | None:
    """The last sweep that finished, with its list of deadlines of the coming 30 days (``result``)."""
    return (
        OutboxJob.objects.filter(task=SWEEP_TASK, status=Status.SUCCEEDED)
        .order_by("-finished_at", "-pk")
        .first()
    )


def jobs_delayed(*, now: datetime) -> int:
    """Jobs due for longer than JOBS_PAUSED_AFTER_SECONDS that no worker has started: the worker (or
    beat, or the broker) is not doing its work."""
    late = now - timedelta(seconds=getattr(settings, "JOBS_PAUSED_AFTER_SECONDS", 120))
    return OutboxJob.objects.filter(
        Q(status=Status.PENDING, available_at__lt=late) | Q(status=Status.DISPATCHED, dispatched_at__lt=late)
    ).count()


def jobs_waiting_count() -> int:
    return OutboxJob.objects.filter(status__in=[Status.PENDING, Status.DISPATCHED]).count()


def latest_ledger_check() -> LedgerCheck | None:
    """The last run of the ledger's verifier (verify_ledger or the daily sweep), one query."""
    return LedgerCheck.objects.order_by("-checked_at", "-pk").first()


def latest_full_ledger_check() -> LedgerCheck | None:
    """The last run that read every row (weekly, or verify_ledger --full), one query."""
    return LedgerCheck.objects.filter(kind=LedgerCheck.Kind.FULL).order_by("-checked_at", "-pk").first()


def recent_ledger_checks(*, limit: int = 10) -> list[LedgerCheck]:
    """The last runs of the verifier, newest first, for /jobs/ (one query; the result is not read)."""
    return list(LedgerCheck.objects.defer("result").order_by("-checked_at", "-pk")[:limit])


def visible_reminders(user, *, limit: int = 200) -> list:
    """Reminders the user may see: their own digests, and those to holders they may see (R47)."""
    qs = Reminder.objects.select_related("holder", "user").order_by("-on_date", "-pk")
    if not user.is_superuser:
        qs = qs.filter(Q(user=user) | Q(holder__in=visible_holders(user)))
    return list(qs[:limit])


def holder_reminders_panel(*, holder, on: date, viewer=None) -> dict:
    """The holder page's panel of the reminders sent to the holder (HolderDetailView provider)."""
    reminders = list(Reminder.objects.filter(holder=holder).order_by("-on_date", "-pk")[:20])
    return {"holder_reminders": reminders, "holder_panels": ["jobs/_holder_reminders.html"]}
