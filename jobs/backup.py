"""Backup and restore, each followed by its verification (docs/reliability.md fact 11).

PostgreSQL: ``pg_dump -Fc`` of one exported snapshot, so the row counts printed are those of the
archive; ``pg_restore`` into the target, then the target's row counts are compared with the
backup's and the ledger verified there. SQLite: the sqlite3 backup API (a consistent copy of a live
database), then ``PRAGMA integrity_check``, the same counts and the same verification.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import dj_database_url
from django.db import connections

from .ledger import Outcome, verify_ledger

RESTORED_ALIAS = "restored"


class BackupError(Exception):
    pass


def counts_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".counts.json")


def row_counts(using: str, cursor=None) -> dict[str, int]:
    connection = connections[using]
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    qn = connection.ops.quote_name
    counts = {}
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    finally:
        if own:
            cursor.close()
    return counts


def pg_program(name: str) -> str:
    """pg_dump / pg_restore: from PG_BINDIR when set, else PostgreSQL 15's, else the PATH's."""
    for candidate in (os.environ.get("PG_BINDIR", ""), "/usr/lib/postgresql/15/bin"):
        path = Path(candidate) / name
        if candidate and path.exists():
            return str(path)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client programs or set PG_BINDIR")
    return found


def _pg_args(cfg: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-d", str(cfg["NAME"])]
    if cfg.get("HOST"):
        args += ["-h", str(cfg["HOST"])]
    if cfg.get("PORT"):
        args += ["-p", str(cfg["PORT"])]
    if cfg.get("USER"):
        args += ["-U", str(cfg["USER"])]
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = str(cfg["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()}")
    return done.stdout


def backup(output: Path, *, using: str = "default") -> dict[str, int]:
    """Write a backup of the database to ``output`` and return the row counts it holds."""
    connection = connections[using]
    if connection.in_atomic_block:  # its snapshot (or SQLite's lock) would not be the database's
        raise BackupError("a backup runs outside any transaction")
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        with connection.cursor() as cursor:
            # One snapshot for the counts and the dump: what is counted is what is archived.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = row_counts(using, cursor)
                _run([pg_program("pg_dump"), "-Fc", "--snapshot", snapshot, "-f", str(output), *args], env)
            finally:
                cursor.execute("ROLLBACK")
        listing = _run([pg_program("pg_restore"), "--list", str(output)], env)
        archived = {line.split()[-2] for line in listing.splitlines() if " TABLE DATA " in line}
        if missing := sorted(set(counts) - archived):
            raise BackupError(f"the archive lacks the data of {', '.join(missing)}")
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(output)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        counts = row_counts(using)
        _sqlite_integrity(output)
        copied = _sqlite_counts(output, counts)
        if copied != counts:
            raise BackupError(f"the copy's row counts differ from the database's: {copied} != {counts}")
    else:
        raise BackupError(f"no backup for {connection.vendor}")
    counts_path(output).write_text(json.dumps(counts, indent=1, sort_keys=True))
    return counts


def _sqlite_integrity(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()
    if result != "ok":
        raise BackupError(f"{path}: integrity check says {result}")


def _sqlite_counts(path: Path, like: dict[str, int]) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in like}  # noqa: S608
    finally:
        db.close()


def _target_alias(using: str, target: str | dict | None) -> str:
    """The connection to restore into: ``using`` itself, or a database named by URL, path or settings."""
    if not target:
        return using
    config = dict(connections[using].settings_dict)
    if isinstance(target, dict):
        config.update(target)
    elif "://" in target:
        config.update({k: v for k, v in dj_database_url.parse(target).items() if k != "OPTIONS"})
    else:
        config["NAME"] = target
    local = connections._connections  # type: ignore[attr-defined]  # the per-thread connections
    previous = getattr(local, RESTORED_ALIAS, None)
    if previous is not None:  # a previous target in this thread
        previous.close()
        delattr(local, RESTORED_ALIAS)
    connections.settings[RESTORED_ALIAS] = config  # a copy of a configured one: every key is there
    return RESTORED_ALIAS


def restore(
    archive: Path, *, using: str = "default", target: str | None = None
) -> tuple[dict[str, int], Outcome]:
    """Restore ``archive`` into the database (or ``target``), compare its row counts with the
    backup's and verify the ledger there. Raises BackupError when the counts differ."""
    if not archive.exists():
        raise BackupError(f"{archive} does not exist")
    alias = _target_alias(using, target)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_args(connection.settings_dict)
        _run(
            [
                pg_program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(archive),
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        _sqlite_integrity(archive)
        connection.ensure_connection()
        source = sqlite3.connect(archive)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError(f"no restore for {connection.vendor}")
    counts = row_counts(alias)
    expected_file = counts_path(archive)
    if expected_file.exists():
        expected = json.loads(expected_file.read_text())
        if differ := {
            t: (expected.get(t), counts.get(t))
            for t in set(expected) | set(counts)
            if expected.get(t) != counts.get(t)
        }:
            raise BackupError(f"row counts differ from the backup's (backup, restored): {differ}")
    return counts, verify_ledger(using=alias, record=False)
