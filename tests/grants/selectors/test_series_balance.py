"""The series balance's check that the ledger matches the holdings, per holder, made in the database."""

from datetime import date

import pytest

from grants.models import Holding
from grants.selectors import series_rights_balance
from tests.factories import make_holder
from tests.factories.lifecycle import allotted_scenario

pytestmark = pytest.mark.django_db


def test_a_holding_off_the_ledger_by_one_right_is_found(legal):
    scenario = allotted_scenario(legal=legal)
    assert series_rights_balance(series=scenario.series)["ledger_matches_holdings"]
    Holding.objects.filter(series=scenario.series, holder=scenario.officer).update(rights=6)
    balance = series_rights_balance(series=scenario.series)
    assert not balance["ledger_matches_holdings"] and not balance["balanced"]


def test_a_holding_emptied_behind_the_ledger_is_found(legal):
    scenario = allotted_scenario(legal=legal)
    Holding.objects.filter(series=scenario.series, holder=scenario.director).update(rights=0)
    assert not series_rights_balance(series=scenario.series)["ledger_matches_holdings"]


def test_a_holding_with_no_ledger_event_is_found_and_an_empty_one_is_not(legal):
    scenario = allotted_scenario(legal=legal)
    stranger = make_holder(actor=legal, name="Stranger (fictional)")
    line = Holding.objects.create(
        series=scenario.series, holder=stranger, rights=0, acquired_on=date(2013, 7, 12)
    )
    assert series_rights_balance(series=scenario.series)["ledger_matches_holdings"]
    Holding.objects.filter(pk=line.pk).update(rights=3)
    assert not series_rights_balance(series=scenario.series)["ledger_matches_holdings"]
