"""The world: companies and series through the services, then holders and their history in bulk.

Fixed seed, so one size always gives the same world. Each holder takes office at one of the
companies, moves house now and then, is allotted rights in each yearly series while in office,
exercises some of them in the exercise period, and may leave; rights not exercised lapse when the
window after leaving (11)2 or the exercise period (5) ends. The history is planned first (plain
tuples), then written in date order, so ids follow the recording time as they do in production.
The last step, a share split per company, goes through the services, on the rows written.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import Group, User
from django.db import connection, transaction

from .plan import (
    COMPANIES,
    COMPANIES_FROM,
    END,
    EVENTS_PER_HOLDER,
    PASSWORD,
    SHARES_PER_RIGHT,
    SPLIT_ON,
    SeriesTerms,
    ledger_events_planned,
    plan_for,
    series_terms,
)
from .rows import Table, captured_events, set_recorded_at
from .transfers import transfer_approved, transfer_registered, transfer_requested

__all__ = [
    "END",
    "EVENTS_PER_HOLDER",
    "PASSWORD",
    "build",
    "ledger_events_planned",
    "plan_for",
    "series_terms",
]


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
    from holders import tally as holder_tally

    started = time.perf_counter()
    legal, secretary = users()
    terms = series_terms(companies)
    people, lots = plan_for(holders, terms, EVENTS_PER_HOLDER * holders)
    log(f"  planned {len(people):,} holders, {len(lots):,} lots in {time.perf_counter() - started:.1f} s")
    counts = _write_history(people, lots, terms, companies, legal, secretary, log=log)
    with transaction.atomic():
        _splits(counts.pop("companies"), legal, secretary)  # type: ignore[arg-type]
    # The holders went in around their services: the list's tally is counted once at the end.
    holder_tally.recount()
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
