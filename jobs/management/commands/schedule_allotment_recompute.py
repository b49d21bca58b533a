"""python manage.py schedule_allotment_recompute --series PK [--at ISO-DATETIME]

Sets (or moves) the series' one-off recomputation entry. Without --at: the allotment date at
ALLOTMENT_RECOMPUTE_AFTER, Tokyo time. A naive --at is read as Tokyo time.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from grants.models import Series
from jobs.schedules import TOKYO, allotment_recompute_schedule


class Command(BaseCommand):
    help = "Schedule the allotment-date recomputation of a series (django-celery-beat, in the database)."

    def add_arguments(self, parser):
        parser.add_argument("--series", type=int, required=True, help="The series' id.")
        parser.add_argument(
            "--at", help="When, e.g. 2026-07-11T15:30 (Tokyo time unless an offset is given)."
        )

    def handle(self, *args, series, at=None, **options):
        found = Series.objects.filter(pk=series).first()
        if found is None:
            raise CommandError(f"there is no series {series}", returncode=2)
        when = None
        if at:
            try:
                when = datetime.fromisoformat(at)
            except ValueError as exc:
                raise CommandError(
                    f"--at: {at!r} is not a date and time like 2026-07-11T15:30", returncode=2
                ) from exc
            if when.tzinfo is None:
                when = when.replace(tzinfo=TOKYO)
        entry = allotment_recompute_schedule(series=found, at=when)
        self.stdout.write(
            f"{found}: recomputation scheduled for {entry.clocked.clocked_time.astimezone(TOKYO):%Y-%m-%d %H:%M %Z}"
        )
