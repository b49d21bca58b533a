"""The test infrastructure itself: ports, the real Redis, the concurrency helper."""

import socket
import threading

import pytest
import redis

from tests.infra.concurrency import run_concurrently
from tests.infra.ports import LOOPBACK, free_port, is_port_free


def test_free_port_is_free_and_then_taken_once_bound():
    port = free_port()
    assert 1024 <= port <= 65535
    assert is_port_free(port)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, port))
        s.listen()
        assert not is_port_free(port)
    assert is_port_free(port)


@pytest.mark.services
def test_redis_answers_ping_on_loopback_with_appendonly(redis_url, redis_server):
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping() is True
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("bind")["bind"] == LOOPBACK
        assert client.config_get("port")["port"] == str(redis_server.port)
    finally:
        client.close()
    assert not is_port_free(redis_server.port)


@pytest.mark.services
@pytest.mark.parametrize("kill", [False, True], ids=["sigterm", "sigkill"])
def test_redis_keeps_its_data_across_a_restart(redis_url, redis_server, kill):
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    try:
        client.set("equityplan:probe", "kept")
        client.rpush("celery", "task-1", "task-2")  # what a queued Celery message looks like to Redis
        port, pid = redis_server.port, redis_server.pid

        redis_server.stop(kill=kill)
        assert redis_server.pid is None
        with pytest.raises(redis.ConnectionError):
            client.ping()

        redis_server.start()
        assert redis_server.port == port
        assert redis_server.pid != pid
        assert client.get("equityplan:probe") == b"kept"
        assert client.lrange("celery", 0, -1) == [b"task-1", b"task-2"]
    finally:
        client.close()


def test_run_concurrently_releases_all_threads_together_and_reports_errors():
    arrived = []
    lock = threading.Lock()

    def fn(i):
        with lock:
            arrived.append(i)
        if i % 2:
            raise ValueError(i)
        return i * 10

    results = run_concurrently(fn, [(i,) for i in range(6)])
    err = ("err", "ValueError")
    assert results == [("ok", 0), err, ("ok", 20), err, ("ok", 40), err]
    assert sorted(arrived) == list(range(6))


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_marked_tests_really_run_on_postgresql_15_or_newer():
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


@pytest.mark.browser
def test_chromium_renders_a_page(page):
    page.set_content("<title>probe</title><h1 id='h'>株式報酬 equityplan</h1>")
    assert page.title() == "probe"
    assert page.locator("#h").inner_text() == "株式報酬 equityplan"
    assert page.viewport_size == {"width": 1280, "height": 900}
    assert page.screenshot()[:8] == b"\x89PNG\r\n\x1a\n"


# --- which step runs a test (tests/README.md) ------------------------------------------------


def test_without_a_database_fixture_the_database_is_refused():
    """The premise of leaving such tests out of the PostgreSQL step: they cannot reach any database."""
    from django.contrib.auth.models import User

    with pytest.raises(RuntimeError, match="Database access not allowed"):
        User.objects.count()


def test_a_test_without_the_database_runs_in_the_sqlite_step_only(request):
    from tests.conftest import uses_database

    assert not uses_database(request.node)


@pytest.mark.django_db
def test_a_test_marked_django_db_runs_on_postgresql_too(request):
    from tests.conftest import uses_database

    assert uses_database(request.node)


def test_a_test_whose_fixture_reaches_the_database_runs_on_postgresql_too(request, legal):
    from tests.conftest import uses_database

    assert uses_database(request.node)
