"""Locust headless against the running gunicorn: the mix of benchmarks/locustfile.py."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from django.db import connection

from .measure import Result
from .web import ROOT, RssSampler

TARGET_ROWS = 2_000


def write_targets(path: Path) -> None:
    """Ids the simulated users act on, read from the world (a sample of each kind)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM holders_holder ORDER BY id LIMIT {TARGET_ROWS}")
        holders = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT holder_id, id FROM holders_position WHERE ended_on IS NULL ORDER BY id DESC "
            f"LIMIT {TARGET_ROWS}"
        )
        positions = [list(r) for r in cursor.fetchall()]
        cursor.execute("SELECT id FROM grants_series ORDER BY id")
        series = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT s.id, p.holder_id, p.title FROM holders_position p "
            "JOIN grants_series s ON s.company_id = p.company_id AND s.status = 'resolved' "
            "AND s.name LIKE '%%' || replace(p.title, '_', ' ') || ' plan%%' "
            f"WHERE p.ended_on IS NULL ORDER BY p.id, s.id LIMIT {TARGET_ROWS}"
        )
        allotments = [list(r) for r in cursor.fetchall()]
        cursor.execute(
            f"SELECT id, rights FROM grants_holding WHERE rights >= 10 ORDER BY id LIMIT {TARGET_ROWS}"
        )
        holdings = [list(r) for r in cursor.fetchall()]
    path.write_text(
        json.dumps(
            {
                "holders": holders,
                "open_positions": positions,
                "series": series,
                "allotments": allotments,
                "holdings": holdings,
            }
        )
    )


def run_locust(
    *, host: str, env: dict, workdir: Path, users: int, seconds: int, workers, think: tuple[float, float]
) -> tuple[list[Result], str]:
    """``think``: the seconds each user waits between requests, drawn uniformly in the range."""
    targets = workdir / "locust-targets.json"
    write_targets(targets)
    prefix = workdir / f"locust-{think[0]:g}-{think[1]:g}"
    label = f"locust {users} users {seconds} s, think {think[0]:g}-{think[1]:g} s"
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host, "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    with RssSampler(workers) as rss:
        done = subprocess.run(  # noqa: S603
            command, cwd=ROOT, env={**env, "BENCH_TARGETS": str(targets), "BENCH_THINK": f"{think[0]},{think[1]}"},
            capture_output=True, text=True,
            timeout=seconds + 180,
        )  # fmt: skip
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        note = f"locust wrote no stats (exit {done.returncode}): {done.stderr[-400:]}"
        return [Result(f"{label}, p95", float("nan"), None, "p95 <= 300 ms", False, note)], ""
    rows = list(csv.DictReader(stats_file.open()))
    table = [f"{'request':<42} {'count':>7} {'fail':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>7}"]
    for row in rows:
        table.append(
            f"{row['Name'][:42]:<42} {row['Request Count']:>7} {row['Failure Count']:>5} {row['50%']:>6}ms "
            f"{row['95%']:>6}ms {row['99%']:>6}ms {float(row['Requests/s']):>7.2f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    p95 = float(total["95%"]) / 1000
    failures = int(total["Failure Count"])
    rps = float(total["Requests/s"])
    failures_file = Path(f"{prefix}_failures.csv")
    why = ""
    if failures and failures_file.exists():
        why = "; ".join(
            f"{r['Name']}: {r['Error']} x{r['Occurrences']}" for r in csv.DictReader(failures_file.open())
        )[:400]
    results = [
        Result(f"{label}, p95", p95, None, "p95 <= 300 ms", p95 <= 0.300,
               f"{int(total['Request Count']):,} requests, {rps:.2f} requests/s"),
        Result(f"{label}, failures", failures, None, "0 errors", failures == 0, why, unit="errors"),
        Result(f"workers' peak RSS under load (think {think[0]:g}-{think[1]:g} s)", rss.max_mib, None, "-", None, unit="MiB"),
    ]  # fmt: skip
    return results, "\n".join(table)
