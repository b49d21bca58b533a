"""Property: the register's projection equals the replay of the ledger, whatever events arrive in
whatever order, including those recorded late (an effective date before events already there),
exits before the rights that pay for them (owed rights), exits that name a lot, the company's
acquisitions and cancellations (docs/adr/0008-register-projection.md)."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.models import LedgerEvent, RegisterLineState
from grants.services.ledger import ledger_record
from grants.services.register_lines import register_rebuild
from tests.factories import make_holder, make_series
from tests.grants.register_compare import assert_projection_equals_replay, states

pytestmark = pytest.mark.django_db
Type = LedgerEvent.Type
START = date(2024, 1, 31)  # a month end

EVENTS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                Type.ALLOTTED,
                Type.SUCCESSION,
                Type.TRANSFER_REGISTERED,
                Type.EXERCISED,
                Type.LAPSED,
                Type.RESTRUCTURED,
                Type.ACQUIRED_BY_COMPANY,
                Type.CANCELLED,
                Type.REVERSAL,
            ]
        ),
        st.integers(0, 1),  # which series
        st.integers(0, 2),  # which holder
        st.integers(-20, 20),  # rights delta (the sign is fixed by the type where it has one)
        st.integers(0, 60),  # days after START: any order, so many are recorded late
        st.booleans(),  # an exit names the first lot
    ),
    min_size=1,
    max_size=14,
)
SIGN = {
    Type.ALLOTTED: 1,
    Type.SUCCESSION: 1,
    Type.TRANSFER_REGISTERED: 1,
    Type.EXERCISED: -1,
    Type.LAPSED: -1,
    Type.ACQUIRED_BY_COMPANY: -1,
}


class Rollback(Exception):
    pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=EVENTS)
def test_projection_equals_replay_for_any_events(legal, events):
    try:
        with transaction.atomic():
            series = [make_series(number=n + 1, actor=legal) for n in range(2)]
            holders = [make_holder(actor=legal, name=name) for name in ("Aoki", "Baba", "Chiba")]
            for event_type, which, who, delta, offset, names_lot in events:
                on = START + timedelta(days=offset)
                payload: dict = {}
                if event_type == Type.CANCELLED:
                    payload = {"rights": abs(delta) or 1}
                    delta = 0
                elif event_type in SIGN:
                    delta = SIGN[event_type] * (abs(delta) or 1)
                if names_lot and delta < 0:
                    payload |= {"lot_origin": "allotted", "lot_acquired_on": START.isoformat()}
                ledger_record(
                    event_type=event_type,
                    effective_date=on,
                    actor=legal,
                    series=series[which],
                    holder=None if event_type == Type.CANCELLED else holders[who],
                    rights_delta=delta,
                    payload=payload,
                )
            assert_projection_equals_replay()
            raise Rollback
    except Rollback:
        pass


def test_a_late_event_rewrites_the_states_after_its_date(legal):
    """An exercise recorded after a later allotment: the states from its date on change, the
    acquisition date follows the earliest lot still held."""
    series, holder = make_series(actor=legal), make_holder(actor=legal, name="Late")
    for on, delta, kind in [
        (date(2024, 1, 31), 10, Type.ALLOTTED),
        (date(2024, 3, 31), 5, Type.ALLOTTED),
        (date(2024, 2, 29), -10, Type.EXERCISED),  # recorded last, effective between the two
    ]:
        ledger_record(
            event_type=kind, effective_date=on, actor=legal, series=series, holder=holder, rights_delta=delta
        )
    got = list(
        RegisterLineState.objects.filter(series=series, holder=holder)
        .order_by("valid_from")
        .values_list("valid_from", "valid_until", "rights", "acquired_on")
    )
    assert got == [
        (date(2024, 1, 31), date(2024, 2, 29), 10, date(2024, 1, 31)),
        (date(2024, 2, 29), date(2024, 3, 31), 0, None),
        (date(2024, 3, 31), None, 5, date(2024, 3, 31)),
    ]
    kept = states()
    register_rebuild()
    assert states() == kept


def test_an_event_rewrites_its_own_line_only(legal, django_assert_max_num_queries):
    """The cost of keeping the projection is one line's events, whatever else the ledger holds."""
    series = make_series(actor=legal)
    people = [make_holder(actor=legal, name=f"H{n}") for n in range(30)]
    for person in people:
        ledger_record(
            event_type=Type.ALLOTTED,
            effective_date=START,
            actor=legal,
            series=series,
            holder=person,
            rights_delta=3,
        )
    before = {k: v for k, v in ((s[1], s) for s in states()) if k != people[0].pk}
    with django_assert_max_num_queries(16):  # 12, and 4 to keep the totals (docs/adr/0008)
        ledger_record(
            event_type=Type.LAPSED,
            effective_date=START,
            actor=legal,
            series=series,
            holder=people[0],
            rights_delta=-1,
        )
    after = {k: v for k, v in ((s[1], s) for s in states()) if k != people[0].pk}
    assert after == before


