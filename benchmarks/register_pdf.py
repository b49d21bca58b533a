"""Page counts and rendering times of the register PDF: the demo's, and one series of 10,000 holders.

Run from the project root:  .venv/bin/python -m benchmarks.register_pdf [--holders 10000]
Works in a throwaway SQLite file: loads the demo (``load_demo``), renders the register as of today
and as of the demo's allotment date, then adds one series with N holders (each created through the
holder service and allotted 10 rights on the ledger) and renders that series' register. Pages are
counted from the PDF's page objects and checked against the last "page n of m" footer.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from datetime import date

TEMP_DIR = tempfile.TemporaryDirectory(prefix="equityplan-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TEMP_DIR.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "equityplan.settings.test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from grants.models import LedgerEvent, Series  # noqa: E402
from grants.services.ledger import ledger_record  # noqa: E402
from holders import services as holder_services  # noqa: E402
from tests.factories import legal_user, make_series  # noqa: E402
from tests.papers.pdfcheck import pdf_objects, pdf_plain_text  # noqa: E402

PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pages(content: bytes) -> tuple[int, str]:
    counted = len(PAGE.findall(pdf_objects(content)))
    footers = re.findall(r"page(\d+)of(\d+)", pdf_plain_text(content))
    return counted, (f"page {footers[-1][0]} of {footers[-1][1]}" if footers else "no footer")


def render(client: Client, query: dict) -> tuple[bytes, float]:
    start = time.perf_counter()
    response = client.get("/register.pdf", query)
    assert response.status_code == 200, response.status_code
    return response.content, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="legal"))
    for label, query in (("demo, today", {}), ("demo, 2013-07-11", {"as_of": "2013-07-11"})):
        content, seconds = render(client, query)
        counted, footer = pages(content)
        print(f"{label:28} {counted:5} pages ({footer}), {len(content) / 1e6:6.2f} MB, {seconds:7.1f} s")

    actor = legal_user("bench_legal")
    series = make_series(actor=actor, company=Series.objects.order_by("pk").first().company, number=90)
    start = time.perf_counter()
    for i in range(args.holders):
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
    print(f"{args.holders:,} holders built in {time.perf_counter() - start:.0f} s")
    content, seconds = render(client, {"as_of": "2014-01-01", "series": series.pk})
    counted, footer = pages(content)
    label = f"{args.holders:,} holders, one series"
    print(f"{label:28} {counted:5} pages ({footer}), {len(content) / 1e6:6.2f} MB, {seconds:7.1f} s")


if __name__ == "__main__":
    main()
