"""The daily sweep: lapse what ended, deem approved what the board left undecided, list deadlines,
and verify the ledger (its outcome is recorded as a LedgerCheck, shown on the dashboard and /jobs/).

Idempotent: ``rights_lapse`` writes nothing for a holding with no rights left, and
``transfer_deem_approved`` leaves decided requests alone, so re-running a date changes nothing.

Work in proportion to what falls due: the lots that can lapse are picked by query
(``lapse_candidate_ids``, a superset of what the rule lapses, docs/domain.md reading R67) and the
ledger is verified from the last good check on, fully once a week (docs/reliability.md fact 19).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from grants import selectors
from grants.models import Lot
from grants.services import LapseReason, rights_lapse, transfer_deem_approved
from grants.services.lapse import lapse_candidate_ids, lapse_effective_date

from .ledger import verify_ledger

logger = logging.getLogger("equityplan.jobs")

# The order matters only for the reason recorded: the first that applies is the one given.
LAPSE_REASONS = (
    LapseReason.EXERCISE_PERIOD_ENDED,
    LapseReason.NO_SUCCESSION,
    LapseReason.HEIR_DIED,
    LapseReason.DEPARTURE_WINDOW_ENDED,
    LapseReason.HEIR_WINDOW_ENDED,
)
DEADLINE_DAYS = 30
CHUNK = 500


def _lapse_reason(lot: Lot, as_of: date) -> str | None:
    for reason in LAPSE_REASONS:
        if lapse_effective_date(lot=lot, reason=reason, as_of=as_of) is not None:
            return reason
    return None


def lots_that_may_lapse(as_of: date) -> Iterator[Lot]:
    """The candidate lots with what the rule reads, in fixed queries per chunk of ids."""
    ids = sorted(lapse_candidate_ids(as_of=as_of))
    for start in range(0, len(ids), CHUNK):
        yield from (
            Lot.objects.filter(pk__in=ids[start : start + CHUNK])
            .select_related("holding__series", "holding__holder", "allottee", "inheritance_case")
            .prefetch_related("holding__holder__positions", "allottee__positions")
            .order_by("holding__series_id", "holding__holder_id", "acquired_on", "pk")
        )


def daily_sweep(*, as_of: date, actor: User) -> dict:
    """Run the sweep for ``as_of`` and say what it did (a JSON-ready dict)."""
    lapsed, skipped = [], []
    examined = 0
    for lot in lots_that_may_lapse(as_of):  # the conditions are the lot's, (11)
        examined += 1
        holding = lot.holding
        reason = _lapse_reason(lot, as_of)
        if reason is None:
            continue
        try:
            event = rights_lapse(lot=lot, reason=reason, as_of=as_of, actor=actor)
        except ValidationError as exc:  # e.g. an exercise awaits payment: staff must settle it first
            skipped.append(
                {
                    "holding_id": holding.pk,
                    "lot_id": lot.pk,
                    "holder": holding.holder.name,
                    "why": "; ".join(exc.messages),
                }
            )
            continue
        if event is not None:
            lapsed.append(
                {
                    "holding_id": holding.pk,
                    "lot_id": lot.pk,
                    "event_id": event.pk,
                    "series": holding.series.name,
                    "holder": holding.holder.name,
                    "rights": -event.rights_delta,
                    "reason": reason,
                    "effective_date": event.effective_date.isoformat(),
                }
            )
    deemed = transfer_deem_approved(as_of=as_of, actor=actor)
    deadlines = [
        {
            "kind": row.kind,
            "date": row.due_on.isoformat(),
            "series": row.series.name if row.series else "",
            "holder": row.holder.name if row.holder else "",
            "description": str(row.description),
            "url": row.url,
        }
        for row in selectors.upcoming_deadlines(as_of=as_of, days=DEADLINE_DAYS)
    ]
    result: dict[str, object] = {
        "as_of": as_of.isoformat(),
        "lots_examined": examined,
        "lapsed": lapsed,
        "deemed_approved": [{"transfer_request_id": r.pk, "rights": r.rights} for r in deemed],
        "skipped": skipped,
        "deadlines": deadlines,
    }
    check = verify_ledger(full=False)  # after the sweep's own writes, so they are verified too
    first_problem = str(check.problems[0]) if check.problems else ""
    result["ledger"] = {
        "ok": check.ok,
        "kind": "full" if check.full else "incremental",
        "rows": check.rows,
        "holdings": check.holdings,
        "first_problem": first_problem,
    }
    logger.info(
        "sweep %s: %d lots examined, %d lapsed, %d transfers deemed approved, %d skipped, %d deadlines, "
        "ledger %s (%s, %d rows)",
        as_of, examined, len(lapsed), len(deemed), len(skipped), len(deadlines),
        "intact" if check.ok else "NOT INTACT", "full" if check.full else "incremental", check.rows,
    )  # fmt: skip
    if not check.ok:
        logger.error("the ledger does not verify: %s", first_problem)
    return result
