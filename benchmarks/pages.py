"""Benchmark: the register, series and audit pages and their CSV exports against Django admin and csv.

Run from the project root:  .venv/bin/python -m benchmarks.pages
Builds one series and N holders through the real services in a throwaway SQLite file (N = 100,
1,000, 5,000, grown in place), then times each page through django.test.Client: one warm-up
request (whose queries are counted), then the median of five. Peers measured in the same run:

- Django admin's Holding changelist with ``?all=``: as shipped (admin shows everything only up to
  ``list_max_show_all`` = 200 rows, otherwise pages of 100) and with that cap raised in this
  process, so it renders the same N rows as the register;
- Django admin's LedgerEvent changelist, with ``list_per_page`` set in this process to the audit
  page's 50 rows;
- the floor for a CSV export: Python's csv module writing the same columns from one
  ``values_list()`` query (two for the audit trail), no request cycle, no per-cell escaping.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date

TEMP_DIR = tempfile.TemporaryDirectory(prefix="equityplan-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TEMP_DIR.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "equityplan.settings.test"

import django  # noqa: E402

django.setup()

import csv  # noqa: E402
import heapq  # noqa: E402
import io  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
from collections.abc import Callable  # noqa: E402

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from grants.models import Holding, LedgerEvent, ShareAdjustment  # noqa: E402
from holders import services as holder_services  # noqa: E402
from holders.models import HolderAddress, HolderEvent, Position  # noqa: E402
from tests.factories import allot, legal_user, make_holder, make_series  # noqa: E402

SIZES = (100, 1_000, 5_000)
RIGHTS_EACH = 10
AS_OF = date(2013, 7, 11)
REPEATS = 5
AUDIT_PAGE_ROWS = 50


def median_ms(repeats: int, function: Callable[[], object]) -> tuple[float, float]:
    """Median wall and CPU time of ``repeats`` calls in milliseconds (after the caller's warm-up).

    CPU time is this process's (SQLite runs in it), so it is the figure least moved by other
    processes on the machine; wall time is what a user waits.
    """
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3


# --- Data ----------------------------------------------------------------------------------------


class Dataset:
    """One series and a growing number of holders, each allotted rights through the services."""

    def __init__(self) -> None:
        self.actor = legal_user()
        self.series = make_series(actor=self.actor, max_rights=RIGHTS_EACH * max(SIZES))
        self.holders = 0

    def grow_to(self, n: int) -> float:
        started = time.perf_counter()
        while self.holders < n:
            self.holders += 1
            i = self.holders
            holder = make_holder(actor=self.actor, name=f"Holder {i:05d}")
            allot(series=self.series, holder=holder, rights=RIGHTS_EACH, actor=self.actor)
            # A few lifecycle events: a move before the register date (the register must show the
            # new address) and a departure after it (holder events for the audit trail).
            if i % 20 == 0:
                holder_services.holder_change_address(
                    holder=holder,
                    address=f"{i} Moved-cho, Minato-ku, Tokyo",
                    valid_from=date(2013, 7, 1),
                    actor=self.actor,
                )
            if i % 50 == 0:
                holder_services.position_end(
                    position=Position.objects.get(holder=holder),
                    ended_on=date(2014, 3, 31),
                    reason=Position.EndReason.RETIRED,
                    actor=self.actor,
                )
        return time.perf_counter() - started


# --- CSV floors: the csv module straight from one query -----------------------------------------


def register_csv_floor(series_pk: int) -> bytes:
    """The register's columns for every holding, from one query (addresses and shares per right as
    subqueries), written by csv.writer: what any export of these rows must at least cost."""
    address = (
        HolderAddress.objects.filter(holder=OuterRef("holder"), valid_from__lte=AS_OF)
        .order_by("-valid_from")
        .values("address")[:1]
    )
    per_right = (
        ShareAdjustment.objects.filter(series=OuterRef("series"), applies_from__lte=AS_OF)
        .order_by("-applies_from")
        .values("shares_per_right")[:1]
    )
    rows = (
        Holding.objects.filter(series_id=series_pk, rights__gt=0)
        .annotate(address=Subquery(address), per_right=Subquery(per_right))
        .order_by("holder__name")
        .values_list(
            "series__name",
            "holder__name",
            "address",
            "rights",
            "series__share_class",
            "per_right",
            "series__exercise_price_per_share_yen",
            "series__exercise_period_start",
            "series__exercise_period_end",
            "acquired_on",
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["series", "holder", "address", "rights", "class", "per right", "shares", "price"])
    for name, holder, addr, rights, share_class, per, price, start, end, acquired in rows:
        writer.writerow(
            [
                name,
                holder,
                addr,
                rights,
                share_class,
                per,
                rights * (per or 0),
                price,
                start,
                end,
                acquired,
                "",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def audit_csv_floor() -> bytes:
    """Every ledger and holder event with the audit CSV's columns, two queries merged newest first."""
    ledger = LedgerEvent.objects.order_by("-recorded_at", "-pk").values_list(
        "recorded_at",
        "recorded_by__username",
        "event_type",
        "effective_date",
        "series__name",
        "holder__name",
        "rights_delta",
        "approved_by__username",
        "resolution_reference",
        "payload",
    )
    people = HolderEvent.objects.order_by("-recorded_at", "-pk").values_list(
        "recorded_at",
        "recorded_by__username",
        "event_type",
        "effective_date",
        "holder__name",
        "approved_by__username",
        "before",
        "after",
    )
    ledger_rows = (
        (r[0], (r[0], r[1] or "", r[2], r[3], r[4] or "", r[5] or "", r[6], r[7] or "", r[8], "", r[9]))
        for r in ledger.iterator(chunk_size=2000)
    )
    people_rows = (
        (r[0], (r[0], r[1] or "", r[2], r[3], "", r[4], "", r[5] or "", "", r[6], r[7]))
        for r in people.iterator(chunk_size=2000)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for _, row in heapq.merge(ledger_rows, people_rows, key=lambda pair: pair[0], reverse=True):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- Measuring -----------------------------------------------------------------------------------

TABLE_BODIES = re.compile(rb"<tbody.*?</tbody>", re.S)


def table_rows(content: bytes) -> int:
    """Rows in every table body of an HTML page (the series page has several tables)."""
    return sum(body.count(b"<tr") for body in TABLE_BODIES.findall(content))


class Bench:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.results: list[dict] = []

    def page(self, label: str, n: int, url: str, *, rows: Callable[[bytes], int] | None = None) -> dict:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)  # the warm-up; its queries are the ones counted
        count = len(queries)  # now: the next request's request_started signal empties the log
        assert response.status_code == 200, (url, response.status_code)
        ms, cpu = median_ms(REPEATS, lambda: self.client.get(url))
        shown = rows(response.content) if rows else None
        result = {"label": label, "n": n, "ms": ms, "cpu": cpu, "queries": count, "rows": shown}
        self.results.append(result)
        return result

    def function(self, label: str, n: int, function: Callable[[], bytes], *, header_lines: int = 0) -> dict:
        with CaptureQueriesContext(connection) as queries:
            content = function()
        count = len(queries)
        ms, cpu = median_ms(REPEATS, function)
        result = {
            "label": label,
            "n": n,
            "ms": ms,
            "cpu": cpu,
            "queries": count,
            "rows": content.count(b"\r\n") - header_lines,
        }
        self.results.append(result)
        return result


