"""The register PDF as the worker prepares it: time, pages and peak memory at N holders.

Run from the project root, on a throwaway PostgreSQL (or, without DATABASE_URL, a temporary SQLite
file):
    source scripts/common.sh; source scripts/postgres.sh; pg_start
    .venv/bin/python -m benchmarks.register_pdf --holders 2000,10000 [--chunk 400] [--single-max 2000]
    pg_stop
Builds one series and adds holders up to each N (each created through the holder service and allotted
10 rights on the ledger). For each N it asks for the register PDF as a person would
(``register_pdf_request``) and runs the job in a fresh Python process, as a recycled Celery worker
process would be: the process reports its time, its resident memory before the job and its peak
(VmHWM), and checks the file: pages counted by pypdf, one "page X of Y" footer a page, numbered
1..Y. Up to --single-max holders the same register is also laid out as one WeasyPrint document (the
request's way) in another fresh process, for comparison.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date

TEMP_DIR = tempfile.TemporaryDirectory(prefix="equityplan-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TEMP_DIR.name}/bench.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "equityplan.settings.test"
os.environ["CELERY_EAGER"] = "0"  # the job is asked for here and run in a fresh process, not inline

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

AS_OF = date(2014, 1, 1)


def _memory_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _check(content: bytes) -> dict:
    """Pages by pypdf, and every page's footer "page X of Y" numbered 1..Y."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    footers = []
    for page in reader.pages:
        found = re.findall(r"page (\d+) of (\d+)", re.sub(r"\s+", " ", page.extract_text() or ""))
        footers.append(tuple(int(n) for n in found[-1]) if len(found) == 1 else None)
    pages = len(reader.pages)
    return {"pages": pages, "numbered": footers == [(n, pages) for n in range(1, pages + 1)]}


def run_job(job_id: int) -> None:
    """In a fresh process: run one job as the worker does, and report."""
    import weasyprint  # noqa: F401  loaded before the baseline, as a worker that has rendered once has
    from django.core.files.storage import default_storage

    from papers import pdfjobs
    from papers.models import RegisterPdfJob

    before = _memory_kib("VmRSS")
    start = time.perf_counter()
    outcome = pdfjobs.register_pdf_run(job_id=job_id)
    seconds = time.perf_counter() - start
    peak = _memory_kib("VmHWM")
    job = RegisterPdfJob.objects.get(pk=job_id)
    if outcome != "succeeded":
        raise SystemExit(f"job {job_id}: {outcome} {job.status} {job.error}")
    with default_storage.open(job.file.name, "rb") as handle:
        checked = _check(handle.read())
    result = {"outcome": outcome, "seconds": seconds, "rss_before_kib": before, "peak_kib": peak}
    result.update(checked, size=job.size, rows=job.rows_total, error=job.error)
    print(json.dumps(result))


def run_single(series_id: int) -> None:
    """In a fresh process: the register laid out as one WeasyPrint document, as the request does."""
    import weasyprint  # noqa: F401
    from django.utils import timezone

    from equityplan.exports import render_pdf
    from grants.models import Series
    from grants.selectors.register import register_with_totals_as_of
    from papers import pdfjobs
    from papers.registerdoc import issuers, register_sections

    before = _memory_kib("VmRSS")
    start = time.perf_counter()
    series = Series.objects.get(pk=series_id)
    register = register_with_totals_as_of(as_of=AS_OF, series=series)
    rows, totals = list(register.rows), list(register.totals)
    sections = register_sections(rows, totals)
    data = {"as_of": AS_OF, "known_on": None, "series": series, "sections": sections, "totals": totals}
    data.update(issuers=issuers(sections), prepared_at=timezone.localtime(), generated_on=AS_OF)
    content = render_pdf(template_name=pdfjobs.TEMPLATE, context=pdfjobs.whole_document(data), request=None)
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds,
        "rss_before_kib": before,
        "peak_kib": _memory_kib("VmHWM"),
        "size": len(content),
    }
    result.update(_check(content), rows=len(rows))
    print(json.dumps(result))


def _child(*args: str, chunk: int) -> dict:
    env = {**os.environ, "BENCH_CHUNK": str(chunk)}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.register_pdf", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _add_holders(*, series, actor, start: int, stop: int) -> None:
    from grants.models import LedgerEvent
    from grants.services.ledger import ledger_record
    from holders import services as holder_services

    for i in range(start, stop):
        holder = holder_services.holder_create(
            name=f"Holder {i + 1:05d} (benchmark)",
            address=f"{i % 9 + 1}-{i % 30 + 1} Bench-cho, Chiyoda-ku, Tokyo",
            address_from=date(2010, 4, 1),
            actor=actor,
        )
        ledger_record(
            event_type=LedgerEvent.Type.ALLOTTED,
            series=series,
            holder=holder,
            rights_delta=10,
            effective_date=date(2013, 7, 11),
            actor=actor,
        )


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", default="2000,10000", help="comma-separated sizes, ascending")
    parser.add_argument("--chunk", type=int, default=settings.REGISTER_PDF_CHUNK_ROWS)
    parser.add_argument("--single-max", type=int, default=2000, help="also one document up to this size")
    parser.add_argument("--run-job", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--run-single", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_job or args.run_single:
        settings.REGISTER_PDF_CHUNK_ROWS = int(os.environ.get("BENCH_CHUNK", args.chunk))
        run_job(args.run_job) if args.run_job else run_single(args.run_single)
        return

    from papers import pdfjobs
    from tests.factories import legal_user, make_series

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; chunk: {args.chunk} entries per WeasyPrint document")
    actor = legal_user("bench_legal")
    series = make_series(actor=actor, number=90, max_rights=10 * 100_000)
    built = 0
    for n in sorted(int(s) for s in args.holders.split(",")):
        start = time.perf_counter()
        _add_holders(series=series, actor=actor, start=built, stop=n)
        print(f"{n:,} holders ({n - built:,} added in {time.perf_counter() - start:.0f} s)")
        built = n
        job, _joined = pdfjobs.register_pdf_request(
            user=get_user_model().objects.get(pk=actor.pk),
            as_of=AS_OF,
            known_on=None,
            series=series,
            language="en",
        )
        r = _child("--run-job", str(job.pk), chunk=args.chunk)
        print(
            f"  job, chunks of {args.chunk}: {r['seconds']:7.1f} s, {r['pages']:5} pages "
            f"(numbered 1..{r['pages']}: {r['numbered']}), {r['size'] / 1e6:5.2f} MB, "
            f"RSS {_mib(r['rss_before_kib'])} before, peak {_mib(r['peak_kib'])}"
        )
        if n <= args.single_max:
            s = _child("--run-single", str(series.pk), chunk=args.chunk)
            print(
                f"  one document:       {s['seconds']:7.1f} s, {s['pages']:5} pages "
                f"(numbered: {s['numbered']}), {s['size'] / 1e6:5.2f} MB, "
                f"RSS {_mib(s['rss_before_kib'])} before, peak {_mib(s['peak_kib'])}"
            )


if __name__ == "__main__":
    main()
