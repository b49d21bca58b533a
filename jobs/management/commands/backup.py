"""python manage.py backup --output FILE: pg_dump -Fc (PostgreSQL) or the sqlite3 backup API, verified."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobs.backup import BackupError, backup, counts_path


class Command(BaseCommand):
    help = "Back up the database to FILE and print the row count of every table it holds (FILE.counts.json)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The archive to write.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database="default", **options):
        path = Path(output)
        try:
            counts = backup(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for table, count in counts.items():
            self.stdout.write(f"{table:40} {count:>10}")
        self.stdout.write(
            f"backup written: {path} ({sum(counts.values())} rows in {len(counts)} tables; {counts_path(path).name})"
        )
