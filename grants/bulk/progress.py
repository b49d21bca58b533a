"""How far a running import is, kept outside its transaction (which nobody else can see into) in
the ``progress`` cache: Redis in production and ``make run``, so the web process sees the worker's
count. A cache that is down loses only the bar, never the import."""

from __future__ import annotations

import logging

from django.core.cache import caches

logger = logging.getLogger(__name__)
TIMEOUT = 6 * 3600


def _key(batch_id: int) -> str:
    return f"holder-import:{batch_id}:done"


def record(batch_id: int, done: int) -> None:
    try:
        caches["progress"].set(_key(batch_id), done, TIMEOUT)
    except Exception as exc:  # the bar is a convenience; the import goes on
        logger.warning("import progress not recorded: %s", exc)


def read(batch_id: int) -> int:
    try:
        value = caches["progress"].get(_key(batch_id), 0)
    except Exception as exc:
        logger.warning("import progress not read: %s", exc)
        return 0
    return int(value) if isinstance(value, int) else 0
