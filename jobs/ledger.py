"""The ledger's verifier: re-computes both hash chains and the holdings from the events.

A row changed behind the triggers no longer matches its hash; a row removed breaks the link of the
row after it (or, at the end of a chain, the head the last check saw); a holding that is not the
sum of its events or of its lots says the events or the holdings were edited. One streamed pass per
chain (docs/adr/0007-ledger-hash-chain.md, docs/reliability.md fact 8).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from equityplan.appendonly import GENESIS, HashChainedModel, chain_field_specs, row_hash
from grants.models import Holding, LedgerEvent, Lot
from holders.models import HolderEvent

from .models import LedgerCheck

CHAINS: tuple[type[HashChainedModel], ...] = (LedgerEvent, HolderEvent)
CHUNK = 5000
MAX_PROBLEMS = 50


@dataclass
class Problem:
    table: str
    row_id: int | None
    why: str

    def __str__(self) -> str:
        where = f"{self.table} row {self.row_id}" if self.row_id is not None else self.table
        return f"{where}: {self.why}"


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    chains: dict[str, dict[str, Any]] = field(default_factory=dict)
    holdings: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(c["rows"] for c in self.chains.values())

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "chains": self.chains,
            "holdings": self.holdings,
            "seconds": round(self.seconds, 3),
            "problems": [{"table": p.table, "row_id": p.row_id, "why": p.why} for p in self.problems],
        }


def _verify_chain(model: type[HashChainedModel], using: str, anchor: dict | None, out: Outcome) -> None:
    """One pass in id order; ``anchor`` is the chain head the last good check saw (or None)."""
    table = model._meta.db_table
    specs = chain_field_specs(model, model.hash_fields)
    attnames = [f.attname for _, f in specs]
    columns = list(dict.fromkeys(["id", *attnames, "prev_hash", "row_hash"]))
    rows = model._base_manager.using(using).order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK)
    anchor = anchor or {}
    anchor_id = anchor.get("head_id")
    anchor_seen = False
    prev_id, prev_hash, count = None, GENESIS, 0
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        row_id = row["id"]
        count += 1
        if row["prev_hash"] != prev_hash:
            if prev_id is None:
                why = "the first row names a predecessor: the rows before it were deleted"
            elif row_id - prev_id > 1:
                gap = f"id {prev_id + 1}" if row_id - prev_id == 2 else f"ids {prev_id + 1}-{row_id - 1}"
                why = f"{gap} missing after row {prev_id} and the link is broken: a row was deleted"
            else:
                why = f"does not link to row {prev_id}: the chain was rewritten"
            out.add(Problem(table, row_id, why))
        if row_hash(table, specs, row, row["prev_hash"]) != row["row_hash"]:
            out.add(Problem(table, row_id, "hash mismatch: the row's content was changed"))
        if row_id == anchor_id:
            anchor_seen = True
            if row["row_hash"] != anchor["head_hash"]:
                out.add(Problem(table, row_id, "differs from the last chain head verified"))
        prev_id, prev_hash = row_id, row["row_hash"]
    if anchor_id is not None and not anchor_seen:
        out.add(
            Problem(
                table,
                anchor_id,
                f"chain head missing: the last check ended at this row ({anchor['rows']} rows), "
                f"now {count} rows"
                + (f" end at {prev_id}" if prev_id else "")
                + ": rows were deleted or the table truncated",
            )
        )
    out.chains[table] = {"rows": count, "head_id": prev_id, "head_hash": prev_hash}


def _verify_holdings(using: str, out: Outcome) -> None:
    """Each holding is the sum of its series' and holder's rights deltas, and of its lots."""
    from_events: dict[tuple[int, int], int] = defaultdict(int)
    for series_id, holder_id, total in (
        LedgerEvent._base_manager.using(using)
        .filter(series__isnull=False, holder__isnull=False)
        .values_list("series_id", "holder_id")
        .annotate(total=Sum("rights_delta"))
        .order_by()
    ):
        from_events[(series_id, holder_id)] = total or 0
    lots = dict(Lot.objects.using(using).values_list("holding_id").annotate(total=Sum("rights")).order_by())
    table = Holding._meta.db_table
    seen = set()
    holdings = (
        Holding.objects.using(using).order_by("pk").values_list("pk", "series_id", "holder_id", "rights")
    )
    for pk, series_id, holder_id, rights in holdings.iterator(chunk_size=CHUNK):
        out.holdings += 1
        key = (series_id, holder_id)
        seen.add(key)
        expected = from_events.get(key, 0)
        if rights != expected:
            out.add(
                Problem(table, pk, f"holding differs: {rights} rights held, the events sum to {expected}")
            )
        if rights != lots.get(pk, 0):
            out.add(
                Problem(
                    table, pk, f"holding differs: {rights} rights held, its lots sum to {lots.get(pk, 0)}"
                )
            )
    for (series_id, holder_id), total in sorted(from_events.items()):
        if (series_id, holder_id) not in seen and total != 0:
            out.add(
                Problem(
                    LedgerEvent._meta.db_table,
                    None,
                    f"holding differs: series {series_id}, holder {holder_id}: the events sum to {total}, "
                    "no holding is recorded",
                )
            )


def last_good_anchors(using: str) -> dict[str, dict]:
    check = LedgerCheck.objects.using(using).filter(ok=True).order_by("-checked_at", "-pk").first()
    return (check.result or {}).get("chains", {}) if check else {}


def verify_ledger(*, using: str = "default", record: bool = True) -> Outcome:
    """Verify both chains and the holdings; record the outcome (shown on the dashboard and /jobs/)."""
    started = time.perf_counter()
    out = Outcome()
    anchors = last_good_anchors(using)
    for model in CHAINS:
        _verify_chain(model, using, anchors.get(model._meta.db_table), out)
    _verify_holdings(using, out)
    out.seconds = time.perf_counter() - started
    if record:
        LedgerCheck.objects.using(using).create(
            checked_at=timezone.now(),
            ok=out.ok,
            rows=out.rows,
            first_problem=str(out.problems[0]) if out.problems else "",
            result=out.as_dict(),
        )
    return out
