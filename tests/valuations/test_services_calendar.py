"""Staff's calendar overrides: each change is one ledger event with the day before and after."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants.domain.calendar import is_trading_day
from grants.models import LedgerEvent
from valuations.models import CalendarOverride
from valuations.selectors.calendar import calendar_overrides
from valuations.services import calendar_override_delete, calendar_override_set

pytestmark = pytest.mark.django_db

OUTAGE = date(2020, 10, 1)
SATURDAY = date(2013, 7, 13)


def calendar_events():
    return list(LedgerEvent.objects.filter(event_type=LedgerEvent.Type.CALENDAR_CHANGED).order_by("pk"))


def test_set_adds_an_override_with_its_trail(legal):
    override = calendar_override_set(day=SATURDAY, is_open=True, note="special session", actor=legal)
    assert (override.date, override.is_trading_day, override.reason) == (SATURDAY, True, "special session")
    assert calendar_overrides() == {SATURDAY: True}
    assert is_trading_day(SATURDAY, calendar_overrides())
    (event,) = calendar_events()
    assert event.recorded_by == legal
    assert event.effective_date == SATURDAY
    assert event.series is None and event.holder is None
    assert event.payload == {
        "date": "2013-07-13",
        "before": None,
        "after": {"is_open": True, "note": "special session"},
    }


def test_set_changes_an_override_and_records_before_and_after(legal, secretary):
    calendar_override_set(day=OUTAGE, is_open=False, note="outage", actor=legal)
    changed = calendar_override_set(
        day=OUTAGE, is_open=True, note="  reopened in the afternoon  ", actor=secretary
    )
    assert CalendarOverride.objects.get().pk == changed.pk
    assert changed.reason == "reopened in the afternoon"
    event = calendar_events()[-1]
    assert event.recorded_by == secretary
    assert event.payload == {
        "date": "2020-10-01",
        "before": {"is_open": False, "note": "outage"},
        "after": {"is_open": True, "note": "reopened in the afternoon"},
    }


def test_saying_the_same_again_writes_nothing(legal):
    calendar_override_set(day=OUTAGE, is_open=False, note="outage", actor=legal)
    calendar_override_set(day=OUTAGE, is_open=False, note="outage", actor=legal)
    assert CalendarOverride.objects.count() == 1
    assert len(calendar_events()) == 1


def test_a_reason_is_required(legal):
    with pytest.raises(ValidationError) as exc:
        calendar_override_set(day=OUTAGE, is_open=False, note="  ", actor=legal)
    assert "reason" in exc.value.message_dict
    assert not CalendarOverride.objects.exists()
    assert calendar_events() == []


def test_delete_withdraws_the_override_with_its_trail(legal):
    calendar_override_set(day=OUTAGE, is_open=True, note="reopened", actor=legal)
    calendar_override_delete(day=OUTAGE, actor=legal)
    assert calendar_overrides() == {}
    assert not is_trading_day(OUTAGE, calendar_overrides())  # the one-off closure stands again
    event = calendar_events()[-1]
    assert event.recorded_by == legal and event.effective_date == OUTAGE
    assert event.payload == {
        "date": "2020-10-01",
        "before": {"is_open": True, "note": "reopened"},
        "after": None,
    }
    calendar_override_delete(day=OUTAGE, actor=legal)  # nothing left to withdraw
    assert len(calendar_events()) == 2


# --- the admin goes through the services ---------------------------------------------------


@pytest.fixture
def admin_client(client):
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw")
    client.force_login(root)
    client.user = root
    return client


def test_admin_add_and_change_write_the_trail(admin_client):
    response = admin_client.post(
        reverse("admin:valuations_calendaroverride_add"),
        {"date": "2013-07-13", "is_trading_day": "on", "reason": "special session"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = CalendarOverride.objects.get(date=SATURDAY)
    assert override.is_trading_day is True
    response = admin_client.post(
        reverse("admin:valuations_calendaroverride_change", args=[override.pk]),
        {"reason": "session cancelled"},  # the day is fixed; unticked: closed
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override.refresh_from_db()
    assert (override.date, override.is_trading_day, override.reason) == (SATURDAY, False, "session cancelled")
    added, changed = calendar_events()
    assert added.recorded_by == admin_client.user and added.payload["before"] is None
    assert changed.recorded_by == admin_client.user
    assert changed.payload["before"] == {"is_open": True, "note": "special session"}
    assert changed.payload["after"] == {"is_open": False, "note": "session cancelled"}


def test_admin_delete_and_bulk_delete_write_one_event_each(admin_client, legal):
    for day in (OUTAGE, SATURDAY, date(2045, 5, 3)):
        calendar_override_set(day=day, is_open=day != OUTAGE, note="staff", actor=legal)
    outage = CalendarOverride.objects.get(date=OUTAGE)
    response = admin_client.post(
        reverse("admin:valuations_calendaroverride_delete", args=[outage.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    rest = list(CalendarOverride.objects.values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:valuations_calendaroverride_changelist"),
        {"action": "delete_selected", "_selected_action": rest, "post": "yes"},
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    deleted = [e for e in calendar_events() if e.payload["after"] is None]
    assert [e.payload["date"] for e in deleted] == ["2020-10-01", "2013-07-13", "2045-05-03"]
    assert all(e.recorded_by == admin_client.user for e in deleted)
