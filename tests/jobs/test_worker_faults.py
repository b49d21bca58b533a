"""Real parts: a real redis-server (tests/conftest.py), a real Celery worker process (and beat), and
PostgreSQL, which the worker process reaches too (an in-memory SQLite test database could not be
shared with another process). Faults: a worker child killed with SIGKILL mid-task; Redis stopped.

Each test appends what it measured (seconds to recover, runs per task) to
test-artifacts/jobs-fault-measurements.jsonl.
"""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import psutil
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from jobs import broker, context_processors, registry, services
from jobs.models import OutboxJob
from jobs.schedules import allotment_recompute_schedule, ensure_schedules
from valuations.models import Valuation

from .conftest import import_allotment_close, series_awaiting_close

pytestmark = [pytest.mark.services, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
ALLOTTED_ON = date(2013, 7, 11)
Status = OutboxJob.Status


def record(name: str, **figures) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "jobs-fault-measurements.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps({"test": name, **figures}) + "\n")
    print(name, figures)


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class CeleryProcess:
    """A `celery -A equityplan <worker|beat>` subprocess against the test's Redis and database."""

    def __init__(self, kind: str, args: list[str], redis_url: str, log: Path, ready: str):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "equityplan.settings.test",
            "CELERY_EAGER": "0",
            "REDIS_URL": redis_url,
            "DATABASE_URL": database_url(),
            "PYTHONUNBUFFERED": "1",
        }
        self.log = log
        self.kind = kind
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "equityplan", kind, *args],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.wait_for_log(ready, timeout=60)

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, needle: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if self.process.poll() is not None:
                raise RuntimeError(f"celery {self.kind} exited:\n{self.text()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"celery {self.kind} not ready:\n{self.text()[-3000:]}")
            time.sleep(0.1)

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.pid).children(recursive=True)

    def stop(self) -> None:
        """Warm shutdown by PID, then SIGKILL to the process and its children if it lingers."""
        if self.process.poll() is not None:
            return
        children = self.children()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        for child in children:
            if child.is_running():
                child.kill()


def reset_pools(app) -> None:
    """Forget the connection and producer pools, so the next send connects to the current broker URL."""
    from kombu import pools

    pools.reset()  # closes and forgets kombu's global connection and producer pools
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def queue(redis_url):
    """This test process sends tasks to the real Redis instead of running them inline."""
    from equityplan.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    reset_pools(app)
    broker.forget()
    context_processors.forget()
    yield redis_url
    reset_pools(app)
    app.conf.task_always_eager, app.conf.broker_url = saved
    broker.forget()
    context_processors.forget()


@pytest.fixture
def worker(queue, tmp_path):
    process = CeleryProcess(
        "worker",
        ["--pool", "prefork", "--concurrency", "1", "-l", "info", "--without-gossip", "--without-mingle",
         "-n", f"jobs-test-{os.getpid()}@%h"],
        queue,
        tmp_path / "worker.log",
        ready="ready.",
    )  # fmt: skip
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def legal(transactional_db):
    from tests.factories import legal_user

    return legal_user()


def wait_for(predicate, timeout: float, what: str, log: CeleryProcess | None = None):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}" + (f"\n{log.text()[-4000:]}" if log else ""))
        time.sleep(0.05)


def finals(series):
    return Valuation.objects.filter(series=series, status__in=["final", "approved"])


def test_scheduled_recomputation_runs_by_itself_and_stores_one_final_valuation(
    legal, queue, worker, tmp_path
):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    import_allotment_close(series, actor=legal, price=2100)
    ensure_schedules()
    scheduled_at = timezone.now() + timedelta(seconds=4)
    allotment_recompute_schedule(series=series, at=scheduled_at)
    beat = CeleryProcess(
        "beat",
        ["-l", "info", "-s", str(tmp_path / "beat-schedule"), "--scheduler",
         "django_celery_beat.schedulers:DatabaseScheduler", "--max-interval", "1"],
        queue,
        tmp_path / "beat.log",
        ready="beat: Starting",
    )  # fmt: skip
    try:
        job = wait_for(
            lambda: OutboxJob.objects.filter(series=series, status=Status.SUCCEEDED).first(),
            60,
            "the job",
            worker,
        )
    finally:
        beat.stop()
    done_after = (job.finished_at - scheduled_at).total_seconds()
    valuation = finals(series).get()
    assert valuation.spot_yen == 2100 and valuation.computed_by.username == "system"
    assert job.result["valuation_id"] == valuation.pk and job.attempts == 1 and job.requested_by is None
    record(
        "scheduled_recompute", seconds_from_scheduled_time_to_stored=round(done_after, 2), runs=job.attempts
    )


