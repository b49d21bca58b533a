"""EXPLAIN (ANALYZE, BUFFERS) of every query a page runs, captured while rendering it in-process.

The check "on an index": no Seq Scan on a table of more than BIG rows (small tables are read whole
by any planner, rightly). Queries of the session and authentication machinery are left out.
"""

from __future__ import annotations

import re

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

BIG = 1_000
SKIP = re.compile(
    r'^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET |INSERT|UPDATE|DELETE)|"django_session"|"auth_user"|"django_otp',
    re.I,
)
SEQ = re.compile(r"Seq Scan on (\w+)")


def explain_pages(user, paths: dict[str, str], out=print) -> list[tuple[str, int, int]]:
    """Print each page's plans; (page, queries, queries failing the check) per page."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
    summary = []
    for name, path in paths.items():
        reset_queries()  # a full query log (9,000 entries under DEBUG) would capture nothing
        with CaptureQueriesContext(connection) as captured:
            try:
                status = client.get(path).status_code
            except Exception as exc:  # noqa: BLE001
                status = f"{type(exc).__name__}: {exc}"[:200]
        queries = [q["sql"] for q in captured.captured_queries if not SKIP.search(q["sql"])]
        out(f"\n### {name}  GET {path} -> {status}; {len(queries)} queries explained")
        failing = 0
        for i, sql in enumerate(queries, 1):
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            try:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
            except Exception as exc:  # noqa: BLE001
                out(f"-- query {i}: could not EXPLAIN ({type(exc).__name__}: {str(exc)[:120]})")
                continue
            seq = sorted({t for t in SEQ.findall(plan) if sizes.get(t, 0) > BIG})
            verdict = "PASS" if not seq else f"FAIL (Seq Scan on {', '.join(seq)})"
            failing += bool(seq)
            out(f"-- query {i}: on an index: {verdict}")
            out(f"   {sql[:400]}{' ...' if len(sql) > 400 else ''}")
            out("   " + plan.replace("\n", "\n   "))
        summary.append((name, len(queries), failing))
    return summary
