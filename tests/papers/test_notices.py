import re
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Series
from papers.notices import amount_notice, issuance_notice, number_words
from papers.selectors import final_valuation
from valuations import services as valuation_services
from valuations.demo import load_demo_valuation
from valuations.models import Valuation

from .pdfcheck import embedded_fonts


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (1, "one"),
        (10, "ten"),
        (15, "fifteen"),
        (42, "forty-two"),
        (200, "two hundred"),
        (1000, "one thousand"),
        (135, "one hundred thirty-five"),
        (2_500_000, "two million five hundred thousand"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


def test_english_notice_reproduces_the_seed_clauses(seed_series):
    text = issuance_notice(seed_series, "en").as_text()
    for phrase in (
        "(1) Name of the stock acquisition rights",
        "Internet Initiative Japan Inc. Stock Acquisition Rights (3rd series)",
        "Maximum number of stock acquisition rights: 135",
        "shall be two hundred (200).",
        "Number of Shares Granted after adjustment = Number of Shares Granted before adjustment × Ratio of "
        "share split or share consolidation",
        "the exercise price shall be one (1) yen.",
        "From July 12, 2013 to July 11, 2043",
        "Article 17, Paragraph 1 of the Ordinance for Corporate Accounting",
        "subject to the approval by resolution of the Board of Directors of the Company.",
        "Proposal for approval of a merger agreement under which the Company shall be merged",
        "Organizational Restructuring",
        "Fractions of less than one share in the number of shares to be granted",
        "Partial execution of each stock acquisition rights is not allowed.",
        "only within ten (10) days from the day following the day the person loses",
        "only within six (6) months after inheriting",
        "shall not be transferred to third-party, offered for pledge or disposed of",
        "with fractions of less than one yen being rounded up to the nearest yen",
        "on the Tokyo Stock Exchange on July 11, 2013",
        "Exercise price (X): one (1) yen",
        "Expected remaining period (T): 15 years",
        "last trading date of each week between December 2, 2005 to July 11, 2013",
        "super-long-term Japanese government bonds",
        "fiscal year ended March, 2013",
        "will be offset.",
        "(13) Date of allotment of the stock acquisition rights\nJuly 11, 2013",
        "(14) Date of payment of consideration in exchange of the stock acquisition rights\nJuly 11, 2013",
        "7 Directors  95 rights",
        "10 Executive Officers  40 rights",
        "There will be no issuance of stock acquisition rights certificates.",
    ):
        assert phrase in text, phrase
    for language in ("en", "ja"):
        html = issuance_notice(seed_series, language).html
        assert re.findall(r"<h3>(\(\d+\))", html) == [f"({n})" for n in range(1, 17)]
        assert html.count('data-testid="clause"') == 16


def test_clauses_follow_the_series_terms(seed_series):
    seed_series.departure_window_days = 14
    seed_series.heir_window_months = 3
    seed_series.exercise_price_per_share_yen = Decimal("0")
    seed_series.certificates_issued = True
    text = issuance_notice(seed_series, "en").as_text()
    assert "fourteen (14) days" in text and "three (3) months" in text
    assert "the exercise price shall be zero (0) yen." in text
    assert "Stock acquisition rights certificates will be issued." in text


def test_japanese_notice(seed_series):
    text = issuance_notice(seed_series, "ja").as_text()
    for phrase in (
        "株式会社インターネットイニシアティブ第3回新株予約権",
        "新株予約権の総数：135個",
        "200株",
        "行使価額は1円",
        "2013年7月12日から2043年7月11日まで",
        "会社計算規則第17条第1項",
        "翌日から10日以内",
        "6ヶ月以内",
        "当社取締役（非常勤取締役及び社外取締役を除く）  7名  95個",
        "当社執行役員  10名  40個",
        "新株予約権証券は発行しない。",
    ):
        assert phrase in text, phrase


def test_notice_page_and_pdf_in_both_languages(client, seed_series, auditor):
    client.force_login(auditor)
    page = client.get(reverse("papers:notice_issuance", args=[seed_series.pk]), {"lang": "en"})
    assert page.status_code == 200 and b"two hundred (200)" in page.content
    page_ja = client.get(reverse("papers:notice_issuance", args=[seed_series.pk]), {"lang": "ja"})
    assert "新株予約権の総数：135個" in page_ja.content.decode()
    pdf = client.get(reverse("papers:notice_issuance_pdf", args=[seed_series.pk]), {"lang": "ja"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert any(name.startswith("IPAexMincho") for name in embedded_fonts(pdf.content))
    assert client.get(reverse("papers:notice_issuance", args=[999999])).status_code == 404
    # an unknown language falls back to English
    assert (
        b"two hundred (200)"
        in client.get(reverse("papers:notice_issuance", args=[seed_series.pk]), {"lang": "xx"}).content
    )


def test_amount_notice_without_a_final_valuation_says_so(client, seed_series, legal):
    client.force_login(legal)
    response = client.get(reverse("papers:notice_amount", args=[seed_series.pk]))
    assert response.status_code == 200
    assert response.context["amount"] is None
    assert b'data-testid="no-final-valuation"' in response.content
    pdf = client.get(reverse("papers:notice_amount_pdf", args=[seed_series.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("terms", "language", "phrases"),
    [
        (
            {
                "valuation_spot_rule": Series.SpotRule.PREVIOUS_DAY_CLOSE,
                "volatility_frequency": Series.VolatilityFrequency.DAILY,
                "volatility_window_start": None,
                "volatility_window_end": Series.VolatilityWindowEnd.DAY_BEFORE,
                "valuation_term_years": Decimal("10.50"),
                "rate_rule": Series.RateRule.NEAREST,
                "dividend_rule": Series.DividendRule.ZERO,
                "rounding_rule": Series.Rounding.PER_SHARE_CEIL,
            },
            "en",
            [
                "Tokyo Stock Exchange on the trading day before July 11, 2013\n",
                "computed based on the daily closing price of the common stock of the Company in regular "
                "trading over the 10.5 years up to the day before July 11, 2013.",
                "nearest to the expected remaining period.",
                "7. Dividend yield (q): zero (0).\n",
                "Black-Scholes model, with the option price per share rounded up to the nearest yen, multiplied "
                "by the Number of Shares Granted.",
            ],
        ),
        (
            {
                "valuation_spot_rule": Series.SpotRule.PREVIOUS_DAY_CLOSE,
                "volatility_frequency": Series.VolatilityFrequency.DAILY,
                "volatility_window_start": None,
                "volatility_window_end": Series.VolatilityWindowEnd.DAY_BEFORE,
                "rate_rule": Series.RateRule.NEAREST,
                "dividend_rule": Series.DividendRule.ZERO,
                "rounding_rule": Series.Rounding.PER_SHARE_CEIL,
            },
            "ja",
            [
                "株価（S）：2013年7月11日の前取引日の東京証券取引所における当社普通株式の普通取引の終値（終値がない場合は基準値段）",
                "株価変動性（σ）：2013年7月11日の前日までの予想残存期間に相当する期間の各取引日の当社普通株式の普通取引の終値に基づき算出した株価変動率",
                "残存年数が予想残存期間に最も近い国債の利子率",
                "7. 配当利回り（q）：0\n",
                "算定した1株当たりのオプション価格（1円未満の端数は切り上げる）に付与株式数を乗じた金額とする。",
            ],
        ),
        (
            {
                "volatility_window_end": Series.VolatilityWindowEnd.DAY_BEFORE,
                "dividend_fiscal_year_end": None,
                "rounding_rule": Series.Rounding.PER_SHARE_HALF_UP,
                "payment_by_setoff": False,
            },
            "en",
            [
                "for the last trading date of each week between December 2, 2005 to the day before July 11, 2013.",
                "paid for the last fiscal year) divided by the share price as set forth in 2) above.\n",
                "rounded to the nearest yen (half up), multiplied by the Number of Shares Granted.",
                "not an issuance of shares with favorable terms.\n",
            ],
        ),
        (
            {
                "volatility_window_end": Series.VolatilityWindowEnd.DAY_BEFORE,
                "dividend_fiscal_year_end": None,
                "rounding_rule": Series.Rounding.PER_SHARE_HALF_UP,
                "payment_by_setoff": False,
            },
            "ja",
            [
                "株価変動性（σ）：2005年12月2日から2013年7月11日の前日までの各週最終取引日の当社普通株式の普通取引の終値に基づき算出した株価変動率",
                "1株当たりの配当金（直近事業年度の配当実績）",
                "1株当たりのオプション価格（1円未満の端数は四捨五入する）に付与株式数を乗じた金額とする。",
                "有利発行には該当しない。\n",
            ],
        ),
    ],
)
def test_clause_12_follows_the_valuation_rules(seed_series, terms, language, phrases):
    for name, value in terms.items():
        setattr(seed_series, name, value)
    text = issuance_notice(seed_series, language).as_text()
    for phrase in phrases:
        assert phrase in text, phrase


def test_clauses_a_series_leaves_out(seed_series):
    seed_series.transfer_requires_board_approval = False
    seed_series.company_may_acquire_without_contribution = False
    seed_series.successor_rights_on_restructuring = False
    seed_series.heir_allowed = False
    seed_series.all_at_once_exercise = True
    seed_series.other_conditions = "Exercise only <b>after</b> the first AGM"
    en = issuance_notice(seed_series, "en")
    text = en.as_text()
    assert "There is no restriction on acquisition of stock acquisition rights by transfer." in text
    assert "(8) Conditions for acquisition of stock acquisition rights\nNone.\n" in text
    assert "No stock acquisition rights of a Restructured Company will be delivered." in text
    assert "2. All stock acquisition rights held shall be exercised at once." in text
    assert (
        "The stock acquisition rights cannot be inherited." in text
        and "However, this does not apply" not in text
    )
    assert "6. Exercise only <b>after</b> the first AGM\n" in text
    assert "&lt;b&gt;after&lt;/b&gt;" in en.html  # the series' own text is escaped, never markup
    ja = issuance_notice(seed_series, "ja").as_text()
    assert "譲渡による新株予約権の取得の制限はない。" in ja and "(8) 新株予約権の取得条項\n定めない。" in ja
    assert "再編成対象会社の新株予約権は交付しない。" in ja and "新株予約権の相続は認めない。" in ja


@pytest.fixture
def demo_valuation(seed_series, demo_users) -> Valuation:
    """The demo's approved valuation of the 3rd series as of 11 Jul 2013 (synthetic market data)."""
    load_demo_valuation(users=demo_users, series=seed_series)
    return Valuation.objects.get(series=seed_series, status=Valuation.Status.APPROVED)


def test_final_valuation_is_the_final_or_approved_one(seed_series, demo_valuation, legal):
    provisional = valuation_services.valuation_run(
        series=seed_series, valuation_date=demo_valuation.valuation_date, actor=legal
    )
    assert provisional.status == Valuation.Status.PROVISIONAL
    assert final_valuation(seed_series) == demo_valuation


def test_amount_notice_prints_the_final_valuations_figures(seed_series, demo_valuation):
    v = demo_valuation
    en = amount_notice(seed_series, v, "en").as_text()
    for line in (
        "Notice Regarding Determination of the Amount to be Paid for "
        "Internet Initiative Japan Inc. Stock Acquisition Rights (3rd series)",
        "resolved on June 26, 2013 has been determined as of July 11, 2013 as follows.",
        f"S Share price  {v.spot_yen.normalize():f} yen  close on 2013-07-11",
        f"X Exercise price  {v.strike_yen.normalize():f} yen  ",
        f"T Expected remaining period  {v.term_years.normalize():f} years  ",
        f"σ Volatility  {v.volatility * 100:.4f}%  ",
        f"r Risk-free interest rate  {v.rate * 100:.4f}%  15-year JGB yield",
        f"q Dividend yield  {v.dividend_yield * 100:.4f}%  ",
        f"Option price per share (C): {v.option_price_per_share.normalize():f} yen",
        f"Number of Shares Granted: {v.shares_per_right}",
        f"Amount to be paid per stock acquisition right: {v.amount_per_right_yen:,} yen",
    ):
        assert line in en, line
    assert "—" not in en
    # the figures of the demo's valuation, so a renamed field cannot quietly print something else
    assert v.shares_per_right == 200 and v.strike_yen == 1 and v.term_years == 15
    assert v.amount_per_right_yen > 0 and f"{v.amount_per_right_yen:,} yen" in en
    ja = amount_notice(seed_series, v, "ja").as_text()
    assert "株式会社インターネットイニシアティブ第3回新株予約権の払込金額確定に関するお知らせ" in ja
    assert "2013年6月26日開催の取締役会において決議した標記新株予約権につき、2013年7月11日を基準として" in ja
    assert f"S 株価  {v.spot_yen.normalize():f}円  2013-07-11の終値" in ja
    assert f"新株予約権1個当たりの払込金額：{v.amount_per_right_yen:,}円" in ja
    assert f"付与株式数：{v.shares_per_right}株" in ja


def test_amount_notice_without_a_resolution_date(seed_series, demo_valuation):
    seed_series.resolution_date = None
    en = amount_notice(seed_series, demo_valuation, "en").as_text()
    assert "The amount to be paid for the stock acquisition rights has been determined as of" in en
    ja = amount_notice(seed_series, demo_valuation, "ja").as_text()
    assert "\n取締役会において決議した標記新株予約権につき" in ja


def test_amount_notice_page_and_pdf(client, seed_series, demo_valuation, auditor):
    client.force_login(auditor)
    amount = f"{demo_valuation.amount_per_right_yen:,}"
    page = client.get(reverse("papers:notice_amount", args=[seed_series.pk]), {"lang": "en"})
    assert page.status_code == 200 and page.context["valuation"] == demo_valuation
    assert f"Amount to be paid per stock acquisition right: {amount} yen" in page.content.decode()
    page_ja = client.get(reverse("papers:notice_amount", args=[seed_series.pk]), {"lang": "ja"})
    assert f"新株予約権1個当たりの払込金額：{amount}円" in page_ja.content.decode()
    pdf = client.get(reverse("papers:notice_amount_pdf", args=[seed_series.pk]), {"lang": "ja"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert any(name.startswith("IPAexMincho") for name in embedded_fonts(pdf.content))
