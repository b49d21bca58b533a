from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.models import LedgerEvent, Series
from grants.services import series_resolve
from tests.factories import make_series

pytestmark = pytest.mark.django_db


def test_series_create_starts_the_share_history_and_records_an_event(legal):
    series = make_series(actor=legal, resolve=False)
    assert series.status == Series.Status.DRAFT
    assert series.shares_per_right_on(date(2013, 7, 11)) == 200
    assert series.shares_per_right_on(date(2043, 7, 11)) == 200
    event = LedgerEvent.objects.get(series=series)
    assert event.event_type == LedgerEvent.Type.SERIES_CREATED
    assert event.recorded_by == legal
    assert event.payload["max_rights"] == 135
    assert event.payload["exercise_price_per_share_yen"] == "1"


def test_shares_per_right_before_the_allotment_date_is_an_error(legal):
    series = make_series(actor=legal, resolve=False)
    with pytest.raises(ValueError):
        series.shares_per_right_on(date(2013, 7, 10))


def test_notice_deadlines_follow_articles_240_and_243(legal):
    series = make_series(actor=legal, resolve=False)
    assert series.shareholders_notice_due == date(2013, 6, 27)
    assert series.allottee_notice_due == date(2013, 7, 10)


def test_resolve_records_the_board_resolution_and_approver(legal, secretary):
    series = make_series(actor=legal, resolve=False)
    series = series_resolve(
        series=series,
        resolution_date=date(2013, 6, 26),
        resolution_reference="Minutes 2013-06",
        actor=secretary,
    )
    assert series.status == Series.Status.RESOLVED
    event = LedgerEvent.objects.get(series=series, event_type=LedgerEvent.Type.SERIES_RESOLVED)
    assert event.approved_by == secretary and event.recorded_by == secretary
    assert event.resolution_date == date(2013, 6, 26) and event.resolution_reference == "Minutes 2013-06"


def test_resolving_twice_is_an_invalid_transition(legal):
    series = make_series(actor=legal)
    with pytest.raises(ValidationError, match="cannot become"):
        series_resolve(
            series=series, resolution_date=date(2013, 6, 26), resolution_reference="x", actor=legal
        )


def test_resolution_after_the_allotment_date_is_refused(legal):
    series = make_series(actor=legal, resolve=False)
    with pytest.raises(ValidationError, match="before the allotment date"):
        series_resolve(
            series=series, resolution_date=date(2013, 7, 12), resolution_reference="x", actor=legal
        )


@pytest.mark.parametrize(
    "terms, field",
    [
        ({"max_rights": 0}, "max_rights"),
        ({"exercise_price_per_share_yen": Decimal("-1")}, None),
        ({"exercise_period_end": date(2013, 7, 1)}, None),
        ({"shares_per_right": 0}, "shares_per_right"),
    ],
)
def test_bad_terms_are_refused(legal, terms, field):
    with pytest.raises(ValidationError) as exc:
        make_series(actor=legal, resolve=False, **terms)
    if field:
        assert field in exc.value.message_dict
    assert not Series.objects.exists()


def test_zero_exercise_price_is_legal(legal):
    """Art 236(3): listed companies may grant directors rights with no exercise price since 2021."""
    series = make_series(actor=legal, resolve=False, exercise_price_per_share_yen=Decimal("0"))
    assert series.exercise_price_per_share_yen == 0
