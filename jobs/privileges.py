"""Least privilege on PostgreSQL: the application role reads and appends to the ledger, no more.

Migrations run as the owner role (``MIGRATE_DATABASE_URL``); the web, worker and beat connect as the
application role (``DATABASE_URL``), which gets normal DML on ordinary tables and only SELECT and
INSERT on append-only ones. Not being the owner, it can neither ALTER nor DROP a table, nor disable
or drop a trigger (docs/reliability.md fact 9).
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections

from equityplan.appendonly import AppendOnlyModel


def append_only_tables() -> list[str]:
    return sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnlyModel))


def grant_statements(app_role: str, *, qn) -> list[str]:
    role = qn(app_role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    for table in append_only_tables():
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON TABLE {qn(table)} FROM {role}")
    return statements


def grant_app_role(app_role: str, *, using: str = "default") -> list[str]:
    """Give ``app_role`` its privileges on the tables that exist now and those migrations create
    later (default privileges of the role running this, the owner). Returns the statements run."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    statements = grant_statements(app_role, qn=connection.ops.quote_name)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