def csv_rows(content: bytes) -> int:
    return content.count(b"\r\n") - 1  # minus the header


def measure(bench: Bench, data: Dataset, n: int) -> list[tuple[dict, dict | None]]:
    """One block of the table: (ours, peer) pairs, plus admin as shipped for reference."""
    holding_admin = admin.site._registry[Holding]
    ledger_admin = admin.site._registry[LedgerEvent]
    series_pk = data.series.pk
    pairs: list[tuple[dict, dict | None]] = []

    register = bench.page("register page", n, f"/register/?as_of={AS_OF.isoformat()}", rows=table_rows)
    shipped_cap = holding_admin.list_max_show_all
    holding_admin.list_max_show_all = 10**9
    try:
        admin_all = bench.page(
            "  admin Holding ?all=, uncapped", n, "/admin/grants/holding/?all=", rows=table_rows
        )
        admin_series = bench.page(
            "  admin Holding ?series&all=, uncapped",
            n,
            f"/admin/grants/holding/?series__id__exact={series_pk}&all=",
            rows=table_rows,
        )
    finally:
        holding_admin.list_max_show_all = shipped_cap
    pairs.append((register, admin_all))
    pairs.append(
        (
            bench.page(
                "  admin Holding ?all=, as shipped", n, "/admin/grants/holding/?all=", rows=table_rows
            ),
            None,
        )
    )

    register_csv = bench.page("register.csv", n, f"/register.csv?as_of={AS_OF.isoformat()}", rows=csv_rows)
    floor = bench.function(
        "  csv floor (1 values_list)", n, lambda: register_csv_floor(series_pk), header_lines=1
    )
    pairs.append((register_csv, floor))

    series_page = bench.page(f"series page /series/{series_pk}/", n, f"/series/{series_pk}/", rows=table_rows)
    pairs.append((series_page, admin_series))

    shipped_per_page = ledger_admin.list_per_page
    ledger_admin.list_per_page = AUDIT_PAGE_ROWS
    try:
        admin_ledger = bench.page(
            f"  admin LedgerEvent, {AUDIT_PAGE_ROWS}/page", n, "/admin/grants/ledgerevent/", rows=table_rows
        )
    finally:
        ledger_admin.list_per_page = shipped_per_page
    audit = bench.page("audit page", n, "/audit/", rows=table_rows)
    pairs.append((audit, admin_ledger))
    pairs.append(
        (
            bench.page("  admin LedgerEvent, as shipped", n, "/admin/grants/ledgerevent/", rows=table_rows),
            None,
        )
    )

    audit_csv = bench.page("audit.csv", n, "/audit.csv", rows=csv_rows)
    audit_floor = bench.function("  csv floor (2 values_list)", n, audit_csv_floor)
    pairs.append((audit_csv, audit_floor))
    return pairs