def test_the_command_rebuilds_the_states_and_the_totals_the_ledger_kept(legal):
    from io import StringIO

    from django.core.management import call_command

    from grants.models import RegisterHolderCount, RegisterSeriesTotals
    from tests.grants.register_compare import totals_rows

    series = make_series(actor=legal)
    people = [make_holder(actor=legal, name=name) for name in ("Aoki", "Baba")]
    for n, person in enumerate(people):
        for kind, days, delta in [(Type.ALLOTTED, 0, 5 + n), (Type.EXERCISED, 30, -2), (Type.LAPSED, 10, -1)]:
            ledger_record(
                event_type=kind,
                effective_date=START + timedelta(days=days),
                actor=legal,
                series=series,
                holder=person,
                rights_delta=delta,
            )
    kept, kept_totals = states(), totals_rows()
    RegisterLineState.objects.all().delete()
    RegisterSeriesTotals.objects.all().delete()
    RegisterHolderCount.objects.all().delete()
    out = StringIO()
    call_command("register_rebuild", stdout=out)
    assert states() == kept and totals_rows() == kept_totals
    assert "register line states written: 6, totals rows: " in out.getvalue()


def test_a_holder_at_two_issuers_counts_once_at_each_and_once_per_issuer(legal):
    """R69: two series of issuer A and one of issuer B; the holder's rights leave A's series one by
    one, recorded late, and the count follows each issuer's register on every date."""
    from grants.selectors.register import RegisterScope
    from grants.selectors.register_paged import register_holder_count
    from tests.factories import CompanyFactory
    from tests.grants.register_compare import holders_by_issuer

    a, b = CompanyFactory(), CompanyFactory()
    a3, a5 = make_series(actor=legal, company=a, number=3), make_series(actor=legal, company=a, number=5)
    b1 = make_series(actor=legal, company=b, number=1)
    both, only_a = make_holder(actor=legal, name="Aoki"), make_holder(actor=legal, name="Baba")
    for series, holder, days, delta, kind in [
        (a3, both, 0, 4, Type.ALLOTTED),
        (a5, both, 0, 2, Type.ALLOTTED),
        (b1, both, 0, 1, Type.ALLOTTED),
        (a5, only_a, 0, 3, Type.ALLOTTED),
        (a5, both, 40, -2, Type.EXERCISED),  # recorded before the earlier exit below
        (a3, both, 20, -4, Type.LAPSED),
    ]:
        ledger_record(
            event_type=kind,
            effective_date=START + timedelta(days=days),
            actor=legal,
            series=series,
            holder=holder,
            rights_delta=delta,
        )
    from grants.selectors.register_replay import register_replayed

    for days, whole, at_a, at_b in [(-1, 0, 0, 0), (0, 3, 2, 1), (20, 3, 2, 1), (40, 2, 1, 1)]:
        on = START + timedelta(days=days)
        assert (
            register_holder_count(RegisterScope(as_of=on))
            == whole
            == holders_by_issuer(register_replayed(as_of=on))
        )
        assert register_holder_count(RegisterScope(as_of=on, companies=[a.pk])) == at_a, on
        assert register_holder_count(RegisterScope(as_of=on, companies=[b.pk])) == at_b, on
    assert_projection_equals_replay()
