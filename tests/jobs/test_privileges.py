"""Least privilege on PostgreSQL: the application role may read and append to the ledger, and no
more; migrate runs as the owner role (MIGRATE_DATABASE_URL)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jobs.privileges import append_only_tables, grant_app_role

APP_ROLE = "equityplan_app"


@pytest.fixture
def app_cursor(transactional_db):
    """A connection as the application role to the test database, its privileges granted."""
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        assert cursor.fetchone(), f"scripts/postgres.sh creates the role {APP_ROLE}"
    grant_app_role(APP_ROLE)
    s = connection.settings_dict
    conn = psycopg.connect(host=s["HOST"], port=s["PORT"], dbname=s["NAME"], user=APP_ROLE, autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


def refused(conn, sql: str, params=()) -> str:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as excinfo:
        conn.execute(sql, params)
    return str(excinfo.value)


@pytest.mark.postgres
def test_the_application_role_may_read_and_append_but_not_rewrite(app_cursor, legal):
    assert set(append_only_tables()) >= {"grants_ledgerevent", "holders_holderevent"}
    for table in ("grants_ledgerevent", "holders_holderevent"):
        assert "permission denied" in refused(
            app_cursor, f"UPDATE {table} SET effective_date = effective_date"
        )
        assert "permission denied" in refused(app_cursor, f"DELETE FROM {table}")
        assert "permission denied" in refused(app_cursor, f"TRUNCATE {table}")
        assert "must be owner" in refused(app_cursor, f"ALTER TABLE {table} ADD COLUMN x int")
        assert "must be owner" in refused(app_cursor, f"ALTER TABLE {table} DISABLE TRIGGER USER")
        assert "must be owner" in refused(app_cursor, f"DROP TRIGGER {table}_append_only ON {table}")
        assert "must be owner" in refused(app_cursor, f"DROP TABLE {table}")
    # what an append does (equityplan.appendonly): the lock, the sequence, the tail, the INSERT
    with app_cursor.transaction(force_rollback=True):
        app_cursor.execute("SELECT pg_advisory_xact_lock(1, 2)")
        new_id = app_cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('grants_ledgerevent', 'id'))"
        ).fetchone()[0]
        app_cursor.execute("SELECT row_hash FROM grants_ledgerevent ORDER BY id DESC LIMIT 1").fetchall()
        app_cursor.execute(
            "INSERT INTO grants_ledgerevent (id, event_type, rights_delta, effective_date, recorded_at, "
            "recorded_by_id, resolution_reference, payload, prev_hash, row_hash) "
            "VALUES (%s, 'valuation', 0, '2020-01-01', now(), %s, '', '{}', '', '')",
            [new_id, legal.pk],
        )
        assert app_cursor.execute(
            "SELECT count(*) FROM grants_ledgerevent WHERE id = %s", [new_id]
        ).fetchone() == (1,)
    # ordinary tables: normal DML
    with app_cursor.transaction(force_rollback=True):
        app_cursor.execute("UPDATE grants_holding SET rights = rights")
        app_cursor.execute("DELETE FROM django_session")


@pytest.mark.django_db
def test_migrate_refuses_without_the_owner_url_where_production_requires_it(settings):
    settings.MIGRATE_REQUIRES_OWNER = True
    settings.MIGRATE_DATABASE = None
    with pytest.raises(CommandError, match="MIGRATE_DATABASE_URL is not set"):
        call_command("migrate", verbosity=0)
