"""The heir who already holds rights, in a real Chromium: her page shows two lots with their own
windows; the exercise form refuses her own lot (she is in office) and accepts the inherited one."""

from datetime import timedelta

import pytest

from equityplan.clock import today
from grants import services
from grants.models import ExerciseRequest, Lot
from tests.factories import allot, legal_user, make_holder, make_series, secretary_user
from tests.infra.signing_in import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    browser_log_in(page, live_server.url, username, "pw")


def test_the_heir_exercises_the_inherited_lot_not_her_own(live_server, page):
    legal, secretary = legal_user(), secretary_user()
    series = make_series(actor=legal)
    keiko = make_holder(actor=legal, name="Keiko Heir (fictional)")
    ichiro = make_holder(actor=legal, name="Ichiro Deceased (fictional)")
    allot(series=series, holder=keiko, rights=15, actor=legal)
    allot(series=series, holder=ichiro, rights=25, actor=legal)
    services.series_close_allotment(series=series, actor=legal)
    services.allotment_set_amount_paid(series=series, amount_paid_per_right_yen=1000, actor=legal)
    died_on, succeeded_on = today() - timedelta(days=10), today() - timedelta(days=3)
    services.death_record(holder=ichiro, died_on=died_on, actor=legal)
    case = services.inheritance_open(deceased=ichiro, actor=legal)
    services.heir_designate(case=case, heir=keiko, designated_on=died_on, relationship="spouse", actor=legal)
    services.inheritance_approve(
        case=case,
        succeeded_on=succeeded_on,
        resolution_date=succeeded_on,
        resolution_reference="B",
        actor=secretary,
    )
    own = Lot.objects.get(holding__holder=keiko, origin=Lot.Origin.ALLOTTED)
    inherited = Lot.objects.get(holding__holder=keiko, origin=Lot.Origin.SUCCEEDED)

    _login(page, live_server, legal.username)
    page.goto(live_server.url + keiko.get_absolute_url())
    lots = page.get_by_test_id("lot")
    assert lots.count() == 2
    own_row = page.locator(f'[data-testid="lot"][data-lot="{own.pk}"]')
    inherited_row = page.locator(f'[data-testid="lot"][data-lot="{inherited.pk}"]')
    assert "allotted on" in own_row.get_by_test_id("lot-origin").inner_text()
    assert "holds office at the issuer" in own_row.get_by_test_id("window").inner_text()
    assert (
        "succeeded from Ichiro Deceased (fictional)"
        in inherited_row.get_by_test_id("lot-origin").inner_text()
    )
    assert "Heir's window" in inherited_row.get_by_test_id("window").inner_text()

    own_row.get_by_test_id("request-exercise").click()
    page.get_by_role("button", name="Request the exercise").click()
    assert "holds office at the issuer" in page.get_by_test_id("form-errors").inner_text()
    assert not ExerciseRequest.objects.exists()

    page.goto(live_server.url + keiko.get_absolute_url())
    inherited_row.get_by_test_id("request-exercise").click()
    assert page.locator("#id_rights").input_value() == "25"
    page.get_by_role("button", name="Request the exercise").click()
    assert "Requested" in page.get_by_test_id("status").inner_text()
    request = ExerciseRequest.objects.get()
    assert (request.lot, request.rights) == (inherited, 25)
    page.get_by_role("button", name="Payment received: exercise").click()
    assert page.get_by_test_id("status").inner_text() == "Exercised"
    own.refresh_from_db()
    inherited.refresh_from_db()
    assert (own.rights, inherited.rights) == (15, 0)
