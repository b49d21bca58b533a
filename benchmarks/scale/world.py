"""The world: companies and series through the services, then holders and their history in bulk.

Fixed seed, so one size always gives the same world. Each holder takes office at one of the
companies, moves house now and then, is allotted rights in each yearly series while in office,
exercises some of them in the exercise period, and may leave; rights not exercised lapse when the
window after leaving (11)2 or the exercise period (5) ends. The history is planned first (plain
tuples), then written in date order, so ids follow the recording time as they do in production.
The last step, a share split per company, goes through the services, on the rows written.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import connection, transaction

from .rows import Table, captured_events, set_recorded_at
from .transfers import transfer_approved, transfer_registered, transfer_requested

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


def _lapse_day(t: SeriesTerms, window_end: date | None) -> tuple[date, str] | None:
    """When rights of this lot that are still held lapse: the window after leaving office (11)2
    or the exercise period (5), whichever ends first, if it ends within the history."""
    if window_end is not None and window_end < t.exercise_end and window_end < END:
        return window_end + timedelta(days=1), "departure_window_ended"
    if t.exercise_end < END:
        return t.exercise_end + timedelta(days=1), "exercise_period_ended"
    return None


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
            window_end = left_on + timedelta(days=10) if left_on else None
            last_day = min(d for d in (t.exercise_end, window_end, END) if d is not None)
            lapse = _lapse_day(t, window_end)
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


def users() -> tuple[User, User]:
    """A legal staff member (records) and a board secretary (decides: four eyes)."""
    from grants.roles import BOARD_SECRETARY, LEGAL_STAFF, ensure_roles

    ensure_roles()
    legal, _ = User.objects.get_or_create(username="bench_legal", defaults={"first_name": "Bench"})
    legal.set_password(PASSWORD)
    legal.save()
    legal.groups.add(Group.objects.get(name=LEGAL_STAFF))
    secretary, _ = User.objects.get_or_create(username="bench_secretary")
    secretary.set_password(PASSWORD)
    secretary.save()
    secretary.groups.add(Group.objects.get(name=BOARD_SECRETARY))
    return legal, secretary


def build(holders: int, *, companies: int = COMPANIES, log=print) -> dict[str, float | int]:
    """Write the world of ``holders`` holders into the (migrated, empty) database; timings and counts."""
    started = time.perf_counter()
    legal, secretary = users()
    terms = series_terms(companies)
    people, lots = plan_for(holders, terms, EVENTS_PER_HOLDER * holders)
    log(f"  planned {len(people):,} holders, {len(lots):,} lots in {time.perf_counter() - started:.1f} s")
    counts = _write_history(people, lots, terms, companies, legal, secretary, log=log)
    with transaction.atomic():
        _splits(counts.pop("companies"), legal, secretary)  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"seconds": time.perf_counter() - started, **counts}


def _series_through_services(
    t: SeriesTerms, company, holders: int, legal: User, secretary: User, flush
) -> None:
    """A series as the forms make it: created by legal staff, resolved by the board secretary."""
    from grants.services import series_create, series_resolve

    series = series_create(
        company=company,
        number=t.number,
        name=f"{t.allotment_date.year} {t.category.replace('_', ' ')} plan at {t.price} yen",
        max_rights=200 * holders,
        shares_per_right=SHARES_PER_RIGHT,
        exercise_price_per_share_yen=t.price,
        exercise_period_start=t.exercise_start,
        exercise_period_end=t.exercise_end,
        allotment_date=t.allotment_date,
        payment_date=t.allotment_date,
        actor=legal,
    )
    flush()  # the resolution reads who recorded the series (four eyes)
    series_resolve(
        series=series,
        resolution_date=t.allotment_date - timedelta(days=20),
        resolution_reference=f"Board {t.allotment_date.year}-{t.number}",
        actor=secretary,
    )
    t.pk = series.pk


def _splits(companies, legal: User, secretary: User) -> None:
    """A 2-for-1 split per company, through the services (one adjusted event per series with rights)."""
    from grants.models import CorporateAction
    from grants.services import corporate_action_approve, corporate_action_record

    for company in companies:
        action = corporate_action_record(
            company=company,
            kind=CorporateAction.Kind.SPLIT,
            ratio_numerator=2,
            ratio_denominator=1,
            record_date=SPLIT_ON - timedelta(days=1),
            effective_date=SPLIT_ON,
            actor=legal,
        )
        corporate_action_approve(
            action=action,
            resolution_date=SPLIT_ON - timedelta(days=20),
            resolution_reference="Split",
            actor=secretary,
        )


def _write_history(people, lots, terms, n_companies: int, actor: User, secretary: User, *, log) -> dict:
    """Everything in date order: the actions are sorted, then each writes its rows and events (the
    companies and series through their services, their events captured into the same chain)."""
    from grants.domain.exercise import ExerciseFigures
    from grants.events import event_allotted, event_exercise_requested, event_exercised, event_lapsed
    from grants.models import Allotment, ExerciseRequest, Holding, LedgerEvent, Series, TransferRequest
    from grants.models import Lot as LotRow
    from grants.services import company_create
    from holders import events as hev
    from holders.models import Holder, HolderAddress, HolderEvent, Position

    actions: list[tuple[date, int, int, int]] = [(COMPANIES_FROM, 0, -1, c) for c in range(n_companies)]
    actions += [(t.allotment_date - timedelta(days=20), 0, -2, i) for i, t in enumerate(terms)]
    for h, p in enumerate(people):
        actions.append((p.hired, 0, 0, h))
        if p.moved_on:
            actions.append((p.moved_on, 1, 1, h))
        if p.left_on:
            actions.append((p.left_on, 5, 2, h))
    for i, lot in enumerate(lots):
        if lot.source is None:
            actions.append((terms[lot.series].allotment_date, 2, 3, i))
        if lot.transfer:  # requested, approved a week later, registered three days after
            for step, days in ((10, 0), (11, 7), (12, 10)):
                actions.append((lot.transfer[0] + timedelta(days=days), 3, step, i))
        for k, (requested, exercised, _) in enumerate(lot.exercises):
            actions.append((requested, 3, 4 + k, i))
            actions.append((exercised, 4, 20 + k, i))
        if lot.lapse:
            actions.append((lot.lapse[0], 6, 9, i))
    actions.sort()
    tables = {
        m: Table(m)
        for m in (
            Holder,
            HolderAddress,
            Position,
            Allotment,
            Holding,
            LotRow,
            ExerciseRequest,
            TransferRequest,
        )
    }
    ledger, trail = Table(LedgerEvent), Table(HolderEvent)
    companies: list = []
    series: dict[int, Series] = {}
    holder_rows: dict[int, Holder] = {}
    positions: dict[int, Position] = {}
    addresses: dict[int, str] = {}
    lot_rows: dict[int, tuple[Holding, LotRow]] = {}  # while actions on the lot remain
    remaining = [2 * len(lot.exercises) + bool(lot.lapse) + 3 * bool(lot.transfer) for lot in lots]
    # one holding per series and holder, with the rights its lots are left with
    final: dict[tuple[int, int], int] = {}
    for lot in lots:
        final[(lot.series, lot.holder)] = final.get((lot.series, lot.holder), 0) + lot.left
    receiving = {(lot.series, lot.holder) for lot in lots if lot.source is not None}
    holdings: dict[tuple[int, int], Holding] = {}  # only those a transfer will add to
    transfers: dict[int, TransferRequest] = {}  # between request and registration
    requests: dict[tuple[int, int], tuple] = {}  # exercises requested, not yet paid
    written = {"ledger_events": 0, "holder_events": 0}

    def flush() -> None:
        for table in tables.values():
            table.flush()
        written["ledger_events"] += ledger.flush()
        written["holder_events"] += trail.flush()

    with transaction.atomic(), captured_events(ledger, trail):
        for n, (day, _, kind, i) in enumerate(actions):
            set_recorded_at(
                datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC) + timedelta(microseconds=n)
            )
            if kind == -1:
                companies.append(
                    company_create(name=f"Scale Holdings {i + 1}", effective_date=day, actor=actor)
                )
            elif kind == -2:
                t = terms[i]
                flush()
                _series_through_services(t, companies[t.company], len(people), actor, secretary, flush)
                series[t.pk] = Series(pk=t.pk, company_id=companies[t.company].pk, max_rights=200 * len(people),
                                      resolution_date=t.allotment_date - timedelta(days=20),
                                      resolution_reference=f"Board {t.allotment_date.year}-{t.number}")  # fmt: skip
            elif kind == 0:
                p = people[i]
                holder = tables[Holder].add(Holder(name=f"Holder {i + 1:06d}", name_kana=f"ホルダー {i + 1}",
                                                   email=f"holder{i + 1}@example.jp", language="ja",
                                                   created_at=datetime(day.year, day.month, day.day, tzinfo=UTC)))  # fmt: skip
                holder_rows[i] = holder
                addresses[i] = f"{i % 47 + 1}-{i % 9 + 1} Chiyoda, Tokyo"
                address = tables[HolderAddress].add(
                    HolderAddress(holder=holder, address=addresses[i], valid_from=day)
                )
                hev.event_holder_created(holder=holder, address=address, actor=actor)
                position = tables[Position].add(Position(holder=holder, company=companies[p.company], title=p.title,
                                                         started_on=day, ended_on=p.left_on,
                                                         end_reason=p.end_reason if p.left_on else ""))  # fmt: skip
                positions[i] = position
                hev.event_position_started(position=position, actor=actor)
            elif kind == 1:
                moved = tables[HolderAddress].add(HolderAddress(holder=holder_rows[i], address=f"{i % 23 + 1} Umeda, Osaka", valid_from=day))  # fmt: skip
                hev.event_address_changed(address=moved, address_before=addresses[i], actor=actor)
            elif kind == 2:
                hev.event_position_ended(position=positions[i], actor=actor)
            elif kind == 3:
                lot, t = lots[i], terms[lots[i].series]
                t.allotted += lot.rights
                s, holder = series[t.pk], holder_rows[lot.holder]
                allotment = tables[Allotment].add(Allotment(series=s, holder=holder, rights=lot.rights, category=lot.category,
                                                            allotted_on=day, recorded_by=actor,
                                                            created_at=datetime(day.year, day.month, day.day, tzinfo=UTC)))  # fmt: skip
                key = (lot.series, lot.holder)
                holding = tables[Holding].add(
                    Holding(series=s, holder=holder, rights=final[key], acquired_on=day)
                )
                if key in receiving:
                    holdings[key] = holding
                row = tables[LotRow].add(LotRow(holding=holding, rights=lot.left, origin="allotted", allottee=holder,
                                                acquired_on=day, allotment=allotment))  # fmt: skip
                if remaining[i]:
                    lot_rows[i] = (holding, row)
                event_allotted(
                    allotment=allotment,
                    shares_per_right=SHARES_PER_RIGHT,
                    allotted_rights_after=t.allotted,
                    actor=actor,
                )
            elif 10 <= kind <= 12:
                lot, t = lots[i], terms[lots[i].series]
                on, to, rights, j = lot.transfer  # type: ignore[misc]
                holding, row = lot_rows[i]
                if kind == 10:
                    transfers[i] = transfer_requested(
                        tables[TransferRequest], holding, holder_rows[to], rights, on, actor, secretary
                    )
                elif kind == 11:
                    transfer_approved(transfers[i], secretary)
                else:
                    key = (lot.series, to)
                    if key not in holdings:
                        holdings[key] = tables[Holding].add(
                            Holding(
                                series=series[t.pk],
                                holder=holder_rows[to],
                                rights=final[key],
                                acquired_on=day,
                            )
                        )
                    passed = transfer_registered(
                        transfers.pop(i),
                        tables[TransferRequest],
                        tables[LotRow],
                        holdings[key],
                        row,
                        lots[j].left,
                        actor,
                    )
                    if remaining[j]:
                        lot_rows[j] = (holdings[key], passed)
            elif kind >= 20:
                request, figures = requests.pop((i, kind - 20))
                event_exercised(request=request, figures=figures, actor=actor)
            elif kind < 9:
                lot, t = lots[i], terms[lots[i].series]
                requested, exercised, rights = lot.exercises[kind - 4]
                holding, row = lot_rows[i]
                shares = rights * SHARES_PER_RIGHT
                payment = int(shares * t.price)
                capital = (payment + 1) // 2
                figures = ExerciseFigures(rights=rights, shares_per_right=SHARES_PER_RIGHT, shares=shares,
                                          exercise_price_per_share_yen=t.price, payment_yen=payment, book_value_yen=0,
                                          upper_limit_yen=payment, new_shares=shares, treasury_shares=0,
                                          new_shares_upper_limit_yen=payment, capital_yen=capital,
                                          reserve_yen=payment - capital)  # fmt: skip
                request = tables[ExerciseRequest].add(ExerciseRequest(
                    holding=holding, lot=row, series=holding.series, holder=holding.holder, rights=rights,
                    status="exercised", requested_on=requested, requested_by=actor, exercised_on=exercised,
                    confirmed_by=actor, confirmed_at=datetime(exercised.year, exercised.month, exercised.day, 10, tzinfo=UTC),
                    requested_at=datetime(requested.year, requested.month, requested.day, 9, tzinfo=UTC),
                    shares_per_right=SHARES_PER_RIGHT, shares=shares, payment_yen=payment, book_value_yen=0,
                    upper_limit_yen=payment, capital_yen=capital, reserve_yen=payment - capital))  # fmt: skip
                event_exercise_requested(request=request, figures=figures, actor=actor)
                requests[(i, kind - 4)] = (request, figures)
            else:
                lot = lots[i]
                holding, row = lot_rows[i]
                lapsed_on, reason, rights = lot.lapse  # type: ignore[misc]
                event_lapsed(holding=holding, lot=row, rights=rights, reason=reason, effective_date=lapsed_on,
                             as_of=lapsed_on, actor=actor)  # fmt: skip
            if kind >= 4:
                remaining[i] -= 1
                if not remaining[i]:
                    del lot_rows[i]
            if len(ledger.rows) >= 20_000:
                flush()
                if written["ledger_events"] % 200_000 < 20_000:
                    log(f"  {written['ledger_events']:,} ledger events written")
        flush()
        with connection.cursor() as cursor:
            for t in terms:
                cursor.execute(
                    "UPDATE grants_series SET allotted_rights = %s WHERE id = %s", [t.allotted, t.pk]
                )
    return {
        "holders": len(people),
        "lots": len(lots),
        "transfers": sum(1 for lot in lots if lot.source is not None),
        "series": len(terms),
        "companies": companies,
        **written,
    }
