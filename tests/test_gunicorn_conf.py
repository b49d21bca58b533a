"""What stays synchronous is bounded: gunicorn's timeouts and recycling, the worker's recycling."""

import runpy
from pathlib import Path

from equityplan.celery import app

ROOT = Path(__file__).resolve().parent.parent


def test_the_web_process_reads_gunicorn_conf(monkeypatch):
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "-c gunicorn.conf.py" in web
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    # Threaded workers: a long download is not killed by the heartbeat timeout; a slow page holds a thread.
    assert conf["worker_class"] == "gthread" and conf["workers"] >= 2 and conf["threads"] >= 2
    assert 10 <= conf["timeout"] <= 60 and 0 < conf["graceful_timeout"] <= conf["timeout"]
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["bind"] == "127.0.0.1:8123" and conf["preload_app"] is False
    # Longer than the proxy keeps an idle upstream connection (nginx: 60 s): the proxy closes it.
    assert conf["keepalive"] > 60


def test_the_environment_can_narrow_it(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "20")
    monkeypatch.setenv("GUNICORN_KEEPALIVE", "100")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["workers"], conf["timeout"], conf["keepalive"]) == (2, 20, 100)


def test_a_worker_process_is_replaced_after_a_big_task():
    assert 0 < app.conf.worker_max_memory_per_child <= 1024 * 1024  # KiB: at most 1 GiB
    assert app.conf.worker_max_tasks_per_child > 0
    # A task longer than Redis's visibility timeout would be handed out twice (docs/reliability.md fact 3).
    from papers.tasks import register_pdf

    assert register_pdf.time_limit < app.conf.broker_transport_options["visibility_timeout"]


def test_a_new_worker_is_warmed_up_before_its_first_request(monkeypatch):
    from grants.domain.calendar import xtks_coverage

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    xtks_coverage.cache_clear()
    logged = []

    class Worker:
        class log:  # noqa: N801 (gunicorn's worker.log)
            @staticmethod
            def info(message, *args):
                logged.append(message % args)

    conf["post_worker_init"](Worker())
    # Every project template compiled, the XTKS calendar built (grants' warm_up).
    templates = len(list((ROOT / "templates").rglob("*.html")))
    assert logged and logged[0].startswith(f"warmed up: {templates} templates in ")
    assert xtks_coverage.cache_info().currsize == 1


def test_a_template_that_does_not_compile_does_not_stop_the_worker(settings, tmp_path, caplog):
    from equityplan.warmup import warm_up

    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "fine.html").write_text("{{ value }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert warm_up()["templates"] == 1
    assert "template broken.html does not compile" in caplog.text
