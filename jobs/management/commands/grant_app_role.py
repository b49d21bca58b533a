"""python manage.py grant_app_role ROLE: the application role's privileges (run as the owner)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from jobs.privileges import grant_app_role


class Command(BaseCommand):
    help = (
        "PostgreSQL: give ROLE SELECT/INSERT/UPDATE/DELETE on ordinary tables and only SELECT/INSERT on "
        "append-only ones, now and for tables created later. Run as the owner role; migrate runs it."
    )

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role, database="default", **options):
        if connections[database].vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL: SQLite has no roles")
        for statement in grant_app_role(role, using=database):
            self.stdout.write(statement + ";")