def test_worker_child_killed_mid_task_runs_it_again_to_one_result(legal, worker):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    import_allotment_close(series, actor=legal)
    job = services.job_enqueue(
        task=registry.RECOMPUTE_TASK,
        kwargs={"series_id": series.pk, "valuation_date": ALLOTTED_ON.isoformat(), "hold_seconds": 3},
        dedupe_key=registry.recompute_dedupe_key(series_id=series.pk, valuation_date=ALLOTTED_ON),
        series=series,
    )
    wait_for(
        lambda: OutboxJob.objects.filter(pk=job.pk, status=Status.RUNNING).exists(),
        30,
        "the first run",
        worker,
    )
    children = worker.children()
    assert children, "the prefork pool has no child process"
    killed_at = time.monotonic()
    for child in children:
        os.kill(child.pid, signal.SIGKILL)
    wait_for(
        lambda: OutboxJob.objects.filter(pk=job.pk, attempts__gte=2).exists(),
        30,
        "the task to run again",
        worker,
    )
    restarted = time.monotonic() - killed_at
    wait_for(
        lambda: OutboxJob.objects.filter(pk=job.pk, status=Status.SUCCEEDED).exists(),
        60,
        "completion",
        worker,
    )
    completed = time.monotonic() - killed_at
    job.refresh_from_db()
    assert job.attempts == 2 and job.dispatches == 1  # redelivered by Redis, not re-sent by us
    assert finals(series).count() == 1 and job.result["created"] is True
    assert "WorkerLostError" in worker.text() or "SIGKILL" in worker.text()
    record(
        "sigkill_worker_child",
        seconds_kill_to_second_start=round(restarted, 2),
        seconds_kill_to_stored=round(completed, 2),
        hold_seconds=3,
        runs=job.attempts,
        final_valuations=1,
    )


def test_redis_down_pages_answer_and_work_runs_once_it_is_back(legal, queue, worker, redis_server, client):
    series = series_awaiting_close(legal=legal, allotment_date=ALLOTTED_ON)
    import_allotment_close(series, actor=legal)
    client.force_login(legal)

    redis_server.stop()
    broker.forget()
    context_processors.forget()
    started = time.monotonic()
    page = client.get(series.get_absolute_url())
    assert page.status_code == 200 and "Background work is paused" in page.content.decode()
    assert client.get(reverse("grants:allotment_create", args=[series.pk])).status_code == 200
    response = client.post(reverse("jobs:recompute_run", args=[series.pk]))
    assert response.status_code == 302
    pages_seconds = time.monotonic() - started
    job = OutboxJob.objects.get(series=series)
    assert job.status == Status.PENDING and job.dispatches == 0
    time.sleep(1)
    assert not finals(series).exists()

    redis_server.start()
    back_at = time.monotonic()
    broker.forget()
    result = services.jobs_dispatch_due(now=timezone.now())
    assert result["sent"] == 1
    wait_for(
        lambda: OutboxJob.objects.filter(pk=job.pk, status=Status.SUCCEEDED).exists(),
        90,
        "completion",
        worker,
    )
    recovered = time.monotonic() - back_at
    job.refresh_from_db()
    assert finals(series).count() == 1 and job.attempts == 1 and job.dispatches == 1
    record(
        "redis_down",
        seconds_for_three_requests_while_down=round(pages_seconds, 2),
        seconds_redis_back_to_stored=round(recovered, 2),
        runs=job.attempts,
    )
