"""The backup drill: back up, restore into a fresh database in a fresh process, compare every
table's row count with the backup's and verify the ledger there (SQLite through its backup API,
PostgreSQL through pg_dump/pg_restore)."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from grants.models import LedgerEvent
from tests.factories.lifecycle import allotted_scenario
from tests.infra.postgres import REPO_ROOT


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="equityplan.settings.test")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def counts_printed(out: str) -> dict[str, int]:
    rows = (line.split() for line in out.splitlines())
    return {r[0]: int(r[1]) for r in rows if len(r) == 2 and r[1].isdigit()}


def drill(tmp_path, capsys, target_url: str) -> None:
    archive = tmp_path / "equityplan.backup"
    call_command("backup", output=str(archive))
    backed_up = capsys.readouterr().out
    done = manage("restore", str(archive), database_url=target_url)
    with capsys.disabled():
        print(f"\nbackup drill ({connection.vendor}):\n{backed_up}restore:\n{done.stdout}{done.stderr}")
    assert done.returncode == 0, done.stderr
    assert "ledger intact on the restored copy" in done.stdout
    before, after = counts_printed(backed_up), counts_printed(done.stdout)
    assert before == after and len(after) > 30
    assert after["grants_ledgerevent"] == LedgerEvent.objects.count() > 0
    assert after["holders_holderevent"] > 0 and after["grants_holding"] == 3


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_drill(tmp_path, capsys, legal):
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the drill is test_postgresql_backup_drill")
    allotted_scenario(legal=legal)
    drill(tmp_path, capsys, f"sqlite:///{tmp_path / 'restored.sqlite3'}")


@pytest.mark.django_db(transaction=True)
def test_a_copy_that_lost_rows_is_refused_on_restore(tmp_path, legal):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy is edited here")
    import sqlite3

    allotted_scenario(legal=legal)
    with pytest.raises(CommandError, match="outside any transaction"), transaction.atomic():
        call_command("backup", output=str(tmp_path / "in-a-transaction"))
    archive = tmp_path / "b.sqlite3"
    call_command("backup", output=str(archive))
    db = sqlite3.connect(archive)
    db.execute("DROP TRIGGER grants_ledgerevent_no_delete")
    db.execute("DELETE FROM grants_ledgerevent WHERE id = (SELECT MAX(id) FROM grants_ledgerevent)")
    db.commit()
    db.close()
    done = manage("restore", str(archive), database_url=f"sqlite:///{tmp_path / 'r.sqlite3'}")
    assert done.returncode != 0 and "row counts differ from the backup's" in done.stderr
    done = manage("restore", str(tmp_path / "missing"), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert done.returncode != 0 and "does not exist" in done.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_drill(tmp_path, capsys, legal):
    allotted_scenario(legal=legal)
    s = connection.settings_dict
    name = f"{s['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        drill(tmp_path, capsys, f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{name}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