def print_block(n: int, pairs: list[tuple[dict, dict | None]]) -> None:
    print(f"\nN = {n:,} holders")
    print(
        f"{'page':<40} | {'rows':>6} | {'median wall':>11} | {'median CPU':>10} | {'queries':>7} "
        f"| {'ours/peer wall':>14} | {'ours/peer CPU':>13}"
    )
    for ours, peer in pairs:
        ratios = (
            (f"{ours['ms'] / peer['ms']:.2f}x", f"{ours['cpu'] / peer['cpu']:.2f}x") if peer else ("", "")
        )
        for result, (wall_ratio, cpu_ratio) in ((ours, ratios), (peer, ("", ""))):
            if result is None:
                continue
            rows = "" if result["rows"] is None else f"{result['rows']:,}"
            print(
                f"{result['label']:<40} | {rows:>6} | {result['ms']:>8.1f} ms | {result['cpu']:>7.1f} ms "
                f"| {result['queries']:>7} | {wall_ratio:>14} | {cpu_ratio:>13}"
            )


def main() -> None:
    started = time.perf_counter()
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {connection.Database.sqlite_version}, {platform.machine()}, {os.cpu_count()} cores"
    )
    call_command("migrate", verbosity=0, interactive=False)
    data = Dataset()
    superuser = get_user_model().objects.create_superuser("bench", "bench@example.com", "pw")
    client = Client()
    client.force_login(superuser)
    bench = Bench(client)
    for n in SIZES:
        built = data.grow_to(n)
        print(f"\n(built up to {n:,} holders in {built:.1f} s through the services)")
        print_block(n, measure(bench, data, n))

    print("\nQueries per page as N grows (ours must not change):")
    ours = [
        "register page",
        "register.csv",
        f"series page /series/{data.series.pk}/",
        "audit page",
        "audit.csv",
    ]
    for label in ours:
        counts = [r["queries"] for r in bench.results if r["label"] == label]
        verdict = "constant" if len(set(counts)) == 1 else "GROWS WITH N"
        print(f"  {label:<32} {' / '.join(str(c) for c in counts):<16} {verdict}")
    print(f"\ntotal benchmark time {time.perf_counter() - started:.1f} s")
    TEMP_DIR.cleanup()


if __name__ == "__main__":
    main()
