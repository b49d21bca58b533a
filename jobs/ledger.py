"""The ledger's verifier: re-computes both hash chains and the holdings from the events.

A row changed behind the triggers no longer matches its hash; a row removed breaks the link of the
row after it (or, at the end of a chain, the head the last check saw); a holding that is not the
sum of its events or of its lots says the events or the holdings were edited. One streamed pass per
chain (docs/adr/0007-ledger-hash-chain.md, docs/reliability.md fact 8).

Two kinds: the **full** check reads every row (weekly, and ``verify_ledger --full``); the
**incremental** one (the daily sweep) starts from the last good check's chain heads, re-reads those
rows and the rows appended since, and re-computes only the holdings those rows touched. What the
incremental check cannot see is written in docs/reliability.md fact 19. The full check also
compares the holders list's tally with a count of the holders (holders/tally.py).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from equityplan.appendonly import GENESIS, HashChainedModel, chain_field_specs, row_hash
from grants.models import Holding, LedgerEvent, Lot
from holders import tally as holder_tally
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
    full: bool = True

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
            "kind": "full" if self.full else "incremental",
            "rows": self.rows,
            "chains": self.chains,
            "holdings": self.holdings,
            "seconds": round(self.seconds, 3),
            "problems": [{"table": p.table, "row_id": p.row_id, "why": p.why} for p in self.problems],
        }


def _chain_columns(model: type[HashChainedModel]) -> tuple[list, list[str]]:
    specs = chain_field_specs(model, model.hash_fields)
    attnames = [f.attname for _, f in specs]
    return specs, list(dict.fromkeys(["id", *attnames, "prev_hash", "row_hash"]))


def _check_rows(model, rows, columns, specs, out: Outcome, prev_id, prev_hash, anchor: dict) -> tuple:
    """Links and hashes of ``rows`` (in id order) after (prev_id, prev_hash); (count, head id, head
    hash, whether the anchor's row was among them)."""
    table = model._meta.db_table
    anchor_id = anchor.get("head_id")
    anchor_seen, count = False, 0
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
    return count, prev_id, prev_hash, anchor_seen


def _head_missing(table: str, anchor: dict, head_id) -> Problem:
    return Problem(
        table,
        anchor["head_id"],
        f"chain head missing: the last check ended at this row ({anchor.get('rows', 0)} rows read)"
        + (f", the rows now end at {head_id}" if head_id else "")
        + ": rows were deleted or the table truncated",
    )


def _verify_chain(model: type[HashChainedModel], using: str, anchor: dict | None, out: Outcome) -> None:
    """One pass in id order; ``anchor`` is the chain head the last good check saw (or None)."""
    table = model._meta.db_table
    specs, columns = _chain_columns(model)
    rows = model._base_manager.using(using).order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK)
    anchor = anchor or {}
    count, head_id, head_hash, anchor_seen = _check_rows(
        model, rows, columns, specs, out, None, GENESIS, anchor
    )
    if anchor.get("head_id") is not None and not anchor_seen:
        out.add(_head_missing(table, anchor, head_id))
    out.chains[table] = {"rows": count, "head_id": head_id, "head_hash": head_hash}


def _verify_chain_since(model: type[HashChainedModel], using: str, anchor: dict, out: Outcome) -> None:
    """From the anchor's row on: it is still there with its hash, and every row after links to it."""
    table = model._meta.db_table
    specs, columns = _chain_columns(model)
    anchor_id = anchor.get("head_id")
    if anchor_id is None:  # the chain was empty: every row is new
        rows = (
            model._base_manager.using(using).order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK)
        )
        count, head_id, head_hash, _seen = _check_rows(model, rows, columns, specs, out, None, GENESIS, {})
        out.chains[table] = {"rows": count, "head_id": head_id, "head_hash": head_hash, "since_id": 0}
        return
    rows = (
        model._base_manager.using(using)
        .filter(pk__gte=anchor_id)
        .order_by("pk")
        .values_list(*columns)
        .iterator(chunk_size=CHUNK)
    )
    first = next(rows, None)
    count, prev_id, prev_hash = 0, anchor_id, anchor["head_hash"]
    if first is None or first[0] != anchor_id:
        out.add(_head_missing(table, anchor, first[0] if first else None))
        rows = itertools.chain([first], rows) if first is not None else rows
    else:  # the anchor's row: its content and its hash as the last good check saw them
        count, prev_id, prev_hash, _seen = _check_rows(
            model, [first], columns, specs, out, None, first[columns.index("prev_hash")], anchor
        )
    more, head_id, head_hash, _seen = _check_rows(model, rows, columns, specs, out, prev_id, prev_hash, {})
    out.chains[table] = {
        "rows": count + more,
        "head_id": head_id,
        "head_hash": head_hash,
        "since_id": anchor_id,
    }


