"""Browser journeys through the register and the papers, in a real Chromium.

Screenshots of each step are kept in test-artifacts/ (the lead extends these journeys with the
lifecycle workflows: departure, exercise, valuation approval).
"""

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grants.demo import ensure_demo_users, load_seed_series
from grants.models import LedgerEvent
from grants.services.ledger import ledger_record
from holders.models import Holder
from tests.conftest import ARTIFACTS_DIR
from tests.infra.signing_in import browser_log_in
from tests.papers.conftest import register_csv
from tests.papers.pdfcheck import pdf_plain_text, squeeze

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"papers-{name}.png"), full_page=True)


@pytest.fixture
def seeded(db):
    users = ensure_demo_users()
    series = load_seed_series(users=users)
    # An exercise on 5 Jan 2016 (recorded through the ledger's door until the exercise workflow's page is used).
    ledger_record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=series,
        holder=Holder.objects.get(name="Ichiro Sample (fictional)"),
        rights_delta=-25,
        effective_date=date(2016, 1, 5),
        actor=users["legal"],
        payload={"rights": 25},
    )
    return series


def log_in(page, live_server, username: str, password: str) -> None:
    browser_log_in(page, live_server.url, username, password)


def download_register(page, as_of: str) -> list[list[str]]:
    page.fill("input[name=as_of]", as_of)
    page.click("[data-testid=register-form] button[type=submit]")
    page.wait_for_url(f"**as_of={as_of}**")
    with page.expect_download() as info:
        page.click("[data-testid=register-csv]")
    download = info.value
    assert download.suggested_filename == f"register-{as_of}.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows, _balance = register_csv(content)
    return rows[1:]  # the entries without their header


def download_register_pdf_and_excel(page, as_of: str) -> tuple[str, list[list]]:
    """The same register as a PDF (its text) and as an Excel workbook (the register sheet's rows)."""
    with page.expect_download() as info:
        page.click("[data-testid=register-xlsx]")
    assert info.value.suggested_filename == f"register-{as_of}.xlsx"
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    rows = [[c.value for c in row] for row in book["Register"].iter_rows()]
    # The PDF opens inline in the browser: fetch it with the page's session.
    href = page.locator("[data-testid=register-pdf]").get_attribute("href")
    response = page.request.get(page.url.split("/register/")[0] + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return pdf_plain_text(response.body()), rows


def test_register_on_two_dates_differs_by_the_exercise(page, live_server, seeded):
    log_in(page, live_server, "legal", "legal-demo-pass")
    shot(page, "dashboard")
    page.click("nav >> text=Register")
    page.wait_for_url("**/register/")
    on_allotment = download_register(page, "2013-07-11")
    assert page.locator("[data-testid=total-rights]").inner_text() == "135"
    shot(page, "register-2013-07-11")
    after_exercise = download_register(page, "2016-01-05")
    assert page.locator("[data-testid=total-rights]").inner_text() == "110"
    shot(page, "register-2016-01-05")
    pdf_text, sheet = download_register_pdf_and_excel(page, "2016-01-05")
    assert squeeze("Subtotal: 16 holders 110 22,000") in pdf_text and squeeze("page 1 of") in pdf_text
    subtotal = next(row for row in sheet if row[-1] == "Subtotal")
    assert (subtotal[3], subtotal[6]) == (110, 22000)
    assert (len(on_allotment), sum(int(r[3]) for r in on_allotment)) == (17, 135)
    assert (len(after_exercise), sum(int(r[3]) for r in after_exercise)) == (16, 110)
    assert "Ichiro Sample (fictional)" in {r[1] for r in on_allotment} - {r[1] for r in after_exercise}


def test_japanese_register_page(page, live_server, seeded):
    log_in(page, live_server, "auditor", "auditor-demo-pass")
    page.goto(f"{live_server.url}/register/?as_of=2013-07-11")
    page.select_option("select[name=language]", "ja")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "新株予約権原簿"
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("[data-testid=total-rights]").inner_text() == "135"
    assert "2013年7月11日（平成25年）現在" in page.locator("[data-testid=register-summary]").inner_text()
    # Each series' section opens with its terms, then its entries.
    section = page.locator("[data-testid=register-section]").first
    assert "新株予約権の内容：新株予約権1個につき普通株式200株" in section.locator("tr").first.inner_text()
    assert "2013年7月11日" in section.locator("tr").nth(1).inner_text()
    shot(page, "register-ja")
    page.goto(f"{live_server.url}/series/{seeded.pk}/notice/issuance/?lang=ja")
    assert "新株予約権の総数：135個" in page.content()
    shot(page, "notice-ja")
