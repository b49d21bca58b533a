"""The expense a grant of rights costs, per fiscal quarter, under J-GAAP or IFRS (docs/domain.md §7.1).

Measurement is the same under both: the fair value per right at the grant date (the approved amount
paid per right) times the rights expected to vest, spread over the service period by days. A lapse
before vesting is a forfeiture (the estimate is trued up, reversing what was expensed for those
rights); an exercise before vesting recognises the rest of those rights' expense when they are
exercised (their book value goes to capital, OCA Art 17); a lapse after vesting is a gain through
profit or loss under J-GAAP (新株予約権戻入益, ASBJ Statement No. 8 para 9) and a transfer within equity
under IFRS 2 para 23.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .allocation import largest_remainder
from .periods import Period

JGAAP, IFRS = "jgaap", "ifrs"
EXERCISED, LAPSED, CANCELLED = "exercised", "lapsed", "cancelled"


@dataclass(frozen=True)
class Tranche:
    """Rights that vest at the end of one service period; ``start`` None: past service (vested at grant)."""

    rights: int
    start: date | None
    end: date | None

    @property
    def past_service(self) -> bool:
        return self.start is None or self.end is None


@dataclass(frozen=True)
class RightsChange:
    """Rights that left the holders on ``on``: exercised, lapsed, or cancelled by the company."""

    on: date
    kind: str
    rights: int


@dataclass
class PeriodAmounts:
    period: Period
    expense_yen: int = 0
    lapse_gain_yen: int = 0
    equity_transfer_yen: int = 0
    cumulative_expense_yen: int = 0
    # the parts of the period's expense, for the journal: accelerated by exercise, reversed by forfeiture
    accelerated_yen: int = 0
    details: list[str] = field(default_factory=list)


def _vest_on(tranche: Tranche, granted_on: date) -> date:
    return granted_on if tranche.past_service else tranche.end  # type: ignore[return-value]


def _assign(tranches: Sequence[Tranche], changes: Sequence[RightsChange], granted_on: date):
    """Changes consume tranches in order of vesting, the earliest first (reading R29)."""
    left = [t.rights for t in tranches]
    per: list[list[RightsChange]] = [[] for _ in tranches]
    for change in sorted(changes, key=lambda c: c.on):
        need = change.rights
        for i in sorted(range(len(tranches)), key=lambda i: _vest_on(tranches[i], granted_on)):
            if need == 0:
                break
            take = min(need, left[i])
            if take:
                per[i].append(RightsChange(change.on, change.kind, take))
                left[i] -= take
                need -= take
        if need:
            raise ValueError(f"{change.rights} rights left on {change.on} but only fewer were outstanding")
    return per


def _tranche_cumulative(
    *,
    tranche: Tranche,
    changes: Sequence[RightsChange],
    granted_on: date,
    fair_value_per_right_yen: int,
    periods: Sequence[Period],
    estimated_forfeitures: int,
) -> list[tuple[int, int]]:
    """(cumulative expense, of which accelerated) at the end of each period."""
    vest_on = _vest_on(tranche, granted_on)
    weights = (
        [p.days_within(tranche.start, tranche.end) for p in periods]  # type: ignore[arg-type]
        if not tranche.past_service
        else [1 if p.contains(granted_on) else 0 for p in periods]
    )
    rows = []
    for index, period in enumerate(periods):
        t = period.end
        if t < granted_on:
            rows.append((0, 0))
            continue
        before_vesting = [c for c in changes if c.on <= vest_on and c.on <= t]
        accelerated = sum(c.rights for c in before_vesting if c.kind == EXERCISED)
        forfeited = sum(c.rights for c in before_vesting if c.kind != EXERCISED)
        remaining = tranche.rights - accelerated - forfeited
        if t < vest_on:  # the estimate: remaining less the forfeitures still expected (reading R28)
            remaining = max(remaining - max(estimated_forfeitures - forfeited, 0), 0)
        spread = largest_remainder(fair_value_per_right_yen * remaining, weights)
        rows.append((fair_value_per_right_yen * accelerated + sum(spread[: index + 1]), accelerated))
    return rows


def expense_schedule(
    *,
    standard: str,
    fair_value_per_right_yen: int,
    granted_on: date,
    tranches: Sequence[Tranche],
    changes: Sequence[RightsChange],
    periods: Sequence[Period],
    estimated_forfeitures: int = 0,
) -> list[PeriodAmounts]:
    """Expense, lapse gain (J-GAAP) or transfer within equity (IFRS) in each of ``periods``.

    ``periods`` are consecutive and must cover the grant and every service period. Under J-GAAP a
    series with several tranches is spread as one over the longest period; IFRS 2 (IG11) takes each
    tranche as a separate grant (reading R30).
    """
    if standard not in (JGAAP, IFRS):
        raise ValueError(f"unknown standard {standard!r}")
    if fair_value_per_right_yen < 0:
        raise ValueError("fair value must not be negative")
    tranches = list(tranches)
    if standard == JGAAP and len(tranches) > 1:
        timed = [t for t in tranches if not t.past_service]
        starts = [t.start for t in timed if t.start is not None]
        ends = [t.end for t in timed if t.end is not None]
        total = sum(t.rights for t in tranches)
        tranches = [Tranche(total, min(starts), max(ends)) if timed else Tranche(total, None, None)]
    per_tranche = _assign(tranches, changes, granted_on)
    result = [PeriodAmounts(period=p) for p in periods]
    previous = [(0, 0)] * len(tranches)
    cumulative = [
        _tranche_cumulative(
            tranche=t,
            changes=per_tranche[i],
            granted_on=granted_on,
            fair_value_per_right_yen=fair_value_per_right_yen,
            periods=periods,
            estimated_forfeitures=estimated_forfeitures if i == 0 else 0,
        )
        for i, t in enumerate(tranches)
    ]
    for index, amounts in enumerate(result):
        for i, tranche in enumerate(tranches):
            now, accelerated = cumulative[i][index]
            amounts.expense_yen += now - previous[i][0]
            amounts.accelerated_yen += fair_value_per_right_yen * (accelerated - previous[i][1])
            amounts.cumulative_expense_yen += now
            previous[i] = (now, accelerated)
            vest_on = _vest_on(tranche, granted_on)
            after = sum(
                c.rights
                for c in per_tranche[i]
                if c.kind != EXERCISED and c.on > vest_on and amounts.period.contains(c.on)
            )
            if standard == JGAAP:
                amounts.lapse_gain_yen += fair_value_per_right_yen * after
            else:
                amounts.equity_transfer_yen += fair_value_per_right_yen * after
    return result
