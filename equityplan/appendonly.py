"""Append-only records: legal records are corrected by a reversing entry, never edited or deleted.

The ORM refuses updates and deletes here, and database triggers (installed by the migrations that
create the tables, upgraded by the hash-chain migrations) refuse UPDATE, DELETE and TRUNCATE for
any other code path. A chained model also carries a hash over its content and the previous row's
hash, so a row changed or removed by someone who got past the triggers is found by the verifier
(docs/adr/0007-ledger-hash-chain.md).
"""

import hashlib
import json
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC
from typing import Any, ClassVar, TypeVar

from django.db import connections, models, router, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)
GENESIS = ""  # the prev_hash of a chain's first row


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an append-only record."""


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: record a reversing event")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: record a reversing event")

    def bulk_create(self, objs, *args, **kwargs):
        """Chained rows: one lock, N ids in one query, one tail read, hashes in order, one INSERT per
        batch (as many rows as the database's parameter limit takes); the same hashes as N single
        saves (docs/adr/0007-ledger-hash-chain.md)."""
        if issubclass(self.model, HashChainedModel):
            if args or set(kwargs) - {"batch_size"}:
                raise TypeError("a chained bulk insert takes only batch_size: conflicts are not appends")
            return _chained_bulk_create(self.model, list(objs), self.db, kwargs.get("batch_size"))
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only: record a reversing event")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only: record a reversing event")


# --- the hash chain ------------------------------------------------------------------------------


def _json_normal(value: Any) -> Any:
    """JSON as the database gives it back: PostgreSQL's jsonb turns 1e+16 into 10000000000000000."""
    if isinstance(value, dict):
        return {str(k): _json_normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_normal(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _canonical_value(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return _json_normal(json.loads(json.dumps(value, cls=field.encoder)))
    if isinstance(field, models.DateTimeField):
        moment = field.to_python(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(field, models.DateField):
        return field.to_python(value).isoformat()
    if isinstance(field, models.ForeignKey):
        return field.target_field.to_python(value)
    value = field.to_python(value)
    return value if isinstance(value, bool | int | str) else str(value)


def chain_field_specs(model: type[models.Model], names: Sequence[str]) -> list[tuple[str, models.Field]]:
    """(name, field) for each hashed field; FKs are read by their column (``series_id``)."""
    return [(name, model._meta.get_field(name)) for name in names]  # type: ignore[misc]


def row_hash(
    table: str, specs: Sequence[tuple[str, models.Field]], values: Mapping[str, Any], prev_hash: str
) -> str:
    """SHA-256 hex of a row's canonical form: sorted-key JSON of its hashed fields, its table and
    the previous row's hash. ``values`` are keyed by attname (``series_id``), as the database has them."""
    data: dict[str, Any] = {"table": table, "prev_hash": prev_hash}
    for name, field in specs:
        data[name] = _canonical_value(field, values[field.attname])
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def lock_chain(connection, table: str) -> None:
    """Hold ``table``'s chain lock to the end of the transaction: no append to it can commit
    meanwhile (PostgreSQL: a transaction-level advisory lock; SQLite: its IMMEDIATE transaction
    holds the write lock already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [0x45514C47, zlib.crc32(table.encode()) >> 1]
            )


def _lock_and_reserve_ids(connection, table: str, count: int) -> list[int]:
    """Serialise appends to one chain and give the next ``count`` ids, inside the writing transaction.

    PostgreSQL: a transaction-level advisory lock per table, then the sequence, once for all the ids
    (a rolled-back append leaves a gap, which the chain tolerates: each row names its predecessor by
    hash). SQLite: the IMMEDIATE transaction (settings) already holds the write lock; ids are never
    reused (AUTOINCREMENT keeps its high-water mark).
    """
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            lock_chain(connection, table)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {qn(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
        return list(range(highest + 1, highest + 1 + count))


def _chain_tail_hash(connection, table: str) -> str:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_hash FROM {qn(table)} ORDER BY id DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else GENESIS


class HashChainedModel(AppendOnlyModel):
    """An append-only row that carries ``row_hash`` over its content and ``prev_hash``.

    The chain is in primary-key order; the concrete model names the fields hashed in ``hash_fields``
    (its own id first). Appends to one table are serialised (``_lock_and_reserve_ids``).
    """

    hash_fields: ClassVar[tuple[str, ...]] = ()

    prev_hash = models.CharField(_("previous row's hash"), max_length=64, default=GENESIS, editable=False)
    row_hash = models.CharField(_("row hash"), max_length=64, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only: record a reversing event")
        _refuse_auto_now_add(type(self))
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        connection = connections[using]
        table = self._meta.db_table
        with transaction.atomic(using=using):
            (self.pk,) = _lock_and_reserve_ids(connection, table, 1)
            _link(self, _chain_tail_hash(connection, table))
            kwargs["force_insert"] = True
            super().save(*args, **kwargs)


def _refuse_auto_now_add(model: type[models.Model]) -> None:
    if any(getattr(f, "auto_now_add", False) for f in model._meta.concrete_fields):
        raise TypeError("auto_now_add would change a hashed value after hashing: use default=timezone.now")


def _link(obj: HashChainedModel, prev_hash: str) -> str:
    """Set ``obj``'s ``prev_hash`` and ``row_hash`` (its pk already given); returns its hash."""
    model = type(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    obj.prev_hash = prev_hash
    obj.row_hash = row_hash(
        model._meta.db_table, chain_field_specs(model, model.hash_fields), values, prev_hash
    )
    return obj.row_hash


def _chained_bulk_create(model: type[_M], objs: list[_M], using: str, batch_size: int | None) -> list[_M]:
    """Append ``objs`` to ``model``'s chain in their order, under one lock and in one transaction."""
    if not objs:
        return objs
    if any(not obj._state.adding or obj.pk is not None for obj in objs):
        raise AppendOnlyError(f"{model.__name__} rows are appended new: the chain gives their ids")
    _refuse_auto_now_add(model)
    connection = connections[using]
    table = model._meta.db_table
    with transaction.atomic(using=using):
        ids = _lock_and_reserve_ids(connection, table, len(objs))
        prev = _chain_tail_hash(connection, table)
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            prev = _link(obj, prev)  # type: ignore[arg-type]
        plain: models.QuerySet[_M] = models.QuerySet(model=model, using=using)
        plain.bulk_create(objs, batch_size=batch_size)
    return objs


# --- the database guard --------------------------------------------------------------------------

_flush = threading.local()


def _flush_allowed() -> int:
    return 1 if getattr(_flush, "on", False) else 0


def _install_sqlite_switch(sender, connection, **kwargs) -> None:
    """SQLite's DELETE trigger asks this function; a connection without it (the sqlite3 shell) fails."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "equityplan_allow_flush", 0, _flush_allowed, deterministic=False
        )


connection_created.connect(_install_sqlite_switch, dispatch_uid="equityplan.appendonly.sqlite_switch")


@contextmanager
def flush_allowed(aliases: Sequence[str] = ()) -> Iterator[None]:
    """Let the test runner's flush empty append-only tables; nothing else calls this.

    SQLite: the connection's ``equityplan_allow_flush()`` answers 1. PostgreSQL: the session setting
    ``equityplan.allow_flush`` is on (the trigger function reads it). Production never sets either.
    """
    _flush.on = True
    opened = []
    try:
        for alias in aliases or list(connections):
            conn = connections[alias]
            if conn.vendor == "postgresql":
                with conn.cursor() as cursor:
                    cursor.execute("SET equityplan.allow_flush = 'on'")
                opened.append(conn)
        yield
    finally:
        _flush.on = False
        for conn in opened:
            if conn.connection is not None:
                with conn.cursor() as cursor:
                    cursor.execute("RESET equityplan.allow_flush")


PG_GUARD_FUNCTION = (
    "CREATE OR REPLACE FUNCTION equityplan_append_only() RETURNS trigger AS $$ "
    "BEGIN "
    "IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('equityplan.allow_flush', true) = 'on' THEN "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NULL; END IF; "
    "RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; "
    "END; $$ LANGUAGE plpgsql;"
)


def install_guard(schema_editor, table: str) -> None:
    """(Re-)create the triggers that refuse UPDATE, DELETE and TRUNCATE on ``table``."""
    drop_guard(schema_editor, table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_GUARD_FUNCTION, None)  # no parameters: the % are plpgsql's
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION equityplan_append_only();"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION equityplan_append_only();"
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN equityplan_allow_flush() = 0 "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END;"
        )


def drop_guard(schema_editor, table: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")


def append_only_trigger_operation(table: str):
    """A migration operation that installs the database-level append-only guard (kept for the early
    migrations, which installed the UPDATE/DELETE trigger; ``install_guard`` is the full guard).

    The trigger function is shared by every guarded table, so this writes its current body: a
    narrower one, written by whichever migration happened to run last, would refuse the test
    runner's flush on every table."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(PG_GUARD_FUNCTION, None)  # no parameters: the % are plpgsql's
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION equityplan_append_only();"
            )
        elif schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")

    return migrations.RunPython(forwards, backwards)


def full_guard_operation(table: str):
    """A migration operation that (re-)installs the full guard on ``table``, and with it the shared
    trigger function's current body."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        install_guard(schema_editor, table)

    return migrations.RunPython(forwards, migrations.RunPython.noop)


def chain_migration_operation(table: str, hash_fields: Sequence[str], model_label: str):
    """Back-fill ``prev_hash``/``row_hash`` of existing rows in id order, with the guard dropped and
    re-created around it in the migration's transaction, and install the full guard."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        model = apps.get_model(model_label)
        drop_guard(schema_editor, table)
        specs = chain_field_specs(model, hash_fields)
        prev = GENESIS
        for row in model._base_manager.using(schema_editor.connection.alias).order_by("pk").iterator(2000):
            values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
            digest = row_hash(table, specs, values, prev)
            model._base_manager.filter(pk=row.pk).update(prev_hash=prev, row_hash=digest)
            prev = digest
        install_guard(schema_editor, table)

    def backwards(apps, schema_editor):
        drop_guard(schema_editor, table)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION equityplan_append_only();"
            )

    return migrations.RunPython(forwards, backwards)
