"""python manage.py send_reminders [--as-of YYYY-MM-DD] [--dry-run]: record the day's reminders and
send them through the outbox; a second run sends nothing new (docs/domain.md reading R52)."""

from django.core.management.base import BaseCommand

from equityplan.clock import today
from jobs.models import Reminder
from jobs.reminders import reminders_due
from jobs.services import reminders_send_due

from .sweep import iso_date


class Command(BaseCommand):
    help = (
        "Record the reminders due (digest, windows opening and closing, exercises confirmed) and send them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="The day to remind for (default: today in Tokyo).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due; record and send nothing."
        )

    def handle(self, *args, as_of=None, dry_run=False, **options):
        on = iso_date(as_of) if as_of is not None else today()
        if dry_run:
            due = reminders_due(as_of=on)
            recorded = {
                (r.recipient, r.kind, r.subject_key, r.on_date)
                for r in Reminder.objects.filter(on_date__lte=on).only(
                    "recipient", "kind", "subject_key", "on_date"
                )
            }
            self.stdout.write(f"Reminders due as of {on.isoformat()} (dry run, nothing recorded or sent):")
            for p in due:
                seen = (p.recipient, p.kind, p.subject_key, p.on_date) in recorded
                self.stdout.write(
                    f"  {p.kind} to {p.recipient} about {p.subject_key}"
                    + (" (already recorded)" if seen else "")
                )
            self.stdout.write(
                f"  {len(due)} due, {sum(1 for p in due if (p.recipient, p.kind, p.subject_key, p.on_date) in recorded)} already recorded"
            )
            return
        result = reminders_send_due(as_of=on)
        sent = Reminder.objects.filter(status=Reminder.Status.SENT).count()
        self.stdout.write(
            f"Reminders as of {on.isoformat()}: {result['recorded']} new, {result['queued']} handed to the "
            f"outbox to send; {sent} sent in all."
        )
