"""The register's arithmetic (Art 249): how one line's events make its rights, lots and flows.

A register line is a holder's rights in a series, or the company's own rights in it. Its state on
a date depends on that line's events alone, in (effective date, id) order, so the state of every
line on every date can be kept in a table (docs/adr/0008-register-projection.md) and the whole
register replayed from the ledger gives the same figures (the reference the tests compare with).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# The ledger's event types the register reads (grants.models.LedgerEvent.Type values).
ALLOTTED = "allotted"
SUCCESSION = "succession"
TRANSFER_REGISTERED = "transfer_registered"
EXERCISED = "exercised"
LAPSED = "lapsed"
RESTRUCTURED = "restructured"
ACQUIRED_BY_COMPANY = "acquired_by_company"
CANCELLED = "cancelled"

# Events by which a holder acquires rights: their effective date is the register's acquisition date.
ACQUISITION_EVENT_TYPES = frozenset({ALLOTTED, SUCCESSION, TRANSFER_REGISTERED})
# How each acquisition event opens a lot on a register line: its origin, as grants.models.Lot says.
LOT_ORIGIN_OF = {ALLOTTED: "allotted", SUCCESSION: "succeeded", TRANSFER_REGISTERED: "transferred"}
# A series' total besides the rights on the register, and the events by which rights leave holders
# for good (rights acquired by the company stay on the register, on the company's own line).
FLOWS = ("allotted", "exercised", "lapsed", "cancelled", "restructured")
# A series' register total: the holders with rights, the rights held by them and by the company, the flows.
TOTAL_FIGURES = ("holders", "held_by_holders", "held_by_company", *FLOWS)
OUTFLOW_EVENT_TYPES = {EXERCISED: "exercised", LAPSED: "lapsed", RESTRUCTURED: "restructured"}


@dataclass(frozen=True)
class LineEvent:
    """What the register needs of one ledger event on a line."""

    event_type: str
    effective_date: date
    rights_delta: int
    cancelled_rights: int = 0  # a `cancelled` event's rights (its payload)
    lot: tuple[str, date] | None = None  # (origin, acquired on) of the lot an exit names


class RegisterLine:
    """One register line as lots of [acquired on, rights, origin], and the flows it has seen.

    Rights leaving are taken from the lot the event names, else from the earliest lot first;
    rights leaving a line that holds none (an event dated before the one that brought them) are
    owed, and the next increase settles them first, so the line's rights are always the sum of its
    events (docs/domain.md reading R6).
    """

    __slots__ = ("company", "flows", "lots", "owed")

    def __init__(self, *, company: bool = False) -> None:
        self.company = company  # the company's own rights (notice (8), Art 276)
        self.lots: list[list] = []  # [acquired on, rights, origin]
        self.owed = 0
        self.flows = dict.fromkeys(FLOWS, 0)

    def apply(self, event: LineEvent) -> None:
        """Apply one event of this line, in (effective date, id) order."""
        if self.company:
            if event.event_type == CANCELLED:
                self._remove(event.cancelled_rights)
                self.flows["cancelled"] += event.cancelled_rights
            elif event.event_type == ACQUIRED_BY_COMPANY:
                self._add(-event.rights_delta, event.effective_date, opens_lot=True, origin="allotted")
            return
        delta = event.rights_delta
        if delta > 0:
            self._add(
                delta,
                event.effective_date,
                opens_lot=event.event_type in ACQUISITION_EVENT_TYPES,
                origin=LOT_ORIGIN_OF.get(event.event_type, "allotted"),
            )
        else:
            self._remove(-delta, event.lot)
        if event.event_type == ALLOTTED or (event.event_type == RESTRUCTURED and delta > 0):
            self.flows["allotted"] += delta
        elif event.event_type in OUTFLOW_EVENT_TYPES:
            self.flows[OUTFLOW_EVENT_TYPES[event.event_type]] -= delta

    def _add(self, rights: int, on: date, *, opens_lot: bool, origin: str) -> None:
        settled = min(self.owed, rights)
        self.owed -= settled
        rights -= settled
        if not rights:
            return
        if opens_lot or not self.lots:
            self.lots.append([on, rights, origin])
        else:
            self.lots[0][1] += rights

    def _remove(self, rights: int, lot: tuple[str, date] | None = None) -> None:
        if lot is not None:
            for each in self.lots:
                if (each[2], each[0]) == lot and each[1]:
                    taken = min(rights, each[1])
                    each[1] -= taken
                    rights -= taken
                    break
            self.lots = [each for each in self.lots if each[1]]
        while rights and self.lots:
            taken = min(rights, self.lots[0][1])
            self.lots[0][1] -= taken
            rights -= taken
            if self.lots[0][1] == 0:
                self.lots.pop(0)
        self.owed += rights

    @property
    def rights(self) -> int:
        return sum(lot[1] for lot in self.lots) - self.owed

    @property
    def acquired_on(self) -> date | None:
        """The register's acquisition date (Art 249 item 3): the earliest lot still held."""
        return self.lots[0][0] if self.lots and self.rights > 0 else None

    def held_lots(self) -> tuple[tuple[str, date, int], ...]:
        return tuple((origin, on, rights) for on, rights, origin in self.lots if rights > 0)


@dataclass(frozen=True)
class LineState:
    """A line's state from ``valid_from`` until the next state's date (None: still)."""

    valid_from: date
    valid_until: date | None
    rights: int
    acquired_on: date | None
    lots: tuple[tuple[str, date, int], ...]
    flows: dict[str, int]


def line_states(events: Iterable[LineEvent], *, company: bool = False) -> list[LineState]:
    """The states of one line: one per date on which its events change anything, in date order.

    ``events`` in (effective date, id) order. The state of a date is the line after every event
    effective on or before it.
    """
    line = RegisterLine(company=company)
    states: list[LineState] = []
    pending: date | None = None

    def close(on: date) -> None:
        states.append(
            LineState(
                valid_from=on,
                valid_until=None,
                rights=line.rights,
                acquired_on=line.acquired_on,
                lots=line.held_lots(),
                flows=dict(line.flows),
            )
        )

    for event in events:
        if pending is not None and event.effective_date != pending:
            close(pending)
        line.apply(event)
        pending = event.effective_date
    if pending is not None:
        close(pending)
    return [
        LineState(
            valid_from=s.valid_from,
            valid_until=states[i + 1].valid_from if i + 1 < len(states) else None,
            rights=s.rights,
            acquired_on=s.acquired_on,
            lots=s.lots,
            flows=s.flows,
        )
        for i, s in enumerate(states)
    ]
