"""The series' own deadlines: the notices of Art 240(2) and Art 243(3) before the allotment date."""

from datetime import date

import pytest

from grants.selectors.deadlines import upcoming_deadlines
from tests.factories import make_series

pytestmark = pytest.mark.django_db


def _series_rows(as_of: date, days: int = 30) -> list[tuple[date, str]]:
    return [(d.due_on, d.kind) for d in upcoming_deadlines(as_of=as_of, days=days) if d.series is not None]


def test_the_shareholders_notice_is_due_two_clear_weeks_before(legal):
    make_series(actor=legal, resolve=False, allotment_date=date(2030, 7, 20), payment_date=date(2030, 7, 20))
    assert _series_rows(date(2030, 7, 1)) == [
        (date(2030, 7, 5), "shareholders_notice"),
        (date(2030, 7, 19), "allottee_notice"),
        (date(2030, 7, 20), "allotment_date"),
    ]


def test_a_notice_due_on_the_last_day_looked_at_is_listed(legal):
    # Looking 30 days ahead from 1 June 2030 ends on 1 July; an allotment on 16 July has its
    # shareholders' notice due on 1 July, fifteen days before it.
    make_series(actor=legal, resolve=False, allotment_date=date(2030, 7, 16), payment_date=date(2030, 7, 16))
    assert _series_rows(date(2030, 6, 1)) == [(date(2030, 7, 1), "shareholders_notice")]
