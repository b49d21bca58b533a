"""The restart drill: the throwaway PostgreSQL restarts under load; with CONN_HEALTH_CHECKS (as in
production settings) no request fails once it is back. Requests go through Django's WSGI handler
in long-lived threads, as gunicorn's workers keep their connection (CONN_MAX_AGE)."""

import threading
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import auditor_user
from tests.infra.postgres import restart_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.restarts_postgres, pytest.mark.django_db(transaction=True)]


def request_once(handler, environ) -> int:
    statuses = []
    body = handler(dict(environ), lambda status, headers, exc_info=None: statuses.append(int(status[:3])))
    try:
        b"".join(body)
    finally:
        body.close()  # request_finished: where Django closes an unusable or expired connection
    return statuses[0]


def drill(health_checks: bool, client) -> dict:
    """Two workers: one busy through the restart, one idle across it. Counts by phase."""
    settings_dict = connection.settings_dict  # shared by every thread's connection
    saved = dict(settings_dict)
    settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=health_checks)
    client.force_login(auditor_user())
    environ = RequestFactory()._base_environ(
        PATH_INFO=reverse("jobs:job_list"),
        REQUEST_METHOD="GET",
        HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}",
    )
    handler = WSGIHandler()
    back_at: list[float] = []
    stop, idle_go = threading.Event(), threading.Event()
    counts = {"before": 0, "during_errors": 0, "after": 0, "after_errors": 0}
    lock = threading.Lock()

    def record(started: float, status: int | None) -> None:
        with lock:
            if back_at and started >= back_at[0]:
                counts["after"] += 1
                counts["after_errors"] += status != 200
            elif status == 200 and not back_at:
                counts["before"] += 1
            elif status != 200:
                counts["during_errors"] += 1

    def call() -> None:
        started = time.monotonic()
        try:
            status = request_once(handler, environ)
        except Exception:
            status = None
        record(started, status)

    def busy() -> None:
        try:
            while not stop.is_set():
                call()
                time.sleep(0.01)
        finally:
            connection.close()

    def idle() -> None:
        try:
            for _ in range(3):
                call()
            idle_go.wait(120)
            for _ in range(20):
                call()
        finally:
            connection.close()

    threads = [threading.Thread(target=busy), threading.Thread(target=idle)]
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        restart_postgres()
        back_at.append(time.monotonic())
        idle_go.set()
        time.sleep(1.5)
        stop.set()
        for t in threads:
            t.join(60)
    finally:
        stop.set()
        idle_go.set()
        settings_dict.clear()
        settings_dict.update(saved)
        connection.close()  # this thread's connection died with the server
    print(f"restart drill (CONN_HEALTH_CHECKS={health_checks}): {counts}")
    return counts


def test_a_restart_costs_no_request_once_the_database_is_back(client):
    control = drill(False, client)
    assert control["after_errors"] >= 1  # the idle worker's first request: why health checks are on
    counts = drill(True, client)
    assert counts["before"] > 0 and counts["after"] >= 20
    assert counts["after_errors"] == 0
