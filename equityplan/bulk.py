"""Bulk work: checking a row for a bulk insert as its model checks it, without a query per row;
reading and building many rows at once."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while many objects are built and kept: each collection would
    walk every object already built, for nothing (they are all still in use). Reference counting
    frees the rest as always; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def clean_given(obj: models.Model) -> None:
    """``full_clean`` the field rules of ``obj``, leaving out the existence query of each foreign key
    given as a saved object (the database's foreign key refuses a missing one at the insert) and
    the constraints, which the database enforces on the same insert."""
    given = [
        field.name
        for field in obj._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.is_cached(obj)
        and getattr(field.get_cached_value(obj), "pk", None) is not None
    ]
    obj.full_clean(exclude=given, validate_constraints=False)


def plain_rows(values: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` query read by a plain cursor, without Django's row machinery
    (so without its conversions: the callers convert what a backend leaves as text)."""
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:  # e.g. an empty list of ids: nothing to read
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
