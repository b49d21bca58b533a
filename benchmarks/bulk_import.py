"""Benchmark: importing 10,000 new holders with their allotments from one Excel file.

Run from the project root:
    .venv/bin/python -m benchmarks.bulk_import [ROWS]                       # a throwaway SQLite file
    DATABASE_URL=postgres://... .venv/bin/python -m benchmarks.bulk_import  # an empty PostgreSQL
(scripts/postgres.sh start gives a throwaway PostgreSQL and prints its DATABASE_URL; stop it with
scripts/postgres.sh stop DIR.) Builds an .xlsx of ROWS rows (default 10,000), then times the steps a
person waits for: reading the file into the preview (every row checked) and the import itself as the
background job runs it (batches of 500: ``holders_create_many`` + ``allotments_create_many``, the
checks and events of the form services, in one transaction). The floor is the same rows written
with plain ``bulk_create`` and no rule at all (no check, no lock, no hash), in a transaction rolled
back afterwards; the import's ratio to it is the price of the rules. The ledger is verified after.
CPU s is this process's CPU time (on SQLite the database's too): on a shared machine it says what
the work costs when the wall clock says how busy the machine was.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

TEMP_DIR = tempfile.TemporaryDirectory(prefix="equityplan-bench-")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{TEMP_DIR.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "equityplan.settings.test"

import django  # noqa: E402

django.setup()

import io  # noqa: E402
import platform  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from grants.models import Allotment, Holding, LedgerEvent, Lot, Series  # noqa: E402
from grants.services.bulk_import import holder_import_claim, holder_import_read, holder_import_run  # noqa: E402
from holders.models import Holder, HolderAddress, HolderEvent, Position  # noqa: E402
from jobs.ledger import verify_ledger  # noqa: E402
from tests.factories import legal_user, make_series  # noqa: E402


def build_xlsx(rows: int, tag: str = "Allottee") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "name_kana", "address", "email", "position", "since", "rights"])
    for i in range(rows):
        sheet.append(
            [
                f"{tag} {i:05d}",
                f"アロッティー {i:05d}",
                f"{i}-1 Otemachi, Tokyo",
                f"a{i}@example.jp",
                "director",
                "2024-06-21",
                1,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _RolledBack(Exception):
    pass


def _plain(model: type[models.Model], objs: list) -> list:
    """bulk_create with no rule: the chained tables' own bulk insert (lock, ids, hashes) bypassed."""
    return models.QuerySet(model).bulk_create(objs, batch_size=500)


