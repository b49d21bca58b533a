"""Set the holders list's tally from a count of the holders (docs/domain.md R63)."""

from django.core.management.base import BaseCommand

from holders.tally import kept, recount


class Command(BaseCommand):
    help = (
        "Count the holders, those in office and the deceased, and set the holders list's tally to "
        "the count: after a load that went around the holder services, or a full check that found "
        "the tally apart from the count."
    )

    def handle(self, *args, **options):
        before = kept()
        after = recount()
        if before == after:
            self.stdout.write(f"holder tally unchanged: {after}")
        else:
            self.stdout.write(f"holder tally set from {before} to {after}")
