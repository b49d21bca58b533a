"""python manage.py sweep [--as-of YYYY-MM-DD]: the daily sweep, run now, printing what it did."""

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from equityplan.clock import today
from jobs.actors import system_user
from jobs.sweep import daily_sweep


def iso_date(value: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of: {value!r} is not a date in the form YYYY-MM-DD", returncode=2) from exc


class Command(BaseCommand):
    help = "Lapse rights whose windows ended, deem undecided transfers approved (Art 266), list deadlines."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="The day to sweep for (default: today in Tokyo).")

    def handle(self, *args, as_of=None, **options):
        on = iso_date(as_of) if as_of is not None else today()
        result = daily_sweep(as_of=on, actor=system_user())
        self.stdout.write(f"Sweep as of {on.isoformat()}:")
        self.stdout.write(f"  rights lapsed: {len(result['lapsed'])} holding(s)")
        for row in result["lapsed"]:
            self.stdout.write(
                f"    {row['holder']} - {row['series']}: {row['rights']} rights ({row['reason']}, "
                f"effective {row['effective_date']})"
            )
        self.stdout.write(f"  transfers deemed approved (Art 266): {len(result['deemed_approved'])}")
        for row in result["deemed_approved"]:
            self.stdout.write(f"    transfer request {row['transfer_request_id']}: {row['rights']} rights")
        if result["skipped"]:
            self.stdout.write(f"  not lapsed, needs attention: {len(result['skipped'])}")
            for row in result["skipped"]:
                self.stdout.write(f"    {row['holder']}: {row['why']}")
        self.stdout.write(f"  deadlines in the coming 30 days: {len(result['deadlines'])}")
        for row in result["deadlines"]:
            self.stdout.write(f"    {row['date']} {row['description']} ({row['holder']}, {row['series']})")
        ledger = result["ledger"]
        if ledger["ok"]:
            self.stdout.write(f"  ledger: intact ({ledger['rows']} rows verified)")
        else:
            self.stdout.write(f"  ledger: DOES NOT VERIFY: {ledger['first_problem']}")
