"""The holder's extract (Art 250) and the notices' disclosure header, as the issuer would keep them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from holders.models import Holder
from papers.notices import NoticeHeader, amount_notice, issuance_notice, rounded_option_price
from valuations.demo import load_demo_valuation
from valuations.models import Valuation

from .pdfcheck import pdf_plain_text, pdf_text, squeeze


@pytest.fixture
def company(seed_series):
    company = seed_series.company
    company.representative = "President and Representative Director Taro Fictional"
    company.save()
    return company


def test_the_extract_names_the_issuer_its_representative_and_has_a_seal_box(client, company, legal):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    client.force_login(legal)
    url = reverse("papers:holder_extract_pdf", args=[ichiro.pk])
    response = client.get(url, {"as_of": "2014-01-01", "lang": "en"})
    assert response.status_code == 200
    runs = pdf_text(response.content)
    text = squeeze("".join(runs))
    assert squeeze("Issued on") in text and squeeze("as of 2014-01-01") in text
    assert squeeze(f"Issuer {company.name} Head office {company.address}") in text
    assert squeeze(f"Representative Director {company.representative}") in text
    assert squeeze("Seal") in text and squeeze("page 1 of 1") in text
    # Dates are not broken across lines: each is drawn whole.
    assert "2013-07-11" in [run.strip() for run in runs]
    japanese = pdf_plain_text(client.get(url, {"as_of": "2014-01-01", "lang": "ja"}).content)
    assert squeeze("新株予約権原簿記載事項証明書") in japanese or squeeze("新株予約権原簿の写し") in japanese
    assert squeeze("代表取締役") in japanese and squeeze("印") in japanese
    assert squeeze(company.name_ja) in japanese


def test_the_issuance_notice_carries_the_disclosure_header(company):
    header = NoticeHeader(on=date(2013, 6, 26), contact="Legal Department, Jiro Example (03-0000-0000)")
    en = issuance_notice(company.series.get(), "en", header).as_text()
    assert en.startswith("June 26, 2013\nCompany name: Internet Initiative Japan Inc.\n")
    assert f"Representative: {company.representative}" in en
    assert "(Securities code: 3774)" in en and "Contact: Legal Department, Jiro Example" in en
    assert "Board of Directors resolved on June 26, 2013" in en
    ja = issuance_notice(company.series.get(), "ja", header).as_text()
    assert ja.startswith("2013年6月26日\n会社名　株式会社インターネットイニシアティブ\n")
    assert "（コード番号：3774）" in ja and "問合せ先　Legal Department" in ja
    assert issuance_notice(company.series.get(), "en", header).title.startswith("Notice Regarding Issuance")


@pytest.fixture
def demo_valuation(seed_series, demo_users) -> Valuation:
    load_demo_valuation(users=demo_users, series=seed_series)
    return Valuation.objects.get(series=seed_series, status=Valuation.Status.APPROVED)


def test_the_amount_notice_gives_the_rounded_price_and_the_amount_per_right(company, demo_valuation):
    series = company.series.get()
    rounded = rounded_option_price(series, demo_valuation)
    assert rounded == demo_valuation.option_price_per_share.quantize(
        Decimal(1), rounding="ROUND_CEILING"
    ) or (rounded == demo_valuation.option_price_per_share.quantize(Decimal("0.01")))
    text = amount_notice(series, demo_valuation, "en", NoticeHeader(on=date(2013, 7, 11))).as_text()
    assert text.startswith("July 11, 2013\nCompany name:")
    assert "as rounded" in text and f"{rounded.normalize():f} yen" in text
    assert (
        f"Amount to be paid per stock acquisition right: {demo_valuation.amount_per_right_yen:,} yen" in text
    )
    ja = amount_notice(series, demo_valuation, "ja", NoticeHeader(on=date(2013, 7, 11))).as_text()
    assert "1株当たりのオプション価格（" in ja and f"{rounded.normalize():f}円" in ja


def test_the_notice_pdf_has_the_header_and_page_numbers(client, company, auditor):
    client.force_login(auditor)
    series = company.series.get()
    response = client.get(
        reverse("papers:notice_issuance_pdf", args=[series.pk]),
        {"lang": "en", "notice_date": "2013-06-26", "contact": "Legal Department"},
    )
    text = pdf_plain_text(response.content)
    assert squeeze("June 26, 2013 Company name: Internet Initiative Japan Inc.") in text
    assert squeeze("Contact: Legal Department") in text and squeeze("page 1 of") in text
    page = client.get(
        reverse("papers:notice_issuance", args=[series.pk]), {"lang": "en", "notice_date": "2013-02-30"}
    )
    assert page.status_code == 200 and page.context["header_form"].errors
