"""The whole product in one browser journey, as its users walk through it.

Legal staff enter the 3rd series from its board notice, the board secretary records the resolution,
rights are allotted and the allotment closed, a valuation as of the allotment date is computed, made
final and approved, a holder leaves office and exercises within the window, and the register on two
dates differs by exactly the rights exercised; the register is then read in Japanese.
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from equityplan.clock import today
from grants.models import Allotment, ExerciseRequest, Holding, LedgerEvent, Series
from holders.models import Position
from tests.conftest import ARTIFACTS_DIR
from tests.factories import CompanyFactory, legal_user, make_holder, secretary_user
from tests.infra.picking import pick_person
from tests.infra.signing_in import browser_log_in
from tests.papers.conftest import register_csv
from tests.valuations.conftest import JGB_ROW_0710, approved_split, jgb_csv, price_csv, small_price_rows
from valuations import services as valuation_services
from valuations.models import Valuation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_WINDOW_START = date(2005, 12, 2)


def shot(page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"journey-{name}.png"), full_page=True)


def log_in(page, live_server, username: str) -> None:
    browser_log_in(page, live_server.url, username, "pw")


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def market_data(*, company, actor, secretary) -> None:
    """Closes over the seed's weekly window across a 1:200 split (approved as a corporate action),
    the FY2013 dividend, JGB yields."""
    approved_split(company=company, legal=actor, secretary=secretary)
    for report in (
        valuation_services.import_share_prices(
            company=company,
            data=price_csv(small_price_rows(start=SEED_WINDOW_START)),
            filename="prices.csv",
            actor=actor,
        ),
        valuation_services.import_dividends(
            company=company,
            data=b"fiscal_year_end,dividend_per_share_yen,note\n2013-03-31,20,FY2013\n",
            filename="dividends.csv",
            actor=actor,
        ),
        valuation_services.import_jgb_yields(
            data=jgb_csv([JGB_ROW_0710]), filename="jgbcm_all.csv", actor=actor
        ),
    ):
        assert report.ok, report.errors


def download_register(page, as_of: str) -> list[list[str]]:
    page.fill("input[name=as_of]", as_of)
    page.click("[data-testid=register-form] button[type=submit]")
    page.wait_for_url(f"**as_of={as_of}**")
    with page.expect_download() as info:
        page.click("[data-testid=register-csv]")
    rows, _balance = register_csv(Path(info.value.path()).read_bytes())
    return rows[1:]  # the entries without their header


def test_full_journey(live_server, page):
    legal = legal_user()
    secretary = secretary_user()
    company = CompanyFactory(name="Example Holdings Inc.")
    director = make_holder(actor=legal, name="Ichiro Sample (fictional)")
    officer = make_holder(
        actor=legal, name="Keiko Example (fictional)", title=Position.Title.EXECUTIVE_OFFICER
    )
    market_data(company=company, actor=legal, secretary=secretary)

    # 1. Legal staff enter the board notice's terms.
    log_in(page, live_server, legal.username)
    page.get_by_role("link", name="Series", exact=True).click()
    page.get_by_role("link", name="New series from a board notice").click()
    page.select_option("#id_company", value=str(company.pk))
    page.fill("#id_number", "3")
    page.fill("#id_name", "Stock Acquisition Rights (3rd series)")
    page.fill("#id_max_rights", "135")
    page.fill("#id_shares_per_right", "200")
    page.fill("#id_exercise_price_per_share_yen", "1")
    for field, value in (
        ("exercise_period_start", "2013-07-12"),
        ("exercise_period_end", "2043-07-11"),
        ("allotment_date", "2013-07-11"),
        ("payment_date", "2013-07-11"),
        ("planned_directors", "7"),
        ("planned_director_rights", "95"),
        ("planned_officers", "10"),
        ("planned_officer_rights", "40"),
        ("volatility_window_start", "2005-12-02"),
        ("dividend_fiscal_year_end", "2013-03-31"),
    ):
        page.fill(f"#id_{field}", value)
    page.select_option("#id_volatility_frequency", value="weekly")
    shot(page, "01-series-form")
    page.get_by_role("button", name="Create draft series").click()
    series = Series.objects.get(company=company, number=3)
    page.wait_for_url(live_server.url + series.get_absolute_url())
    assert series.status == "draft"
    assert (series.max_rights, series.volatility_window_start) == (135, SEED_WINDOW_START)
    assert page.get_by_test_id("allotted-vs-max").inner_text() == "0 / 135"
    shot(page, "02-draft-series")
    log_out(page)

    # 2. The board secretary records the resolution.
    log_in(page, live_server, secretary.username)
    page.goto(live_server.url + series.get_absolute_url())
    form = page.get_by_test_id("resolve-form")
    form.locator("#id_resolution_date").fill("2013-06-26")
    form.locator("#id_resolution_reference").fill("Board minutes 2013-06-26 item 3")
    form.get_by_role("button", name="Record the board resolution").click()
    page.wait_for_load_state()
    series.refresh_from_db()
    assert (series.status, series.resolution_date) == ("resolved", date(2013, 6, 26))
    shot(page, "03-resolved")
    log_out(page)

    # 3. Legal staff allot the rights and close the allotment.
    log_in(page, live_server, legal.username)
    for holder, category, rights in ((director, "director", 95), (officer, "executive_officer", 40)):
        page.goto(live_server.url + series.get_absolute_url())
        page.get_by_role("link", name="Allot rights").click()
        pick_person(page, "#id_holder", holder.name)
        page.select_option("#id_category", value=category)
        page.fill("#id_rights", str(rights))
        page.get_by_role("button", name="Allot", exact=True).click()
        page.wait_for_url(live_server.url + series.get_absolute_url())
    assert page.get_by_test_id("allotted-vs-max").inner_text() == "135 / 135"
    page.get_by_role("button", name="Close the allotment").click()
    page.wait_for_load_state()
    series.refresh_from_db()
    assert series.status == "allotted"
    assert page.get_by_role("link", name="Allot rights").count() == 0
    shot(page, "04-allotted")

    # 4. A valuation as of the allotment date: computed, made final, approved by the secretary.
    page.get_by_test_id("valuation-panel").get_by_role("link", name="Valuations").click()
    page.fill("#id_valuation_date", "2013-07-11")
    page.get_by_role("button", name="Compute").click()
    page.get_by_role("button", name="Make final").click()
    assert page.get_by_test_id("status").inner_text() == "Final"
    valuation = Valuation.objects.get(series=series)
    amount = valuation.amount_per_right_yen
    assert amount > 0
    assert valuation.sources["volatility"]["window"] == ["2005-12-02", "2013-07-11"]
    shot(page, "05-valuation-final")
    log_out(page)

    log_in(page, live_server, secretary.username)
    page.goto(live_server.url + valuation.get_absolute_url())
    page.fill("#id_resolution_date", "2013-07-11")
    page.fill("#id_resolution_reference", "Board minutes 2013-07-11 item 1")
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_test_id("status").inner_text() == "Approved"
    page.goto(live_server.url + series.get_absolute_url())
    assert page.get_by_test_id("amount-per-right").inner_text() == f"{amount:,} yen per right"
    assert set(
        Allotment.objects.filter(series=series).values_list("amount_paid_per_right_yen", flat=True)
    ) == {amount}
    shot(page, "06-valuation-approved")
    log_out(page)

    # 5. The officer leaves office two days ago and exercises within the 10-day window.
    log_in(page, live_server, legal.username)
    page.goto(live_server.url + officer.get_absolute_url())
    page.get_by_test_id("end-position").click()
    page.select_option("#id_position", index=1)
    page.fill("#id_ended_on", (today() - timedelta(days=2)).isoformat())
    page.select_option("#id_reason", value="resigned")
    page.get_by_role("button", name="Save").click()
    assert "Lost office on" in page.get_by_test_id("office-status").inner_text()
    assert "Window after losing office" in page.get_by_test_id("window").inner_text()
    page.get_by_test_id("request-exercise").first.click()
    page.get_by_role("button", name="Request the exercise").click()
    assert "Requested" in page.get_by_test_id("status").inner_text()
    page.get_by_role("button", name="Payment received: exercise").click()
    assert page.get_by_test_id("status").inner_text() == "Exercised"
    shot(page, "07-exercised")
    exercise = ExerciseRequest.objects.get()
    assert (exercise.holder, exercise.rights) == (officer, 40)
    assert Holding.objects.get(series=series, holder=officer).rights == 0
    event = LedgerEvent.objects.get(event_type="exercised")
    assert (event.recorded_by, event.rights_delta) == (legal, -40)

    # 6. The register before and after the exercise differs by the rights exercised.
    page.click("nav >> text=Register")
    page.wait_for_url("**/register/**")
    before_day, after_day = (today() - timedelta(days=1)).isoformat(), today().isoformat()
    before = download_register(page, before_day)
    assert page.get_by_test_id("total-rights").inner_text() == "135"
    after = download_register(page, after_day)
    assert page.get_by_test_id("total-rights").inner_text() == "95"
    shot(page, "08-register")
    assert sum(int(r[3]) for r in before) - sum(int(r[3]) for r in after) == 40
    assert officer.name in {r[1] for r in before} - {r[1] for r in after}

    # 7. The register in Japanese.
    page.select_option("select[name=language]", "ja")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "新株予約権原簿"
    assert page.locator("html").get_attribute("lang") == "ja"
    shot(page, "09-register-ja")
