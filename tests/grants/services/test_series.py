import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from grants.domain.windows import DayShift
from grants.forms.series import SeriesForm
from grants.models import LedgerEvent, Series
from grants.services import series_resolve
from tests.factories import make_series, secretary_user

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


def test_a_series_silent_on_a_last_day_off_takes_civil_code_art_142(legal):
    """docs/domain.md reading R3: where the terms say nothing, the next business day."""
    series = make_series(actor=legal, resolve=False)
    assert series.departure_window_shift == Series.DayShift.TERMS_SILENT
    assert series.heir_window_shift == Series.DayShift.TERMS_SILENT
    # The model's choices are the domain's shifts, and the form offers all four.
    assert {value for value, _label in Series.DayShift.choices} == {shift.value for shift in DayShift}
    assert len(SeriesForm().fields["departure_window_shift"].choices) == 4


def test_the_migration_reads_no_shift_as_silence(legal):
    """Before the series could record silence, "none" was only the default: 0010 reads it as silent."""
    migration = importlib.import_module(
        "grants.migrations.0013_day_shift_terms_silent_and_adjustment_known_from"
    )
    said_none = make_series(
        actor=legal, resolve=False, departure_window_shift="none", heir_window_shift="none"
    )
    said_next = make_series(
        actor=legal,
        resolve=False,
        departure_window_shift="next_business_day",
        heir_window_shift="previous_business_day",
    )
    migration.silent_where_none(django_apps, None)
    said_none.refresh_from_db()
    said_next.refresh_from_db()
    assert (said_none.departure_window_shift, said_none.heir_window_shift) == ("terms_silent", "terms_silent")
    assert (said_next.departure_window_shift, said_next.heir_window_shift) == (
        "next_business_day",
        "previous_business_day",
    )
    migration.none_where_silent(django_apps, None)
    said_none.refresh_from_db()
    assert (said_none.departure_window_shift, said_none.heir_window_shift) == ("none", "none")


def test_shares_per_right_before_the_allotment_date_is_an_error(legal):
    series = make_series(actor=legal, resolve=False)
    with pytest.raises(ValueError):
        series.shares_per_right_on(date(2013, 7, 10))


def test_notice_deadlines_follow_articles_240_and_243(legal):
    series = make_series(actor=legal, resolve=False)
    # Two clear weeks (docs/domain.md reading R10): 27 June to 10 July lie between notice and allotment.
    assert series.shareholders_notice_due == date(2013, 6, 26)
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
    with pytest.raises(ValidationError) as exc:
        series_resolve(
            series=series, resolution_date=date(2013, 6, 26), resolution_reference="x", actor=legal
        )
    assert exc.value.code == "invalid_transition"
    assert exc.value.messages == [
        "This record is Resolved by the board and cannot become Resolved by the board."
    ]
    assert LedgerEvent.objects.filter(series=series, event_type=LedgerEvent.Type.SERIES_RESOLVED).count() == 1


def test_resolution_after_the_allotment_date_is_refused(legal):
    series = make_series(actor=legal, resolve=False)
    with pytest.raises(ValidationError, match="before the allotment date"):
        series_resolve(
            series=series,
            resolution_date=date(2013, 7, 12),
            resolution_reference="x",
            actor=secretary_user("series_resolver"),
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


class TestAllotmentDateChange:
    def change(self, series, actor, **overrides):
        from grants.services import series_change_allotment_date

        values = dict(
            allotment_date=date(2013, 7, 10),
            payment_date=date(2013, 7, 10),
            resolution_date=date(2013, 7, 1),
            resolution_reference="Board 2013-07-01",
        )
        values.update(overrides)
        return series_change_allotment_date(series=series, actor=actor, **values)

    def test_moves_both_dates_and_the_shares_per_right_history(self, legal, secretary):
        series = make_series(actor=legal)
        series = self.change(series, secretary)
        assert (series.allotment_date, series.payment_date) == (date(2013, 7, 10), date(2013, 7, 10))
        assert series.shares_per_right_on(date(2013, 7, 10)) == 200
        event = LedgerEvent.objects.get(series=series, event_type=LedgerEvent.Type.ALLOTMENT_DATE_CHANGED)
        assert event.approved_by == secretary and event.effective_date == date(2013, 7, 1)
        assert event.payload["before"]["allotment_date"] == "2013-07-11"
        assert event.payload["after"]["allotment_date"] == "2013-07-10"

    def test_refused_once_rights_are_allotted(self, legal, secretary):
        from tests.factories import allot, make_holder

        series = make_series(actor=legal)
        allot(series=series, holder=make_holder(actor=legal), rights=1, actor=legal)
        with pytest.raises(ValidationError, match="already allotted"):
            self.change(series, secretary)
        series.refresh_from_db()
        assert series.allotment_date == date(2013, 7, 11)

    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"allotment_date": date(2013, 7, 13)}, "first day of the exercise period"),
            ({"allotment_date": date(2013, 6, 1)}, "before the board's resolution"),
            ({"payment_date": date(2013, 7, 9)}, "payment date cannot come before"),
            ({"resolution_reference": "  "}, "reference"),
        ],
    )
    def test_bad_dates_are_refused(self, legal, secretary, overrides, message):
        series = make_series(actor=legal)
        with pytest.raises(ValidationError, match=message):
            self.change(series, secretary, **overrides)
        assert not LedgerEvent.objects.filter(event_type=LedgerEvent.Type.ALLOTMENT_DATE_CHANGED).exists()
