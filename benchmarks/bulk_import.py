"""Benchmark: importing 10,000 new holders with their allotments from one Excel file.

Run from the project root:  .venv/bin/python -m benchmarks.bulk_import [ROWS]
In a throwaway SQLite file: builds an .xlsx of ROWS rows (default 10,000), then times the three
steps a person waits for: reading the file into the preview (every row checked), and the import
itself (holder_create + position_start + allotment_create per row, one transaction), as the
background job runs it. Prints rows per second for each step.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

TEMP_DIR = tempfile.TemporaryDirectory(prefix="equityplan-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TEMP_DIR.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "equityplan.settings.test"

import django  # noqa: E402

django.setup()

import io  # noqa: E402
import platform  # noqa: E402

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from grants.services.bulk_import import holder_import_claim, holder_import_read, holder_import_run  # noqa: E402
from tests.factories import legal_user, make_series  # noqa: E402


def build_xlsx(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "name_kana", "address", "email", "position", "since", "rights"])
    for i in range(rows):
        sheet.append(
            [
                f"Allottee {i:05d}",
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


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    legal = legal_user("bench_legal")
    series = make_series(actor=legal, max_rights=rows)
    data = build_xlsx(rows)
    started = time.perf_counter()
    batch = holder_import_read(
        data=data, filename="bench.xlsx", company=series.company, series=series, actor=legal
    )
    read_s = time.perf_counter() - started
    assert batch.problem_rows == 0
    holder_import_claim(batch=batch)
    started = time.perf_counter()
    batch = holder_import_run(batch=batch, actor=legal)
    run_s = time.perf_counter() - started
    assert batch.status == "done", batch.error
    print(f"Python {platform.python_version()}, SQLite, {os.cpu_count()} CPUs; file {len(data):,} bytes")
    print(f"{'step':<34}{'rows':>8}{'seconds':>10}{'rows/s':>10}")
    for name, seconds in (("read + check (preview)", read_s), ("import (one transaction)", run_s)):
        print(f"{name:<34}{rows:>8,}{seconds:>10.1f}{rows / seconds:>10,.0f}")
    print(f"{'total':<34}{rows:>8,}{read_s + run_s:>10.1f}{rows / (read_s + run_s):>10,.0f}")


if __name__ == "__main__":
    main()
