"""The "background work is paused" banner on every page (base.html), and the ledger check's
outcome for the pages that show it (the dashboard's panel, /jobs/), read only when shown.

Pages never wait on the queue: the broker check is a cached 0.5 s socket PING, and with tasks run
inline (eager mode) nothing is checked at all.
"""

import threading
import time
from functools import cached_property

from django.utils import timezone

from equityplan.celery import app

from .broker import broker_available
from .models import LedgerCheck
from .selectors import jobs_delayed, jobs_waiting_count, latest_full_ledger_check, latest_ledger_check

CACHE_SECONDS = 5.0
_lock = threading.Lock()
_cache: dict = {"at": 0.0, "value": None}


def _status() -> dict:
    up = broker_available()
    if up and app.conf.task_always_eager:
        return {"paused": False}
    now = time.monotonic()
    with _lock:
        if _cache["value"] is not None and _cache["value"]["up"] == up and now - _cache["at"] < CACHE_SECONDS:
            return _cache["value"]
    paused = not up or jobs_delayed(now=timezone.now()) > 0
    value = {"up": up, "paused": paused, "waiting": jobs_waiting_count() if paused else 0}
    with _lock:
        _cache.update(at=time.monotonic(), value=value)
    return value


def forget() -> None:
    with _lock:
        _cache.update(at=0.0, value=None)


def background_status(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    try:
        status = _status()
    except Exception:  # the banner must never break a page
        return {}
    return {"background_paused": status["paused"], "background_waiting": status.get("waiting", 0)}


class _LedgerCheck:
    """``{% with check=ledger_check.latest %}``: one query each, and only on a page that shows it."""

    @cached_property
    def latest(self):
        return latest_ledger_check()

    @cached_property
    def last_full(self):
        latest = self.latest
        if latest is not None and latest.kind == LedgerCheck.Kind.FULL:
            return latest
        return latest_full_ledger_check()


def ledger_check(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"ledger_check": _LedgerCheck()}