def floor(rows: int, series: Series, actor) -> tuple[float, float]:
    """The import's rows (holder, address, position, two holder events, allotment, holding, lot,
    one ledger event each) written with plain bulk_create in batches of 500, then rolled back.
    Returns (wall seconds, this process's CPU seconds)."""
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            for first in range(0, rows, 500):
                n = min(500, rows - first)
                holders = _plain(
                    Holder,
                    [
                        Holder(name=f"Floor {first + i:05d}", name_kana="フロア", email="f@example.jp")
                        for i in range(n)
                    ],
                )
                _plain(
                    HolderAddress,
                    [
                        HolderAddress(holder=h, address="1-1 Otemachi", valid_from=series.allotment_date)
                        for h in holders
                    ],
                )
                positions = _plain(
                    Position,
                    [
                        Position(
                            holder=h,
                            company=series.company,
                            title="director",
                            started_on=series.allotment_date,
                        )
                        for h in holders
                    ],
                )
                trail = []
                for h, p in zip(holders, positions, strict=True):
                    trail.append(
                        HolderEvent(
                            holder=h,
                            event_type="created",
                            effective_date=p.started_on,
                            recorded_by=actor,
                            after={"name": h.name, "address": "1-1 Otemachi", "email": h.email, "phone": ""},
                        )
                    )
                    trail.append(
                        HolderEvent(
                            holder=h,
                            event_type="position_started",
                            effective_date=p.started_on,
                            recorded_by=actor,
                            after={
                                "position_id": p.pk,
                                "company_id": p.company_id,
                                "company": "x",
                                "title": p.title,
                                "started_on": p.started_on.isoformat(),
                            },
                        )
                    )
                _plain(HolderEvent, trail)
                allotments = _plain(
                    Allotment,
                    [
                        Allotment(
                            series=series,
                            holder=h,
                            rights=1,
                            category="director",
                            allotted_on=series.allotment_date,
                            recorded_by=actor,
                        )
                        for h in holders
                    ],
                )
                holdings = _plain(
                    Holding,
                    [
                        Holding(series=series, holder=h, rights=1, acquired_on=series.allotment_date)
                        for h in holders
                    ],
                )
                _plain(
                    Lot,
                    [
                        Lot(
                            holding=g,
                            rights=1,
                            origin="allotted",
                            allottee_id=g.holder_id,
                            acquired_on=g.acquired_on,
                            allotment=a,
                        )
                        for g, a in zip(holdings, allotments, strict=True)
                    ],
                )
                _plain(
                    LedgerEvent,
                    [
                        LedgerEvent(
                            event_type="allotted",
                            series=series,
                            holder_id=a.holder_id,
                            rights_delta=1,
                            effective_date=a.allotted_on,
                            recorded_by=actor,
                            payload={
                                "allotment_id": a.pk,
                                "category": "director",
                                "rights": 1,
                                "shares_per_right": 100,
                                "allotted_rights_after": first + i + 1,
                                "max_rights": series.max_rights,
                            },
                        )
                        for i, a in enumerate(allotments)
                    ],
                )
                Series.objects.filter(pk=series.pk).update(allotted_rights=models.F("allotted_rights") + n)
            seconds = (time.perf_counter() - started, time.process_time() - cpu)
            raise _RolledBack
    except _RolledBack:
        return seconds


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    assert not Holder.objects.exists(), "needs an empty database"
    legal = legal_user("bench_legal")
    series = make_series(actor=legal, max_rights=2 * rows)
    data = build_xlsx(rows)
    load_before = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    batch = holder_import_read(
        data=data, filename="bench.xlsx", company=series.company, series=series, actor=legal
    )
    read_s = (time.perf_counter() - started, time.process_time() - cpu)
    assert batch.problem_rows == 0
    holder_import_claim(batch=batch)
    told: list[int] = []
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        batch = holder_import_run(batch=batch, actor=legal, progress=lambda done, _total: told.append(done))
    run_s = (time.perf_counter() - started, time.process_time() - cpu)
    assert batch.status == "done", batch.error
    assert Allotment.objects.filter(series=series).count() == rows
    floor_s = min((floor(rows, series, legal) for _ in range(2)), key=lambda t: t[0])
    started = time.perf_counter()
    outcome = verify_ledger(record=False)
    verify_s = time.perf_counter() - started
    assert outcome.ok, outcome.problems[:3]
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"Python {platform.python_version()}, {vendor}, {os.cpu_count()} CPUs; file {len(data):,} bytes")
    print(f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(f"{'step':<42}{'rows':>7}{'seconds':>9}{'rows/s':>8}{'CPU s':>8}{'rows/CPU s':>12}")
    for name, (wall, used) in (
        ("read + check (preview)", read_s),
        ("import (batches of 500, one transaction)", run_s),
        ("floor: plain bulk_create, no rules", floor_s),
    ):
        print(f"{name:<42}{rows:>7,}{wall:>9.1f}{rows / wall:>8,.0f}{used:>8.1f}{rows / used:>12,.0f}")
    print(
        f"import / floor: {run_s[0] / floor_s[0]:.1f}x wall, {run_s[1] / floor_s[1]:.1f}x CPU; "
        f"{len(queries):,} queries ({len(queries) / rows:.2f} a row); progress told {len(told)} times"
    )
    print(f"verify_ledger after the import: ok, {outcome.rows:,} rows in {verify_s:.1f} s")


if __name__ == "__main__":
    main()
