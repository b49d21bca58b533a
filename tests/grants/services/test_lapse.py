"""Lapse at the end of a departure window (Art 287) when day 10 falls on a day off (Civil Code Art 142)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import LedgerEvent, Series
from grants.services.lapse import LapseReason
from tests.factories.lifecycle import allotted_scenario, end_office, holding

pytestmark = pytest.mark.django_db

# Left office on Thursday 6 June 2024: day 10 of the window is Sunday 16 June 2024.
LOST = date(2024, 6, 6)


def test_silent_terms_keep_the_rights_alive_on_the_next_business_day(legal):
    """docs/domain.md reading R3: the window ends on Monday 17 June, not on the Sunday."""
    scenario = allotted_scenario(legal=legal)
    assert scenario.series.departure_window_shift == Series.DayShift.TERMS_SILENT
    end_office(scenario.officer, on=LOST, actor=legal)
    officer_holding = holding(scenario.series, scenario.officer)
    with pytest.raises(ValidationError) as refused:
        services.rights_lapse(
            lot=officer_holding.lots.get(),
            reason=LapseReason.DEPARTURE_WINDOW_ENDED,
            as_of=date(2024, 6, 17),
            actor=legal,
        )
    assert refused.value.error_list[0].code == "not_lapsed"
    event = services.rights_lapse(
        lot=officer_holding.lots.get(),
        reason=LapseReason.DEPARTURE_WINDOW_ENDED,
        as_of=date(2024, 6, 18),
        actor=legal,
    )
    assert event is not None
    assert (event.event_type, event.rights_delta, event.effective_date) == (
        LedgerEvent.Type.LAPSED,
        -5,
        date(2024, 6, 18),
    )


def test_terms_that_say_no_shift_end_the_window_on_the_sunday(legal):
    scenario = allotted_scenario(legal=legal, departure_window_shift=Series.DayShift.NONE)
    end_office(scenario.officer, on=LOST, actor=legal)
    event = services.rights_lapse(
        lot=holding(scenario.series, scenario.officer).lots.get(),
        reason=LapseReason.DEPARTURE_WINDOW_ENDED,
        as_of=date(2024, 6, 17),
        actor=legal,
    )
    assert event is not None and event.effective_date == date(2024, 6, 17)
