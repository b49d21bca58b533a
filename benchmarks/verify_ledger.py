"""verify_ledger on N ledger events against a floor: reading the same rows once with COPY.

Needs an empty PostgreSQL in DATABASE_URL (scripts/postgres.sh start gives one); migrates it, writes
N hash-chained events in bulk (hashes computed here, rows sent with COPY), then times the full
verify_ledger (both chains and the holdings) and `COPY (SELECT ... ORDER BY id) TO STDOUT` of the same
columns. Then it appends K more events (a day's worth) and times the incremental check the daily
sweep runs (the rows since the full check's heads, docs/reliability.md fact 19): work proportional to
what was appended, not to the ledger.

    DATABASE_URL=postgres://... .venv/bin/python -m benchmarks.verify_ledger 1000000 [K=1000]
"""

import json
import os
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equityplan.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from equityplan.appendonly import GENESIS, chain_field_specs, row_hash  # noqa: E402
from grants.models import LedgerEvent  # noqa: E402
from jobs.ledger import verify_ledger  # noqa: E402


def generate(n: int, first: int = 1, prev: str = GENESIS) -> float:
    """Rows ``first`` .. ``first + n - 1``, chained on from ``prev``."""
    user, _ = User.objects.get_or_create(username="bench")
    table = LedgerEvent._meta.db_table
    specs = chain_field_specs(LedgerEvent, LedgerEvent.hash_fields)
    columns = [f.attname for f in LedgerEvent._meta.concrete_fields]
    start = time.perf_counter()
    now = timezone.now()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for i in range(first, first + n):
                row = {c: None for c in columns}
                row.update(
                    id=i, event_type="valuation", rights_delta=0, effective_date=date(2020, 1, 1) + timedelta(days=i % 3000),
                    recorded_at=now, recorded_by_id=user.pk, resolution_reference="",
                    payload={"fair_value_yen": 1000 + i % 97, "volatility": 0.3125, "note": f"bench {i}"},
                )  # fmt: skip
                row["prev_hash"] = prev
                row["row_hash"] = prev = row_hash(table, specs, row, prev)
                copy.write_row([json.dumps(row[c]) if c == "payload" else row[c] for c in columns])
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {first + n - 1})")
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - start


def floor(after_id: int = 0) -> float:
    columns = ", ".join(f.attname for f in LedgerEvent._meta.concrete_fields)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY (SELECT {columns} FROM grants_ledgerevent WHERE id > {int(after_id)} ORDER BY id) TO STDOUT"
        ) as copy:
            for _ in copy:
                pass
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    assert not LedgerEvent.objects.exists(), "needs an empty database"
    generated = generate(n)
    copy_seconds = min(floor() for _ in range(2))
    started = time.perf_counter()
    out = verify_ledger(full=True)  # recorded: the checkpoint the incremental check starts from
    verified = time.perf_counter() - started
    assert out.ok, out.problems[:3]
    print(f"events: {n:,}; generated and copied in {generated:.1f} s")
    print(f"verify_ledger --full: {verified:.2f} s ({n / verified:,.0f} rows/s)")
    print(f"floor, COPY of the same rows: {copy_seconds:.2f} s")
    print(f"ratio verify_ledger / COPY: {verified / copy_seconds:.1f}")
    head = out.chains[LedgerEvent._meta.db_table]
    generate(k, first=head["head_id"] + 1, prev=head["head_hash"])
    new_copy = min(floor(after_id=head["head_id"]) for _ in range(2))
    started = time.perf_counter()
    daily = verify_ledger(full=False, record=False)
    incremental = time.perf_counter() - started
    assert daily.ok and not daily.full, daily.problems[:3]
    print(
        f"incremental (the daily sweep's), {k:,} events appended: {incremental:.3f} s, "
        f"{daily.rows:,} rows read ({daily.rows / (n + k):.2%} of the ledger), {daily.holdings} holdings"
    )
    print(f"floor, COPY of the appended rows: {new_copy:.3f} s; ratio {incremental / new_copy:.1f}")
    print(f"work proportional to what falls due: {daily.rows:,} of {n + k:,} rows")


if __name__ == "__main__":
    main()
