"""Legal staff log in, open the 3rd series and allot rights through the form, in a real Chromium."""

import pytest
from django.urls import reverse

from grants.models import Holding, LedgerEvent
from grants.roles import LEGAL_STAFF
from tests.factories import allot, make_holder, make_series, user_with_role
from tests.infra.picking import pick_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_legal_staff_allot_rights_through_the_form(live_server, page):
    legal = user_with_role(LEGAL_STAFF, "legal")
    legal.set_password("legal-demo-pass")
    legal.save()
    series = make_series(actor=legal, name="Stock Acquisition Rights (3rd series)")
    allot(
        series=series,
        holder=make_holder(actor=legal, name="Ichiro Sample (fictional)"),
        rights=95,
        actor=legal,
    )
    newcomer = make_holder(actor=legal, name="Keiko Example (fictional)", title="executive_officer")

    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "legal")
    page.fill("#id_password", "legal-demo-pass")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Series", exact=True).click()
    page.get_by_role("link", name="Stock Acquisition Rights (3rd series)").click()
    assert page.get_by_test_id("allotted-vs-max").inner_text() == "95 / 135"

    page.get_by_role("link", name="Allot rights").click()
    assert pick_person(page, "#id_holder", newcomer.name) == f"{newcomer.name} [#{newcomer.pk}]"
    page.select_option("#id_category", value="executive_officer")
    # Above what is left: the error shows inline and nothing is written.
    page.fill("#id_rights", "41")
    page.get_by_role("button", name="Allot", exact=True).click()
    assert "Only 40 of the maximum 135 rights are left" in page.get_by_test_id("form-errors").inner_text()
    assert not Holding.objects.filter(holder=newcomer).exists()

    page.fill("#id_rights", "40")
    page.get_by_role("button", name="Allot", exact=True).click()
    page.wait_for_url(live_server.url + series.get_absolute_url())
    assert "Allotted 40 rights to Keiko Example (fictional)." in page.content()
    assert page.get_by_test_id("allotted-vs-max").inner_text() == "135 / 135"
    assert "Keiko Example (fictional)" in page.get_by_test_id("holdings").inner_text()

    event = LedgerEvent.objects.get(event_type="allotted", holder=newcomer)
    assert (event.rights_delta, event.recorded_by) == (40, legal)
