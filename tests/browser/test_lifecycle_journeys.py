"""Lifecycle journeys in a real Chromium: departure -> exercise; death -> heir -> approval -> heir exercise."""

from datetime import timedelta

import pytest

from equityplan.clock import today
from grants.models import ExerciseRequest, Holding, InheritanceCase, LedgerEvent
from tests.factories import legal_user, secretary_user
from tests.factories.lifecycle import allotted_scenario
from tests.infra.signing_in import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    browser_log_in(page, live_server.url, username, "pw")


def _logout(page):
    page.get_by_role("button", name="Log out").click()


def _exercise_from_holder_page(page):
    page.get_by_test_id("request-exercise").first.click()
    page.get_by_role("button", name="Request the exercise").click()
    assert "Requested" in page.get_by_test_id("status").inner_text()
    page.get_by_role("button", name="Payment received: exercise").click()
    assert page.get_by_test_id("status").inner_text() == "Exercised"


def test_departure_then_exercise(live_server, page):
    legal = legal_user()
    s = allotted_scenario(legal=legal)
    lost_on = (today() - timedelta(days=2)).isoformat()

    _login(page, live_server, legal.username)
    page.goto(live_server.url + s.officer.get_absolute_url())
    page.get_by_test_id("end-position").click()
    page.select_option("#id_position", index=1)
    page.fill("#id_ended_on", lost_on)
    page.select_option("#id_reason", value="resigned")
    page.get_by_role("button", name="Save").click()
    assert "Lost office on" in page.get_by_test_id("office-status").inner_text()
    assert "Window after losing office" in page.get_by_test_id("window").inner_text()

    _exercise_from_holder_page(page)
    assert page.get_by_test_id("shares").inner_text() == "1,000"
    assert Holding.objects.get(series=s.series, holder=s.officer).rights == 0
    event = LedgerEvent.objects.get(event_type="exercised")
    assert (event.recorded_by, event.rights_delta, event.payload["capital_yen"]) == (legal, -5, 629_003)


def test_death_heir_approval_and_heir_exercise(live_server, page):
    legal = legal_user()
    secretary = secretary_user()
    s = allotted_scenario(legal=legal)
    died_on = (today() - timedelta(days=10)).isoformat()

    _login(page, live_server, legal.username)
    page.goto(live_server.url + s.director.get_absolute_url())
    page.get_by_test_id("record-death").click()
    page.fill("#id_died_on", died_on)
    page.get_by_role("button", name="Record the death").click()
    page.get_by_test_id("open-inheritance").click()
    page.fill("#id_new_name", "Heir Browser (fictional)")
    page.fill("#id_new_address", "3-3 Test-cho, Tokyo")
    page.fill("#id_relationship", "child")
    page.get_by_role("button", name="Designate").click()
    assert "awaiting approval" in page.get_by_test_id("status").inner_text()
    _logout(page)

    _login(page, live_server, secretary.username)
    page.get_by_role("link", name="Decisions").click()
    queue = page.get_by_test_id("decision-queue")
    assert "Heir Browser (fictional) to succeed" in queue.inner_text()
    queue.get_by_role("link", name="Open").first.click()
    form = page.get_by_test_id("approve-form")
    # The heir's window starts the day after succession (Civil Code Art 140).
    form.locator("#id_succeeded_on").fill((today() - timedelta(days=3)).isoformat())
    form.locator("#id_resolution_reference").fill("Board secretary decision 1")
    form.get_by_role("button", name="Approve").click()
    assert "Approved" in page.get_by_test_id("status").inner_text()
    _logout(page)

    case = InheritanceCase.objects.get()
    assert case.decided_by == secretary
    _login(page, live_server, legal.username)
    page.goto(live_server.url + case.heir.get_absolute_url())
    assert "Heir's window" in page.get_by_test_id("window").inner_text()
    _exercise_from_holder_page(page)
    assert ExerciseRequest.objects.get().holder == case.heir
    assert Holding.objects.get(series=s.series, holder=case.heir).rights == 0
