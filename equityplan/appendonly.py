"""Append-only records: legal records are corrected by a reversing entry, never edited or deleted.

The ORM refuses updates and deletes here, and a database trigger (see the migrations that create
the tables) refuses them for any other code path.
"""

from typing import TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an append-only record."""


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: record a reversing event")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: record a reversing event")


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


def append_only_trigger_operation(table: str):
    """A migration operation that installs the database-level append-only guard.

    PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE (the test runner's flush empties
    SQLite tables with DELETE, so there the ORM guard above covers deletes).
    """
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION equityplan_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;",
                None,  # no parameters: the % is plpgsql's, not a placeholder
            )
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
