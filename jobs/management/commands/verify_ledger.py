"""python manage.py verify_ledger [--full]: re-compute the ledger's hash chains and the holdings.

Here in jobs, not grants: it reads both chains (the holders' trail is below grants) and records its
outcome beside the background runs, where the dashboard and /jobs/ show it. Without ``--full`` it
checks the rows since the last good check (docs/reliability.md fact 19).
"""

from django.core.management.base import BaseCommand, CommandError

from jobs.ledger import verify_ledger


class Command(BaseCommand):
    help = (
        "Re-compute the hash chains of the ledger and the holders' trail and the holdings from the "
        "events; exit 1 naming the first row that does not match. Without --full, only the rows "
        "appended since the last good check (and that check's last rows) are read."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias to verify.")
        parser.add_argument("--no-record", action="store_true", help="Do not record the outcome.")
        parser.add_argument("--full", action="store_true", help="Read every row of both chains.")

    def handle(self, *args, database="default", no_record=False, full=False, **options):
        out = verify_ledger(using=database, record=not no_record, full=full)
        self.stdout.write("full check" if out.full else "incremental check")
        for table, chain in out.chains.items():
            since = f" after row {chain['since_id']}" if "since_id" in chain else ""
            self.stdout.write(f"{table}: {chain['rows']} rows{since}, head {chain['head_id']}")
        self.stdout.write(f"holdings checked: {out.holdings}; {out.seconds:.2f} s")
        if out.ok:
            self.stdout.write("ledger intact")
            return
        for problem in out.problems:
            self.stderr.write(str(problem))
        raise CommandError(f"ledger does not verify: {out.problems[0]}", returncode=1)
