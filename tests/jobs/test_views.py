"""The task-run page, the series panel, "Re-run now", and pages while the queue is unreachable."""

import time
from datetime import date

import pytest
from django.urls import reverse

from jobs import broker, context_processors
from jobs.models import OutboxJob
from jobs.services import sweep_request
from tests.factories import auditor_user, make_series
from tests.infra.ports import free_port


@pytest.fixture
def series(legal):
    return make_series(actor=legal)


@pytest.fixture
def queue_unreachable():
    """Tasks go to a broker on a loopback port where nothing listens (no eager mode)."""
    from equityplan.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    broker.forget()
    context_processors.forget()
    yield
    app.conf.task_always_eager, app.conf.broker_url = saved
    broker.forget()
    context_processors.forget()


def test_job_list_for_every_role_in_bounded_queries(client, legal, django_assert_max_num_queries):
    for day in range(1, 21):
        sweep_request(as_of=date(2020, 1, day), actor=legal)
    client.force_login(auditor_user())
    with django_assert_max_num_queries(12):
        response = client.get(reverse("jobs:job_list"))
    assert response.status_code == 200
    assert response.content.decode().count("grants.daily_sweep") == 20
    assert client.get(reverse("jobs:job_list"), {"status": "nonsense"}).status_code == 200


def test_series_panel_and_rerun_for_legal_staff(client, legal, series, django_capture_on_commit_callbacks):
    client.force_login(legal)
    page = client.get(series.get_absolute_url()).content.decode()
    assert 'data-testid="recompute-panel"' in page and 'data-testid="recompute-run"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:recompute_run", args=[series.pk]), {"status": "succeeded"})
    assert response.status_code == 302 and response["Location"] == series.get_absolute_url()
    job = OutboxJob.objects.get()
    assert job.series == series and job.requested_by == legal
    # No market data for this series: the job waits, and the page says why.
    assert job.status == "waiting"
    page = client.get(series.get_absolute_url()).content.decode()
    assert "Waiting for data" in page and "no close on 2013-07-11" in page


def test_rerun_refused_to_auditors_and_get(client, series):
    client.force_login(auditor_user())
    assert 'data-testid="recompute-run"' not in client.get(series.get_absolute_url()).content.decode()
    assert client.post(reverse("jobs:recompute_run", args=[series.pk])).status_code == 403
    assert not OutboxJob.objects.exists()


def test_rerun_get_is_405_and_unknown_series_404(client, legal, series):
    client.force_login(legal)
    assert client.get(reverse("jobs:recompute_run", args=[series.pk])).status_code == 405
    assert client.post(reverse("jobs:recompute_run", args=[series.pk + 999])).status_code == 404


def test_pages_work_and_say_so_while_the_queue_is_unreachable(
    client, legal, series, queue_unreachable, django_capture_on_commit_callbacks
):
    client.force_login(legal)
    response = client.get(series.get_absolute_url())
    assert response.status_code == 200
    assert "Background work is paused" in response.content.decode()
    assert client.get(reverse("grants:allotment_create", args=[series.pk])).status_code == 200
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("jobs:recompute_run", args=[series.pk]), follow=True)
    assert len(callbacks) == 1  # the dispatch was tried after commit, and failed quietly
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert "will run when the queue is back" in response.content.decode()
    job = OutboxJob.objects.get()
    assert job.status == OutboxJob.Status.PENDING and job.dispatches == 0


def test_admin_action_sends_due_jobs_and_reports_when_the_queue_is_down(
    client, django_user_model, queue_unreachable
):
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "pw")
    job = sweep_request(as_of=date(2026, 1, 5))
    client.force_login(root)
    response = client.post(
        reverse("admin:jobs_outboxjob_changelist"),
        {"action": "send_now", "_selected_action": [job.pk]},
        follow=True,
    )
    assert "0 of 1 jobs sent" in response.content.decode()
    job.refresh_from_db()
    assert job.status == OutboxJob.Status.PENDING and job.dispatches == 0
