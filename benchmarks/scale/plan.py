"""The plan of the scale world: who holds what and what becomes of it, as plain data (fixed seed).

The dates the rules give (the window after leaving office, the lapses) come from the domain, so
the rows written from the plan are dated as the services date them.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

SEED = 20261201
FIRST_YEAR, LAST_YEAR = 2016, 2025  # the years with series (PLANS)
END = date(2026, 9, 30)  # the history ends here; the splits follow, then the run's today
SPLIT_ON = date(2026, 10, 1)
COMPANIES_FROM = date(2007, 4, 1)  # the issuers are entered before the first holder takes office
EVENTS_PER_HOLDER = 20  # 1,000,000 ledger events at 50,000 holders, scaled with the holders
COMPANIES = 3
SHARES_PER_RIGHT = 100
# Each year, for directors and for executive officers, a stock-compensation plan (1 yen a share) and
# an ordinary one at the market price.
PLANS = (
    ("director", Decimal(1)),
    ("director", Decimal(1500)),
    ("executive_officer", Decimal(1)),
    ("executive_officer", Decimal(1500)),
)
TRANSFERS = 0.03  # the chance that half a lot is transferred, with the board's approval
PASSWORD = "bench-scale-2026"  # noqa: S105  (a throwaway database's benchmark users)


@dataclass
class Lot:
    series: int
    holder: int
    rights: int
    category: str
    exercises: list[tuple[date, date, int]] = field(default_factory=list)
    lapse: tuple[date, str, int] | None = None
    # a part passed on with the board's approval: (requested on, transferee, rights, the lot it makes)
    transfer: tuple[date, int, int, int] | None = None
    source: int | None = None  # for a lot made by a transfer: the lot it came from

    @property
    def left(self) -> int:
        passed = self.transfer[2] if self.transfer else 0
        spent = sum(r for _, _, r in self.exercises) + (self.lapse[2] if self.lapse else 0)
        return self.rights - passed - spent


def _lapse_day(t: SeriesTerms, left_on: date | None) -> tuple[date, str] | None:
    """When rights of this lot still held lapse, as `lapse_effective_date` dates it, if within the
    history: the window after leaving office (11)2 (the domain's, its last day moved past days off),
    or the day after leaving when that window holds no day of the exercise period (5), or the period."""
    window = _window(left_on) if left_on else None
    if left_on is not None and (window is None or window[1] < t.exercise_start or window[0] > t.exercise_end):
        day, reason = left_on + timedelta(days=1), "departure_window_ended"
    elif window is not None and window[1] < t.exercise_end:
        day, reason = window[1] + timedelta(days=1), "departure_window_ended"
    else:
        day, reason = t.exercise_end + timedelta(days=1), "exercise_period_ended"
    return (day, reason) if day <= END else None


@functools.cache
def _window(left_on: date) -> tuple[date, date] | None:
    from grants.domain.windows import departure_window

    return departure_window(left_on)  # the series' defaults: 10 days, the last day moved per Art 142


@dataclass
class Person:
    company: int
    title: str
    hired: date
    left_on: date | None
    end_reason: str
    moved_on: date | None


@dataclass
class SeriesTerms:
    company: int
    number: int
    category: str
    allotment_date: date
    exercise_start: date
    exercise_end: date
    price: Decimal
    pk: int = 0
    allotted: int = 0


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def series_terms(companies: int = COMPANIES) -> list[SeriesTerms]:
    out = []
    for company in range(companies):
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            allot = date(year, 7, 15)
            for k, (category, price) in enumerate(PLANS):
                out.append(
                    SeriesTerms(
                        company=company,
                        number=len(PLANS) * (year - FIRST_YEAR) + k + 1,
                        category=category,
                        allotment_date=allot,
                        exercise_start=allot + timedelta(days=365 * 2),
                        exercise_end=date(year + 8, 7, 14),
                        price=price,
                    )
                )
    return out


def plan(holders: int, terms: list[SeriesTerms], share: float) -> tuple[list[Person], list[Lot]]:
    """Who holds what and what becomes of it; ``share`` is the chance of an allotment in a series."""
    rng = random.Random(SEED)
    people: list[Person] = []
    lots: list[Lot] = []
    by_company: dict[int, list[int]] = {}
    for i, t in enumerate(terms):
        by_company.setdefault(t.company, []).append(i)
    companies = len(by_company)
    for h in range(holders):
        company = h % companies
        title = "director" if rng.random() < 0.3 else "executive_officer"
        hired = _day(rng, date(2008, 1, 1), date(2025, 6, 30))
        left_on = _day(rng, hired + timedelta(days=365), END) if rng.random() < 0.35 else None
        if left_on is not None and left_on > END:
            left_on = None
        moved_on = _day(rng, hired + timedelta(days=30), END) if rng.random() < 0.3 else None
        person = Person(
            company, title, hired, left_on, rng.choice(["resigned", "retired", "term_expired"]), moved_on
        )
        people.append(person)
        for i in by_company[company]:
            t = terms[i]
            if t.category != title or not (
                hired <= t.allotment_date and (left_on is None or t.allotment_date < left_on)
            ):
                continue
            if rng.random() >= share:
                continue
            lot = Lot(i, h, rng.randint(1, 20) * 10, title)
            lots.append(lot)
            lapse = _lapse_day(t, left_on)
            last_day = min(t.exercise_end, END, lapse[0] - timedelta(days=1) if lapse else END)
            latest = min(last_day, lapse[0] if lapse else END) - timedelta(days=30)
            earliest = t.allotment_date + timedelta(days=30)
            if h and earliest < latest and rng.random() < TRANSFERS:
                on = _day(rng, earliest, latest)
                to = rng.randrange(h)
                if people[to].hired < on:
                    lot.transfer = (on, to, lot.rights // 2, len(lots))
                    passed = Lot(i, to, lot.rights // 2, title, source=len(lots) - 1)
                    if lapse:
                        passed.lapse = (lapse[0], lapse[1], passed.rights)
                    lots.append(passed)
            base = lot.rights - (lot.transfer[2] if lot.transfer else 0)
            if t.exercise_start <= last_day - timedelta(days=12) and rng.random() < 0.55:
                requested = _day(rng, t.exercise_start, last_day - timedelta(days=12))
                rights = base if rng.random() < 0.6 else base // 2
                lot.exercises.append((requested, requested + timedelta(days=rng.randint(2, 10)), rights))
                rest_from = requested + timedelta(days=12)
                if lot.left and rest_from <= last_day - timedelta(days=12) and rng.random() < 0.4:
                    again = _day(rng, rest_from, last_day - timedelta(days=12))
                    lot.exercises.append((again, again + timedelta(days=rng.randint(2, 10)), lot.left))
            if lot.left and lapse:
                lot.lapse = (lapse[0], lapse[1], lot.left)
    return people, lots


def ledger_events_planned(lots: list[Lot]) -> int:
    """allotted (not for a lot made by a transfer), 2 per exercise, lapsed, and 4 per transfer
    (requested, approved, registered out and in)."""
    return sum(
        (lot.source is None) + 2 * len(lot.exercises) + bool(lot.lapse) + 4 * bool(lot.transfer)
        for lot in lots
    )


def plan_for(holders: int, terms: list[SeriesTerms], events: int) -> tuple[list[Person], list[Lot]]:
    """The plan whose ledger events come closest to ``events`` (the chance of an allotment tuned)."""
    people, lots = plan(holders, terms, 1.0)
    full = ledger_events_planned(lots)
    if full > events:
        people, lots = plan(holders, terms, events / full)
    return people, lots
