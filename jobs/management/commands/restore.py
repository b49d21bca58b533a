"""python manage.py restore FILE: pg_restore (PostgreSQL) or the sqlite3 backup API, then verified:
row counts compared with the backup's and verify_ledger on the restored database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs.backup import BackupError, restore
from jobs.privileges import grant_app_role


class Command(BaseCommand):
    help = (
        "Restore FILE (from backup) into the database, or into --target (a URL, or a path for SQLite); "
        "print the row counts, compare them with the backup's and verify the ledger there."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--target", help="Restore into this database instead (URL or SQLite path).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, target=None, database="default", **options):
        owner = getattr(settings, "MIGRATE_DATABASE", None)
        app_role = settings.DATABASES[database].get("USER")
        restore_into = target or owner  # restoring creates tables: the owner role's work
        try:
            counts, check = restore(Path(archive), using=database, target=restore_into)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not target and owner and app_role and app_role != owner.get("USER"):
            grant_app_role(app_role, using="restored")
        for table, count in counts.items():
            self.stdout.write(f"{table:40} {count:>10}")
        self.stdout.write(f"restored: {sum(counts.values())} rows in {len(counts)} tables, as in the backup")
        if not check.ok:
            raise CommandError(f"the restored ledger does not verify: {check.problems[0]}", returncode=1)
        self.stdout.write(
            f"ledger intact on the restored copy ({check.rows} rows, {check.holdings} holdings)"
        )
