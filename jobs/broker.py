"""Is the queue reachable? A short, cached socket check for the "background work is paused" banner.

It never raises and never blocks a page for long: at most 0.5 s once every few seconds per process.
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlparse

from equityplan.celery import app

CHECK_TIMEOUT_SECONDS = 0.5
CACHE_SECONDS = 3.0

_lock = threading.Lock()
_cache: dict = {"url": None, "at": 0.0, "up": False}


def _ping(url: str) -> bool:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=CHECK_TIMEOUT_SECONDS) as sock:
            if parsed.scheme == "rediss":
                return True  # TLS: a plain PING would not be understood; the port answering will do
            sock.settimeout(CHECK_TIMEOUT_SECONDS)
            sock.sendall(b"PING\r\n")
            # A Redis that wants a password still answers, with -NOAUTH: it is up.
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH", b"-ERR"))
    except OSError:
        return False


def broker_available(*, fresh: bool = False) -> bool:
    """True when tasks run inline (eager mode) or the broker answers a PING."""
    if app.conf.task_always_eager:
        return True
    url = app.conf.broker_url
    now = time.monotonic()
    with _lock:
        if not fresh and _cache["url"] == url and now - _cache["at"] < CACHE_SECONDS:
            return _cache["up"]
    up = _ping(url)
    with _lock:
        _cache.update(url=url, at=time.monotonic(), up=up)
    return up


def forget() -> None:
    """Drop the cached answer (tests that stop and start the broker)."""
    with _lock:
        _cache.update(url=None, at=0.0, up=False)
