"""A holder signs in to their own view in Chromium, sees one open window, requests the exercise of all
their rights, and legal staff confirm it on payment."""

from datetime import timedelta

import pytest

from equityplan.clock import today
from grants.models import ExerciseRequest, Holding
from holders import services as holder_services
from tests.factories import legal_user
from tests.factories.lifecycle import allotted_scenario, end_office
from tests.infra.signing_in import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long first password 42"


def test_a_holder_requests_the_exercise_of_all_their_rights_and_legal_confirm(live_server, page):
    legal = legal_user()
    s = allotted_scenario(legal=legal)
    end_office(s.director, on=today() - timedelta(days=2), actor=legal)
    holder_services.holder_login_create(
        holder=s.director, username="director", password=PASSWORD, actor=legal
    )
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "director")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/my/")
    assert page.get_by_test_id("open-window").count() == 1
    assert "10 rights" in page.get_by_test_id("open-window").inner_text()
    assert s.other.name not in page.content()
    # The staff pages refuse the holder.
    response = page.goto(live_server.url + "/holders/")
    assert response is not None and response.status == 403
    page.goto(live_server.url + "/my/")

    assert page.get_by_test_id("portal-shares").inner_text() == "2,000"
    page.get_by_test_id("portal-exercise").click()
    page.wait_for_url("**/my/")
    assert "Requested" in page.get_by_test_id("portal-request-status").inner_text()
    request = ExerciseRequest.objects.get()
    assert request.rights == 10 and request.requested_by.username == "director"
    page.get_by_role("button", name="Log out").click()

    browser_log_in(page, live_server.url, legal.username, "pw")
    page.goto(live_server.url + request.get_absolute_url())
    page.get_by_role("button", name="Payment received: exercise").click()
    assert page.get_by_test_id("status").inner_text() == "Exercised"
    assert Holding.objects.get(holder=s.director).rights == 0
    page.get_by_role("button", name="Log out").click()

    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "director")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/my/")
    assert page.get_by_test_id("portal-request-status").inner_text() == "Exercised"
    assert page.get_by_test_id("no-open-window").count() == 1
    assert not violations, violations
