"""Browser journey: legal staff open the stock-option note for the year ending 31 March 2014 and
download the journal as Excel (docs/domain.md §7.2, §7.3)."""

import io

import pytest
from openpyxl import load_workbook

from accounting.demo import load_demo_accounting
from grants.demo import ensure_demo_users, load_seed_series
from tests.conftest import ARTIFACTS_DIR
from valuations.demo import load_demo_valuation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    users = ensure_demo_users()
    series = load_seed_series(users=users)
    load_demo_valuation(users=users, series=series)
    load_demo_accounting(users=users, series=series)
    return series


def test_legal_staff_open_the_note_and_download_the_journal(page, live_server, demo):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "legal")
    page.fill("input[name=password]", "legal-demo-pass")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url("**/dashboard/")

    page.click("[data-testid=nav-year-end]")
    page.click("[data-testid=nav-note]")
    page.fill("input[name=fiscal_year_end]", "2014-03-31")
    page.click("[data-testid=show]")
    page.wait_for_url("**fiscal_year_end=2014-03-31**")
    assert "2013" in page.inner_text("[data-testid=note-year]")
    assert page.inner_text("[data-testid=granted]") == "27,000"
    assert page.inner_text("[data-testid=exercised]") == "400"
    assert page.inner_text("[data-testid=unvested-close]") == "26,200"
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "accounting-note.png"), full_page=True)

    page.click("a.nav-link:has-text('Journal')")
    page.wait_for_url("**/accounting/journal/**")
    with page.expect_download() as info:
        page.click("[data-testid=journal-xlsx]")
    download = info.value
    assert download.suggested_filename == "journal-3774-2014-03-31-jgaap.xlsx"
    rows = list(
        load_workbook(io.BytesIO(open(download.path(), "rb").read())).active.iter_rows(values_only=True)
    )
    assert rows[0][4] == "account_ja"
    assert sum(r[6] or 0 for r in rows[1:]) == sum(r[7] or 0 for r in rows[1:]) > 0
    assert {"株式報酬費用", "新株予約権", "資本金", "資本準備金"} <= {r[4] for r in rows[1:]}
