"""The register's totals per date (docs/adr/0008-register-projection.md): how a change runs up into
the rows after it, and an event recorded late altering every later row of its series only."""

from datetime import date, timedelta

import pytest

from grants.models import LedgerEvent, RegisterSeriesTotals
from grants.selectors.register import RegisterScope, register_totals
from grants.services.ledger import ledger_record
from grants.services.register_totals import run_up
from tests.factories import make_holder, make_series

Type = LedgerEvent.Type
D1, D2, D3 = date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)


def test_a_change_is_added_to_its_row_and_every_later_one():
    rows = {D1: (5, 1), D2: (7, 1), D3: (4, 2)}
    assert run_up({D2: (1, 0)}, rows) == {D2: [8, 1], D3: [5, 2]}


def test_a_change_on_a_new_date_starts_from_the_row_before_it():
    rows = {D1: (5, 1), D3: (4, 2)}
    assert run_up({D2: (-2, 1)}, rows) == {D2: [3, 2], D3: [2, 3]}


def test_a_change_before_every_row_starts_from_nothing():
    assert run_up({D1: (3, 0)}, {D2: (7, 1)}) == {D1: [3, 0], D2: [10, 1]}


def test_changes_add_up_and_a_row_left_as_it_was_is_not_written():
    rows = {D1: (5, 1), D2: (7, 1), D3: (4, 2)}
    assert run_up({D1: (1, 0), D2: (-1, 0)}, rows) == {D1: [6, 1]}


def test_a_new_date_that_changes_nothing_still_gets_its_row():
    assert run_up({D2: (0, 0)}, {D1: (5, 1)}) == {D2: [5, 1]}


@pytest.mark.django_db
def test_an_event_recorded_late_alters_every_later_row_of_its_series_only(legal):
    late, other = make_series(actor=legal, number=1), make_series(actor=legal, number=2)
    person = make_holder(actor=legal, name="Aoki")
    for series in (late, other):
        for days, delta in ((0, 10), (30, -1), (60, -1), (90, -1)):
            ledger_record(
                event_type=Type.ALLOTTED if delta > 0 else Type.EXERCISED,
                effective_date=D1 + timedelta(days=days),
                actor=legal,
                series=series,
                holder=person,
                rights_delta=delta,
            )

    def rows(series):
        return list(
            RegisterSeriesTotals.objects.filter(series=series)
            .order_by("on")
            .values_list("on", "held_by_holders")
        )

    untouched = rows(other)
    ledger_record(
        event_type=Type.LAPSED,
        effective_date=D1 + timedelta(days=10),
        actor=legal,
        series=late,
        holder=person,
        rights_delta=-2,
    )
    assert [held for _on, held in rows(late)] == [10, 8, 7, 6, 5]
    assert rows(other) == untouched

    def held_on(days):
        scope = RegisterScope(as_of=D1 + timedelta(days=days))
        return {t.series.pk: t.held_by_holders for t in register_totals(scope)}

    assert held_on(-1) == {}
    assert held_on(9) == {late.pk: 10, other.pk: 10}
    assert held_on(10) == {late.pk: 8, other.pk: 10}
    assert held_on(95) == {late.pk: 5, other.pk: 7}
