"""gunicorn's settings for the web process (Procfile: ``gunicorn -c gunicorn.conf.py equityplan.wsgi``).

What stays in the request must end in bounded time and memory (docs/reliability.md fact 17). Pages
read a page of rows; the CSV and Excel files stream from server-side cursors with memory flat in
their size, and at a million rows they take longer than any sensible request timeout; a register
PDF too big for the request is prepared by the Celery worker (papers/pdfjobs.py). So: threaded
workers (gthread), whose heartbeat does not wait for a request, so a long download is not killed
halfway, and a slow page holds one thread, not a whole worker; ``timeout`` still replaces a worker
that stops answering. Each worker is replaced after a number of requests, so memory a big page
took is given back.
"""

import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = f"{os.environ.get('WEB_HOST') or '127.0.0.1'}:{_int('PORT', 8000)}"
worker_class = "gthread"
# One process per core and one more; WEB_CONCURRENCY where memory is tighter.
workers = _int("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1)
# Requests served at once by each worker (Django's ORM gives each thread its own connection).
threads = _int("GUNICORN_THREADS", 4)
# A worker whose main loop has not answered the arbiter this long is replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart or a recycled worker, requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Each worker is replaced after about this many requests; the jitter spreads the restarts.
max_requests = _int("GUNICORN_MAX_REQUESTS", 500)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 50)
# Idle keep-alive connections are held longer than the TLS proxy holds its own (nginx: 60 s), so the
# proxy is always the one to close them: if gunicorn closed one just as the proxy sent a request on
# it, that request would fail (seen in the load benchmark with 5 s and users pausing 3-10 s).
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# The workers' heartbeat files in memory, not on a disk that may stall (containers).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
# Not preloaded: each worker imports the app itself, so a recycled worker starts clean.
preload_app = False
accesslog = "-"
control_socket_disable = True


def post_worker_init(worker):
    """Build, before the first request, what a new worker would build on it (equityplan/warmup.py)."""
    from equityplan.warmup import warm_up

    figures = warm_up()
    worker.log.info("warmed up: %d templates in %.1f s", figures["templates"], figures["seconds"])
