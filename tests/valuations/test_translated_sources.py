"""A valuation's input sources and method reach the page in the reader's language.

The service stores each description twice: the English text ("detail", "method") and a message
{"template", "params"} beside it, translated when the page is rendered. Rows stored before messages
existed show their English text.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from papers.notices import amount_notice
from tests.valuations.conftest import VALUATION_DATE
from valuations import services
from valuations.models import SharePrice, Valuation, problem_from_json, problem_to_json, stored_text
from valuations.selectors import inputs

pytestmark = pytest.mark.django_db


def page(client, user, valuation, language):
    client.force_login(user)
    response = client.get(valuation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def method_card(html: str) -> str:
    card = html[html.index('data-testid="method"') :]
    return card[: card.index("</table>")]


def test_page_in_japanese_shows_sources_and_method_in_japanese(client, legal, market):
    valuation = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    html = page(client, legal, valuation, "ja")

    assert "2013-07-11の終値" in html
    assert "1株当たりの行使価額、発行要項(4)" in html
    assert "予想残存期間、発行要項(12)4" in html
    assert "2012-07-06から2013-07-11までの週次終値54件（期間内の日次終値254件）" in html
    assert (
        "週次終値（各週の最終取引日）の対数収益率の標本標準偏差（n-1）を√52で年率換算。"
        "株式分割の調整として2012-09-26より前の株価を200で除算"
    ) in html
    assert "15年国債利回り 0.0144400000（年限一致）。2013-07-10（評価日前の直近の公表日）の利回り" in html
    assert (
        "2012-03-31終了の決算期の配当2500.0000円を、その後の株式分割により200で除算"
        "（現在の1株当たり12.5円）、÷ S 2055.0000"
    ) in html
    assert "2013-07-11 終値 = 2055.0000" in html and "15年 = 0.0144400000" in html
    for english in (
        "close on",
        "weekly closes",
        "log returns",
        "annualised",
        "JGB yield",
        "exact tenor",
        "last published before",
        "fiscal year ended",
        "clause (4)",
        "remaining period",
    ):
        assert english not in html, english

    method = method_card(html)
    assert "週次（各週の最終取引日）" in method
    assert "評価日で終了" in method
    assert "期間が一致する年限、なければ線形補間" in method
    assert "1株当たりの価格 × 株式数、合計の1円未満切上げ" in method
    assert "ボラティリティの算定方法" in method and "√52で年率換算" in method
    for code in (
        "close_else_next_base",
        "weekly",
        "valuation_date",
        "interpolate",
        "last_fiscal_year",
        "total_ceil",
    ):
        assert code not in method, code
    assert "_message" not in method and "template" not in method


def test_page_in_english_shows_english(client, legal, market):
    valuation = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    html = page(client, legal, valuation, "en")
    assert "close on 2013-07-11" in html
    assert "54 weekly closes from 2012-07-06 to 2013-07-11 (254 daily closes in the window)" in html
    assert (
        "log returns of weekly closes (last trading day of each week), sample standard deviation (n-1), "
        "annualised by sqrt(52); prices before 2012-09-26 divided by 200"
    ) in html
    assert (
        "15-year JGB yield 0.0144400000 (exact tenor); yields of 2013-07-10 "
        "(last published before the valuation date)"
    ) in html
    method = method_card(html)
    assert "Weekly (last trading day of each week)" in method
    assert "Close on the valuation date; if none, the base price for the next trading day" in method
    assert "close_else_next_base" not in method
    assert not re.search(r"[\u3040-\u30ff]", html[html.index('data-testid="inputs"') :])


def test_english_detail_is_the_message_rendered_untranslated(market, legal):
    """The English kept for the price command and older readers says exactly what the message says."""
    valuation = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    for name in Valuation.INPUTS:
        source = valuation.sources[name]
        assert problem_from_json(source["detail_message"]).render() == source["detail"], name
    volatility = valuation.sources["volatility"]
    assert problem_from_json(volatility["method_message"]).render() == volatility["method"]
    assert valuation.method["volatility_method_message"] == volatility["method_message"]
    assert valuation.method["spot_rule"] == "close_else_next_base"  # the code is still what is stored


def test_translated_when_shown_not_when_computed(market, legal):
    with translation.override("ja"):
        valuation = services.valuation_run(
            series=market["series"], valuation_date=VALUATION_DATE, actor=legal
        )
    valuation.refresh_from_db()
    assert valuation.sources["spot_yen"]["detail"] == "close on 2013-07-11"
    with translation.override("en"):
        assert valuation.source_text("spot_yen") == "close on 2013-07-11"
    with translation.override("ja"):
        assert valuation.source_text("spot_yen") == "2013-07-11の終値"
        assert valuation.source_method("volatility").startswith("週次終値（各週の最終取引日）の対数収益率")
        assert valuation.source_method("spot_yen") == ""


def test_row_with_only_the_old_english_text_still_renders(client, legal, market):
    valuation = services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal)
    sources = {
        name: {key: value for key, value in source.items() if not key.endswith("_message")}
        for name, source in valuation.sources.items()
    }
    sources["spot_yen"]["detail"] = "close on 2013-07-11 (as stored long ago)"
    method = {key: value for key, value in valuation.method.items() if not key.endswith("_message")}
    method["spot_rule"] = "a_rule_no_longer_offered"
    Valuation.objects.filter(pk=valuation.pk).update(sources=sources, method=method)

    html = page(client, legal, valuation, "ja")
    assert "close on 2013-07-11 (as stored long ago)" in html
    assert "log returns of weekly closes (last trading day of each week)" in html
    assert "a_rule_no_longer_offered" in method_card(html)  # an unknown code is shown as it is
    assert "週次（各週の最終取引日）" in method_card(html)  # known codes still by their labels


def test_other_spot_rate_and_dividend_descriptions_in_japanese(market, legal):
    series = market["series"]
    series.valuation_term_years = Decimal("12.5")
    series.dividend_rule = "zero"
    series.volatility_frequency = "daily"
    series.save(update_fields=["valuation_term_years", "dividend_rule", "volatility_frequency"])
    company = market["company"]
    SharePrice.objects.filter(company=company, date=VALUATION_DATE).delete()
    SharePrice.objects.filter(company=company, date=date(2013, 7, 12)).delete()
    report = services.import_share_prices(
        company=company, data=b"date,close,base_price\n2013-07-12,2011,1987\n", filename="n.csv", actor=legal
    )
    assert report.ok, report.errors
    valuation = services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    with translation.override("ja"):
        assert valuation.source_text("spot_yen") == "2013-07-11の終値がないため、翌取引日2013-07-12の基準値"
        assert valuation.source_text("rate").startswith(
            "10年国債利回り 0.0086500000と15年国債利回り 0.0144400000の線形補間による12.5年の利回り。"
        )
        assert valuation.source_text("dividend_yield") == "この回号は配当利回りを用いません"
        assert valuation.source_text("volatility").startswith("2012-07-02から2013-07-10までの日次終値")
        assert re.match(
            r"日次終値の対数収益率の標本標準偏差（n-1）を√[0-9.]+で年率換算（期間内の1年当たりの収益率の数：",
            valuation.source_method("volatility"),
        )
    with translation.override("en"):
        assert valuation.source_text("rate").startswith("linear interpolation for 12.5 years between")


def test_provisional_fallback_nests_the_reason(market, legal):
    valuation = services.valuation_run(series=market["series"], valuation_date=date(2013, 8, 1), actor=legal)
    with translation.override("ja"):
        assert valuation.source_text("spot_yen") == (
            "暫定：2013-08-01の終値も翌取引日2013-08-02の基準値もありません。入手できる直近の終値（2013-07-12）"
        )
    with translation.override("en"):
        assert valuation.source_text("spot_yen") == (
            "provisional: no close on 2013-08-01 and no base price for the next trading day 2013-08-02; "
            "latest close available, 2013-07-12"
        )


def test_rate_description_that_no_longer_matches_keeps_the_english():
    # If the domain's wording changes, the English is kept as a figure rather than mistranslated.
    assert inputs._rate_how({15: Decimal("0.01444")}, Decimal("15"), "interpolate", "something else") is None
    exact = inputs._rate_how(
        {15: Decimal("0.01444")}, Decimal("15"), "interpolate", "15-year JGB yield 0.01444 (exact tenor)"
    )
    assert exact.params == {"tenor": 15, "value": "0.01444"}
    nearest = inputs._rate_how(
        {10: Decimal("0.008"), 15: Decimal("0.014")},
        Decimal("14"),
        "nearest",
        "15-year JGB yield 0.014 (nearest available tenor to 14 years)",
    )
    assert nearest.params["term"] == "14"


def test_stored_text_falls_back_when_there_is_no_usable_message():
    assert stored_text(None, "english") == "english"
    assert stored_text({"params": {}}, "english") == "english"
    assert stored_text({"template": "%(missing)s here", "params": {}}, "english") == "english"
    nested = {
        "template": "%(a)s; %(b)s",
        "params": {"a": {"template": "close on %(date)s", "params": {"date": "x"}}, "b": 3},
    }
    assert problem_to_json(problem_from_json(nested)) == nested
    with translation.override("ja"):
        assert stored_text(nested) == "xの終値; 3"


def test_amount_notice_prints_sources_in_its_language(market, legal):
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    with translation.override("en"):  # the notice's language, not the active one, decides
        ja = amount_notice(market["series"], valuation, "ja").as_text()
    assert "2013-07-11の終値" in ja
    assert "√52で年率換算" in ja and "15年国債利回り" in ja
    assert "close on" not in ja and "close_else_next_base" not in ja and "annualised" not in ja
    with translation.override("ja"):
        en = amount_notice(market["series"], valuation, "en").as_text()
    assert "close on 2013-07-11" in en and "annualised by sqrt(52)" in en
    assert "終値" not in en