def _verify_holdings(using: str, out: Outcome, pairs: set[tuple[int, int]] | None = None) -> None:
    """Each holding is the sum of its series' and holder's rights deltas, and of its lots; only the
    (series, holder) ``pairs`` given, when given (the incremental check: those its new rows touched)."""
    events = LedgerEvent._base_manager.using(using).filter(series__isnull=False, holder__isnull=False)
    holdings = Holding.objects.using(using)
    if pairs is not None:
        if not pairs:
            return
        series_ids, holder_ids = {s for s, _ in pairs}, {h for _, h in pairs}
        events = events.filter(series_id__in=series_ids, holder_id__in=holder_ids)
        holdings = holdings.filter(series_id__in=series_ids, holder_id__in=holder_ids)
    from_events: dict[tuple[int, int], int] = defaultdict(int)
    for series_id, holder_id, total in (
        events.values_list("series_id", "holder_id").annotate(total=Sum("rights_delta")).order_by()
    ):
        if pairs is None or (series_id, holder_id) in pairs:
            from_events[(series_id, holder_id)] = total or 0
    lots_qs = Lot.objects.using(using)
    if pairs is not None:
        lots_qs = lots_qs.filter(holding__in=holdings)
    lots = dict(lots_qs.values_list("holding_id").annotate(total=Sum("rights")).order_by())
    table = Holding._meta.db_table
    seen = set()
    rows = holdings.order_by("pk").values_list("pk", "series_id", "holder_id", "rights")
    for pk, series_id, holder_id, rights in rows.iterator(chunk_size=CHUNK):
        key = (series_id, holder_id)
        if pairs is not None and key not in pairs:
            continue
        out.holdings += 1
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


def _verify_holder_tally(using: str, out: Outcome) -> None:
    """The holders list's tally against a count (holders/tally.py); a database without its row
    keeps none, and its list counts."""
    kept = holder_tally.kept(using)
    if kept is None:
        return
    counted = holder_tally.counted(using)
    for figure in holder_tally.FIGURES:
        if kept[figure] != counted[figure]:
            out.add(
                Problem(
                    "holders_holdertally",
                    1,
                    f"the tally keeps {kept[figure]} for {figure}, the holders count {counted[figure]}",
                )
            )


def last_good_anchors(using: str) -> dict[str, dict]:
    check = LedgerCheck.objects.using(using).filter(ok=True).order_by("-checked_at", "-pk").first()
    return (check.result or {}).get("chains", {}) if check else {}


def _carry_failed_full_check(using: str, out: Outcome) -> None:
    """A problem the last full check found stands until a full check passes: an incremental one does
    not read the old rows, so it cannot clear it (docs/reliability.md fact 19)."""
    last_full = (
        LedgerCheck.objects.using(using)
        .filter(kind=LedgerCheck.Kind.FULL)
        .order_by("-checked_at", "-pk")
        .only("ok", "checked_at", "first_problem")
        .first()
    )
    if last_full is not None and not last_full.ok:
        out.add(
            Problem(
                "ledger",
                None,
                f"the full check of {last_full.checked_at:%Y-%m-%d %H:%M} did not verify "
                f"({last_full.first_problem}); only a full check that passes clears it",
            )
        )


def _touched_pairs(using: str, since_id: int) -> set[tuple[int, int]]:
    return set(
        LedgerEvent._base_manager.using(using)
        .filter(pk__gt=since_id, series__isnull=False, holder__isnull=False)
        .values_list("series_id", "holder_id")
        .distinct()
        .order_by()
    )


def verify_ledger(*, using: str = "default", record: bool = True, full: bool = True) -> Outcome:
    """Verify both chains and the holdings (and, in a full check, the holder tally); record the
    outcome (shown on the dashboard and /jobs/).

    ``full=False``: from the last good check's chain heads on (docs/reliability.md fact 19); a full
    check all the same when there is none to start from, for either chain.
    """
    started = time.perf_counter()
    out = Outcome()
    anchors = last_good_anchors(using)
    out.full = full or not all(model._meta.db_table in anchors for model in CHAINS)
    for model in CHAINS:
        if out.full:
            _verify_chain(model, using, anchors.get(model._meta.db_table), out)
        else:
            _verify_chain_since(model, using, anchors[model._meta.db_table], out)
    if out.full:
        _verify_holdings(using, out)
        _verify_holder_tally(using, out)  # a count of every holder: weekly, not in the daily sweep
    else:
        since = anchors[LedgerEvent._meta.db_table].get("head_id") or 0
        _verify_holdings(using, out, _touched_pairs(using, since))
        _carry_failed_full_check(using, out)
    out.seconds = time.perf_counter() - started
    if record:
        LedgerCheck.objects.using(using).create(
            checked_at=timezone.now(),
            kind=LedgerCheck.Kind.FULL if out.full else LedgerCheck.Kind.INCREMENTAL,
            ok=out.ok,
            rows=out.rows,
            first_problem=str(out.problems[0]) if out.problems else "",
            result=out.as_dict(),
        )
    return out
