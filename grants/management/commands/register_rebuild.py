"""Rebuild the register's projection from the ledger (docs/adr/0008-register-projection.md)."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from equityplan.appendonly import lock_chain
from grants.models import LedgerEvent
from grants.services.register_lines import register_rebuild
from grants.services.register_totals import register_totals_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild every register line's states from the ledger's events, and the totals per date "
        "from them, in one transaction."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            # The ledger's appends rewrite lines too: none may commit while the table is rebuilt.
            lock_chain(connection, LedgerEvent._meta.db_table)
            written = register_rebuild()
            totals = register_totals_rebuild()
        self.stdout.write(
            f"register line states written: {written:,}, totals rows: {totals:,}"
            f" in {time.monotonic() - started:.1f} s"
        )
