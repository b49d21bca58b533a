"""equityplan.clock: today, and the one check that nothing is recorded as having happened later."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from equityplan import clock


def test_today_and_earlier_days_pass_and_none_is_skipped():
    today = clock.today()
    clock.check_not_future(died_on=today, resolution_date=today - timedelta(days=1), ended_on=None)
    clock.check_not_future()


def test_a_day_after_today_is_a_field_error_with_code_future(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2024, 6, 30))
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        clock.check_not_future(
            died_on=date(2024, 7, 1), resolution_date=date(2024, 6, 30), received_on=date(2025, 1, 1)
        )
    errors = refused.value.error_dict
    assert set(errors) == {"died_on", "received_on"}
    assert [e.code for e in errors["died_on"]] == ["future"]
    assert errors["died_on"][0].messages == [
        "2024-07-01 is after today (2024-06-30): only what has already happened can be recorded."
    ]


def test_the_refusal_is_in_the_reader_s_language(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2024, 6, 30))
    with pytest.raises(ValidationError) as refused, translation.override("ja"):
        clock.check_not_future(died_on=date(2024, 7, 1))
    assert refused.value.error_dict["died_on"][0].messages == [
        "2024-07-01は本日（2024-06-30）より後の日付です。すでに起きたことしか記録できません。"
    ]
