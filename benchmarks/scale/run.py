"""The scale benchmark, size after size: a fresh database, the world, then every figure.

Needs DATABASE_URL (a throwaway PostgreSQL whose database this drops and re-creates per size) and
REDIS_URL (the production settings require one); scripts/bench.sh starts both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1_000, 10_000, 50_000)
# Seconds between one user's requests: people reading the pages they open (the target's load), then
# clicking again within two seconds, which no one does for a minute (the capacity of two workers).
LOCUST_THINK = ((3.0, 10.0), (0.5, 2.0))


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/scale.py", description=__doc__)
    parser.add_argument(
        "--holders", type=int, nargs="+", default=list(SIZES), help="the sizes (default: %(default)s)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="1,000 holders, 1 company, locust 10 s, 10 requests a page"
    )
    parser.add_argument("--requests", type=int, default=30, help="requests per page for the p95 (default 30)")
    parser.add_argument("--locust-users", type=int, default=20)
    parser.add_argument("--locust-seconds", type=int, default=60)
    parser.add_argument(
        "--companies", type=int, default=None, help="issuers in the world (default 3; quick 1)"
    )
    parser.add_argument("--verify-up-to", type=int, default=10_000, help="run verify_ledger up to this size")
    parser.add_argument("--explain", choices=("largest", "all", "none"), default="largest")
    args = parser.parse_args(argv)
    if args.quick:
        args.holders, args.locust_seconds, args.requests = [1_000], 10, 10
        args.companies = args.companies or 1
    args.companies = args.companies or 3
    return args


def _database_fresh(url: str) -> None:
    """Drop and re-create the database of ``url`` (a throwaway server: scripts/postgres.sh)."""
    import psycopg
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _step(timings: dict, name: str, started: float) -> float:
    now = time.perf_counter()
    timings[name] = now - started
    print(f"  [{name}: {now - started:.1f} s]", flush=True)
    return now


def run_size(holders: int, args: argparse.Namespace, workdir: Path) -> dict:
    from django.contrib.auth.models import User
    from django.core.management import call_command, get_commands
    from django.db import connection

    from equityplan.clock import today as clock_today

    from . import floors, measure, world
    from .explain import explain_pages
    from .load import run_locust
    from .web import Browser, Gunicorn, production_env

    url, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    print(f"\n===== {holders:,} holders =====", flush=True)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    _database_fresh(url)
    call_command("migrate", verbosity=0)
    t = _step(timings, "migrate", t)
    counts = world.build(holders, companies=args.companies, log=lambda s: print(s, flush=True))
    print(
        f"  world: {counts['holders']:,} holders, {counts['series']} series, {counts['lots']:,} lots "
        f"({counts['transfers']:,} by transfer), {counts['ledger_events']:,} ledger events and "
        f"{counts['holder_events']:,} holder events written in {counts['seconds']:.1f} s"
    )
    t = _step(timings, "generate", t)
    if holders <= args.verify_up_to:
        from jobs.ledger import verify_ledger

        outcome = verify_ledger(record=False)
        print(f"  verify_ledger: {'ok' if outcome.ok else 'FAILED'}, {outcome.rows:,} rows, {outcome.holdings:,} holdings"
              + ("" if outcome.ok else f"; {[str(p) for p in outcome.problems[:5]]}"))  # fmt: skip
        t = _step(timings, "verify_ledger", t)
    if "register_rebuild" in get_commands():
        call_command("register_rebuild")
        t = _step(timings, "register_rebuild", t)
    else:
        print("  register_rebuild: no such command yet (the register projection is not merged); skipped")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM grants_ledgerevent")
        events_total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT series_id FROM grants_holding GROUP BY series_id ORDER BY COUNT(*) DESC LIMIT 1"
        )
        series_id = cursor.fetchone()[0]
    print(f"  ledger events in all: {events_total:,}")
    today = clock_today()
    legal = User.objects.get(username="bench_legal")
    db = floors.Floors(url)
    results: list[measure.Result] = []
    env = production_env(url, redis_url)
    server = Gunicorn(env, workdir / f"gunicorn-{holders}.log")
    try:
        browser = Browser(server.url, "bench_legal", world.PASSWORD)
        results += measure.pages(browser, db, series_id=series_id, today=today, n=args.requests, size=holders)
        t = _step(timings, "pages", t)
        results += measure.exports(browser, db, server.workers(), today)
        t = _step(timings, "exports", t)
        # People reading pages (the target), then the same users clicking as fast as they can (capacity).
        tables = []
        for think in LOCUST_THINK:
            load, table = run_locust(host=server.url, env={**env, "BENCH_SESSION": json.dumps(dict(browser.session.cookies.items()))},
                                     workdir=workdir, users=args.locust_users, seconds=args.locust_seconds,
                                     workers=server.workers(), think=think)  # fmt: skip
            results += load
            tables.append(f"think {think[0]:g}-{think[1]:g} s\n{table}" if table else "")
        table = "\n\n".join(t for t in tables if t)
        t = _step(timings, "locust", t)
        worker_rss = [p.memory_info().rss / 2**20 for p in server.workers()]
    finally:
        server.stop()
    results += measure.register_computed(db, today)
    t = _step(timings, "register computed", t)
    results += measure.sweep(today, legal)
    t = _step(timings, "sweep", t)
    own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.append(measure.Result("peak RSS of this benchmark process", own_rss, None, "-", None, unit="MiB"))
    results.append(measure.Result("gunicorn workers' RSS at the end", max(worker_rss, default=0), None, "-", None,
                                  ", ".join(f"{r:.0f}" for r in worker_rss) + " MiB", unit="MiB"))  # fmt: skip
    print(f"\n--- {holders:,} holders, {events_total:,} ledger events: figures ---")
    measure.print_results(results)
    if table:
        print("\nlocust, per request:\n" + table)
    if args.explain == "all" or (args.explain == "largest" and holders == max(args.holders)):
        print(f"\n--- EXPLAIN (ANALYZE, BUFFERS) of each page's queries at {holders:,} holders ---")
        paths = measure.page_paths(series_id, today)
        paths["audit page 10,000"] = measure.audit_page_path(db)[0]  # by its keyset cursor
        summary = explain_pages(legal, paths)
        print("\nEXPLAIN summary (no Seq Scan on a table of more than 1,000 rows):")
        for name, n, failing in summary:
            print(
                f"  {name:<40} {n:>3} queries  "
                + (
                    "FAIL (no query captured)"
                    if not n
                    else f"FAIL ({failing} on a Seq Scan)"
                    if failing
                    else "PASS"
                )
            )
        _step(timings, "explain", t)
    db.close()
    print("  timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    return {"holders": holders, "timings": timings, "results": results}


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equityplan.settings.local")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        print(
            "benchmarks/scale.py needs DATABASE_URL (a throwaway PostgreSQL) and REDIS_URL: run `make bench`"
        )
        return 2
    import django

    django.setup()
    import psycopg
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    print(f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server_version}, "
          f"psycopg {psycopg.__version__}, {platform.machine()}, {os.cpu_count()} cores; sizes {args.holders}")  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="equityplan-bench-"))
    runs = [run_size(n, args, workdir) for n in args.holders]
    print("\n===== summary: PASS/FAIL per target =====")
    for run in runs:
        print(f"{run['holders']:,} holders: generate {run['timings']['generate']:.1f} s")
        for r in run["results"]:
            if r.passed is not None:
                ratio = f" ({r.ratio:.1f}x floor)" if r.ratio is not None else ""
                print(f"  {'PASS' if r.passed else 'FAIL'}  {r.name}{ratio}")
    print(f"\ntotal benchmark time {time.perf_counter() - started:.1f} s; logs in {workdir}")
    return 0
