import math
from datetime import date
from decimal import Decimal

import pytest

from grants import services as grant_services
from grants.domain.calendar import trading_days_between
from grants.models import CorporateAction
from tests.factories import CompanyFactory, make_series
from valuations import services

SPLIT_RECORD_DATE = date(2012, 9, 30)  # a Sunday; the shares per right change from 2012-10-01
NEW_BASIS_FROM = date(2012, 9, 26)  # its ex-rights date (T+3): prices on the new basis from here
WINDOW_START = date(2012, 7, 2)
VALUATION_DATE = date(2013, 7, 11)


def small_price_rows(start=WINDOW_START, end=date(2013, 7, 12)):
    """Deterministic closes on trading days: about 2,000 yen, x200 before the 1:200 split's
    ex-rights date."""
    rows = []
    for i, day in enumerate(trading_days_between(start, end)):
        post = Decimal(2000 + round(150 * math.sin(i / 3.0) + 40 * math.cos(i / 1.7)))
        close = post * 200 if day < NEW_BASIS_FROM else post
        rows.append((day, close))
    return rows


def price_csv(rows, *, base_for=None) -> bytes:
    lines = ["date,close,base_price"]
    for day, close in rows:
        lines.append(f"{day.isoformat()},{close},{base_for.get(day, '') if base_for else ''}")
    return ("\n".join(lines) + "\n").encode()


JGB_HEADER = "基準日,1年,2年,3年,4年,5年,6年,7年,8年,9年,10年,15年,20年,25年,30年,40年"


def jgb_csv(rows: list[str]) -> bytes:
    return ("国債金利情報（単位：％）\r\n" + JGB_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode("cp932")


JGB_ROW_0710 = (
    "H25.7.10,0.100,0.124,0.164,0.253,0.323,0.427,0.557,0.686,0.791,0.865,1.444,1.714,1.834,1.843,1.922"
)


def approved_split(*, company, legal, secretary, record_date=SPLIT_RECORD_DATE, ratio=200) -> CorporateAction:
    """A split recorded by legal staff and approved by the board secretary, as valuations read it."""
    action = grant_services.corporate_action_record(
        company=company,
        kind="split",
        ratio_numerator=ratio,
        ratio_denominator=1,
        record_date=record_date,
        actor=legal,
    )
    grant_services.corporate_action_approve(
        action=action,
        resolution_date=date(2012, 8, 1),
        resolution_reference="Board 2012-08-01",
        actor=secretary,
    )
    action.refresh_from_db()
    return action


@pytest.fixture
def market(legal, secretary):
    return build_market(legal=legal, secretary=secretary)


def build_market(*, legal, secretary, jgb_rows: tuple[str, ...] = (JGB_ROW_0710,)) -> dict:
    """A company with prices across a 1:200 split, a dividend, yields, and a seed-like series."""
    company = CompanyFactory()
    series = make_series(
        actor=legal,
        company=company,
        volatility_window_start=WINDOW_START,
        dividend_fiscal_year_end=date(2012, 3, 31),
    )
    split = approved_split(company=company, legal=legal, secretary=secretary)
    rows = small_price_rows()
    report = services.import_share_prices(
        company=company, data=price_csv(rows), filename="p.csv", actor=legal
    )
    assert report.ok, report.errors
    report = services.import_dividends(
        company=company,
        data=b"fiscal_year_end,dividend_per_share_yen,note\n2012-03-31,2500,pre-split\n",
        filename="d.csv",
        actor=legal,
    )
    assert report.ok, report.errors
    report = services.import_jgb_yields(data=jgb_csv(list(jgb_rows)), filename="jgbcm.csv", actor=legal)
    assert report.ok, report.errors
    return {"company": company, "series": series, "rows": rows, "split": split}
