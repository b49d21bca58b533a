from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants.models import Allotment, Holding, LedgerEvent, Series
from grants.services import allotment_create, series_close_allotment
from tests.factories import allot, make_holder, make_series

pytestmark = pytest.mark.django_db


def test_allotment_writes_allotment_holding_and_one_ledger_event(legal):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    before = LedgerEvent.objects.count()

    allotment = allotment_create(series=series, holder=holder, rights=25, category="director", actor=legal)

    series.refresh_from_db()
    assert allotment.rights == 25 and allotment.allotted_on == date(2013, 7, 11)
    assert series.allotted_rights == 25
    assert Holding.objects.get(series=series, holder=holder).rights == 25
    events = list(LedgerEvent.objects.order_by("pk")[before:])
    assert len(events) == 1
    event = events[0]
    assert event.event_type == LedgerEvent.Type.ALLOTTED
    assert (event.series, event.holder, event.rights_delta) == (series, holder, 25)
    assert event.effective_date == date(2013, 7, 11)
    assert event.recorded_by == legal
    assert event.resolution_reference == "Board 2013-06-26"
    assert event.payload["shares_per_right"] == 200
    assert event.payload["allotted_rights_after"] == 25
    assert event.payload["max_rights"] == 135


def test_second_allotment_to_same_holder_adds_to_the_holding(legal):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    allot(series=series, holder=holder, rights=10, actor=legal)
    allot(series=series, holder=holder, rights=5, actor=legal)
    assert Holding.objects.get(series=series, holder=holder).rights == 15
    assert Allotment.objects.filter(series=series).count() == 2


@pytest.mark.parametrize("rights", [0, -1])
def test_rights_below_one_are_refused_and_nothing_is_written(legal, rights):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    events = LedgerEvent.objects.count()
    with pytest.raises(ValidationError, match="At least one right"):
        allotment_create(series=series, holder=holder, rights=rights, category="director", actor=legal)
    assert LedgerEvent.objects.count() == events
    assert not Allotment.objects.exists()


@pytest.mark.parametrize("rights", [1.5, "3", True])
def test_non_integer_rights_are_refused(legal, rights):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    with pytest.raises(ValidationError, match="whole number"):
        allotment_create(series=series, holder=holder, rights=rights, category="director", actor=legal)


def test_maximum_is_enforced_with_a_clear_message(legal):
    series = make_series(actor=legal, max_rights=30)
    a, b = make_holder(actor=legal), make_holder(actor=legal)
    allot(series=series, holder=a, rights=25, actor=legal)
    with pytest.raises(ValidationError) as exc:
        allotment_create(series=series, holder=b, rights=6, category="director", actor=legal)
    assert "Only 5 of the maximum 30 rights are left" in exc.value.messages[0]
    allotment_create(series=series, holder=b, rights=5, category="director", actor=legal)
    series.refresh_from_db()
    assert series.allotted_rights == series.max_rights == 30


def test_draft_series_cannot_be_allotted(legal):
    series = make_series(actor=legal, resolve=False)
    holder = make_holder(actor=legal)
    with pytest.raises(ValidationError, match="resolved by the board"):
        allotment_create(series=series, holder=holder, rights=1, category="director", actor=legal)


def test_closed_allotment_refuses_more(legal):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    allot(series=series, holder=holder, rights=1, actor=legal)
    series = series_close_allotment(series=series, actor=legal)
    assert series.status == Series.Status.ALLOTTED
    assert LedgerEvent.objects.filter(series=series, event_type="series_allotment_closed").count() == 1
    with pytest.raises(ValidationError, match="resolved by the board"):
        allotment_create(series=series, holder=holder, rights=1, category="director", actor=legal)


def test_unknown_category_is_refused(legal):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    with pytest.raises(ValidationError, match="director or executive officer"):
        allotment_create(series=series, holder=holder, rights=1, category="auditor", actor=legal)


def test_database_refuses_allotted_above_maximum_even_without_the_service(legal):
    series = make_series(actor=legal, max_rights=10)
    series.allotted_rights = 11
    with pytest.raises(IntegrityError), transaction.atomic():
        series.save(update_fields=["allotted_rights"])


def test_database_refuses_a_negative_holding(legal):
    series = make_series(actor=legal)
    holder = make_holder(actor=legal)
    allot(series=series, holder=holder, rights=3, actor=legal)
    holding = Holding.objects.get(series=series, holder=holder)
    holding.rights = -1
    with pytest.raises(IntegrityError), transaction.atomic():
        holding.save(update_fields=["rights"])
