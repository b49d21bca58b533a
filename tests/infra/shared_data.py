"""A data set built once for a module's tests (tests/README.md, "Keeping the suite fast")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


@contextmanager
def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """``build()`` inside a transaction that stays open for the module's tests and is rolled back
    after them. Each test runs in its own savepoint inside it (pytest-django's ``db``), so what one
    test writes is gone before the next; only the tests of one module see the data set."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
