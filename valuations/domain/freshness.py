"""Market data older than the series' rules allow for a valuation date: docs/domain.md reading R25.

Pure: no Django. A valuation's stored sources say which day each input was read from; this module
says when that day is earlier than the rule allows, so the page and the amount notice can say so.

* S, notice (12)2: the close on the valuation date, the base price for the next trading day, or
  (per series) the previous trading day's close or base price. Anything earlier is stale: only a
  provisional valuation falls back to the latest close before the date.
* r, notice (12)6: the yields of the valuation date or of the last day published before it, at
  most :data:`YIELDS_IN_TIME_DAYS` days before it. The ministry publishes every business day, so
  seven days cover a weekend and the longest runs of holidays but one (Golden Week 2019 left ten).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["YIELDS_IN_TIME_DAYS", "StaleInput", "stale_inputs", "stale_mark", "yields_due_from"]

YIELDS_IN_TIME_DAYS = 7


@dataclass(frozen=True)
class StaleInput:
    """An input read from ``taken_from``, earlier than ``due_from``, the first day the rule accepts."""

    name: str
    taken_from: date
    due_from: date

    @property
    def days_before_due(self) -> int:
        return (self.due_from - self.taken_from).days


def yields_due_from(valuation_date: date) -> date:
    """The first publication day whose yields are in time for ``valuation_date`` (reading R25)."""
    return valuation_date - timedelta(days=YIELDS_IN_TIME_DAYS)


def stale_mark(*, taken_from: date, due_from: date) -> dict[str, str] | None:
    """What a source stores when its data is older than the rule allows; None when it is in time."""
    if taken_from >= due_from:
        return None
    return {"taken_from": taken_from.isoformat(), "due_from": due_from.isoformat()}


def _mark(source: object) -> tuple[date, date] | None:
    if not isinstance(source, Mapping):
        return None
    mark = source.get("stale")
    if isinstance(mark, Mapping):
        return date.fromisoformat(str(mark["taken_from"])), date.fromisoformat(str(mark["due_from"]))
    return None


def stale_inputs(sources: Mapping[str, object], valuation_date: date) -> list[StaleInput]:
    """The inputs of a valuation whose data is older than the rules allow, S first, then r.

    Reads the mark each source stored when it was derived; sources stored before the mark was kept
    are judged from what they did store: an S that fell back to the latest close, a rate whose
    yields' date is more than :data:`YIELDS_IN_TIME_DAYS` days before the valuation date.
    """
    found = []
    spot = sources.get("spot_yen")
    marked = _mark(spot)
    if marked is None and isinstance(spot, Mapping) and spot.get("provisional_fallback"):
        rows = spot.get("rows") or []
        if rows and isinstance(rows[0], Mapping) and rows[0].get("date"):
            marked = (date.fromisoformat(str(rows[0]["date"])), valuation_date)
    if marked is not None and not (isinstance(spot, Mapping) and spot.get("entered_by_hand")):
        found.append(StaleInput("spot_yen", *marked))
    rate = sources.get("rate")
    marked = _mark(rate)
    if marked is None and isinstance(rate, Mapping) and rate.get("date"):
        taken_from, due_from = date.fromisoformat(str(rate["date"])), yields_due_from(valuation_date)
        if taken_from < due_from:
            marked = (taken_from, due_from)
    if marked is not None and not (isinstance(rate, Mapping) and rate.get("entered_by_hand")):
        found.append(StaleInput("rate", *marked))
    return found
