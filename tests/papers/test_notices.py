from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from papers.notices import issuance_notice, number_words

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
    numbers = [c.number for c in issuance_notice(seed_series, "en").clauses]
    assert numbers == [f"({n})" for n in range(1, 17)]


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


def test_amount_notice_from_a_final_valuation(seed_series):
    from types import SimpleNamespace

    from papers.notices import amount_notice

    valuation = SimpleNamespace(
        valuation_date=date(2013, 7, 11),
        spot_yen=Decimal("2780"),
        strike_yen=Decimal("1"),
        term_years=Decimal("15"),
        volatility=Decimal("0.4321"),
        rate=Decimal("0.01726"),
        dividend_yield=Decimal("0.00971"),
        option_price_per_share=Decimal("2391.123456"),
        shares_per_right=200,
        amount_per_right_yen=478225,
        sources={"spot_yen": {"rule": "close on the allotment date", "date": "2013-07-11"}},
    )
    en = amount_notice(seed_series, valuation, "en").as_text()
    assert "Amount to be paid per stock acquisition right: 478,225 yen" in en
    assert "2780 yen" in en and "43.2100%" in en and "1.7260%" in en and "0.9710%" in en
    assert "close on the allotment date" in en
    ja = amount_notice(seed_series, valuation, "ja").as_text()
    assert "新株予約権1個当たりの払込金額：478,225円" in ja
