"""The floors: what the database alone takes to give the same rows, timed with psycopg in the run.

A page's floor is one query returning its page of rows (PAGE rows, in the page's order); an
export's floor is `COPY (SELECT ...) TO STDOUT` of the same rows read to the end; the register's
floor is one aggregate of the ledger over the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import psycopg

PAGE = 50

REGISTER_AGGREGATE = """
    SELECT s.company_id, s.number, h.name, e.series_id, e.holder_id, SUM(e.rights_delta) AS rights
    FROM grants_ledgerevent e
    JOIN grants_series s ON s.id = e.series_id
    JOIN holders_holder h ON h.id = e.holder_id
    WHERE e.effective_date <= %(as_of)s AND e.series_id IS NOT NULL AND e.holder_id IS NOT NULL
    GROUP BY s.company_id, s.number, h.name, e.series_id, e.holder_id
    HAVING SUM(e.rights_delta) <> 0
"""

REGISTER_ROWS = f"""
    SELECT g.company_id, g.number, g.name, g.rights,
           (SELECT a.address FROM holders_holderaddress a
             WHERE a.holder_id = g.holder_id AND a.valid_from <= %(as_of)s
             ORDER BY a.valid_from DESC LIMIT 1) AS address
    FROM ({REGISTER_AGGREGATE}) g
    ORDER BY g.company_id, g.number, g.name, g.holder_id
"""

HOLDERS_PAGE = f"SELECT id, name, name_kana, email FROM holders_holder ORDER BY name, id LIMIT {PAGE}"

SERIES_PAGE = f"""
    SELECT h.id, h.name, g.rights FROM grants_holding g JOIN holders_holder h ON h.id = g.holder_id
    WHERE g.series_id = %(series)s ORDER BY h.name, h.id LIMIT {PAGE}
"""

# The audit trail: both chains, newest first; page n by keyset from the entry before it.
AUDIT_ROWS = """
    SELECT recorded_at, id, 'ledger' AS chain, event_type, effective_date, series_id, holder_id,
           rights_delta, payload::text AS detail
    FROM grants_ledgerevent {where_ledger}
    UNION ALL
    SELECT recorded_at, id, 'holder', event_type, effective_date, NULL, holder_id, NULL,
           "after"::text
    FROM holders_holderevent {where_holder}
"""

AUDIT_PAGE = f"""
    SELECT * FROM (
      (SELECT recorded_at, id, event_type, effective_date, series_id, holder_id, rights_delta
         FROM grants_ledgerevent WHERE recorded_at < %(before)s ORDER BY recorded_at DESC, id DESC LIMIT {PAGE})
      UNION ALL
      (SELECT recorded_at, id, event_type, effective_date, NULL, holder_id, NULL
         FROM holders_holderevent WHERE recorded_at < %(before)s ORDER BY recorded_at DESC, id DESC LIMIT {PAGE})
    ) entries ORDER BY recorded_at DESC, id DESC LIMIT {PAGE}
"""


def best_of(fn: Callable[[], object], n: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), times


class Floors:
    def __init__(self, dsn: str):
        self.conn = psycopg.connect(dsn, autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def query(self, sql: str, params: dict | None = None) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params or {})
            return cur.fetchall()

    def copy_out(self, sql: str, params: dict | None = None) -> int:
        """COPY (sql) TO STDOUT in CSV, read to the end; the bytes read."""
        size = 0
        with psycopg.ClientCursor(self.conn) as cur:
            text = cur.mogrify(sql, params or {})
            with cur.copy(f"COPY ({text}) TO STDOUT WITH (FORMAT csv)") as copy:  # type: ignore[arg-type]
                for block in copy:
                    size += len(block)
        return size

    def timed(self, sql: str, params: dict | None = None, n: int = 30) -> list[float]:
        return best_of(lambda: self.query(sql, params), n)[1]

    def audit_cursor(self, page: int) -> object:
        """The recorded_at just after which page ``page`` starts (the last entry of the page before)."""
        offset = (page - 1) * PAGE
        if offset == 0:
            return "infinity"
        rows = self.query(
            "SELECT recorded_at FROM (SELECT recorded_at FROM grants_ledgerevent UNION ALL "
            "SELECT recorded_at FROM holders_holderevent) t ORDER BY recorded_at DESC OFFSET %(o)s LIMIT 1",
            {"o": offset - 1},
        )
        return rows[0][0] if rows else "-infinity"

    def audit_entries(self) -> int:
        return self.query(
            "SELECT (SELECT COUNT(*) FROM grants_ledgerevent) + (SELECT COUNT(*) FROM holders_holderevent)"
        )[0][0]

    def register_floor(self, as_of: date) -> tuple[int, list[float]]:
        rows = len(self.query(REGISTER_AGGREGATE, {"as_of": as_of}))
        return rows, best_of(lambda: self.query(REGISTER_AGGREGATE, {"as_of": as_of}), 5)[1]

    def reltuples(self) -> dict[str, float]:
        return dict(self.query("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'"))
