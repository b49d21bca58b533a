"""Reasons for refused market data and failed valuations reach the page in the reader's language."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from tests.factories import CompanyFactory, make_series
from tests.valuations.conftest import VALUATION_DATE, jgb_csv
from valuations import services
from valuations.models import ImportBatch, SharePrice

pytestmark = pytest.mark.django_db

BAD_PRICES = (
    b"date,close,base_price\n"
    b"2013-07-10,2000,\n"
    b"2013-07-11,abc,=1+2\n"  # 3: two reasons on one line
    b"2013-07-12,,\n"  # 4
    b"2013-07-10,2010,\n"  # 5: duplicate of line 2
    b"2013/07/16,2000,\n"  # 6
)


def post_prices(client, legal, language):
    client.force_login(legal)
    return client.post(
        reverse("valuations:import", args=["share-prices"]),
        {
            "company": CompanyFactory().pk,
            "file": SimpleUploadedFile("p.csv", BAD_PRICES, content_type="text/csv"),
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_import_reasons_in_japanese(client, legal):
    response = post_prices(client, legal, "ja")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-report"' in html
    assert (
        "close：&#x27;abc&#x27;は数値ではありません。base_price：&#x27;=1+2&#x27;は数値ではありません" in html
    )
    assert "終値（close）が空欄で、基準値（base_price）もありません" in html
    assert "日付2013-07-10が重複しています（最初は2行目）" in html
    assert "date：&#x27;2013/07/16&#x27;はYYYY-MM-DD形式の日付ではありません" in html
    for english in ("is not a number", "is empty", "duplicate date", "YYYY-MM-DD form"):
        assert english not in html
    assert not SharePrice.objects.exists() and not ImportBatch.objects.exists()


def test_import_reasons_in_english(client, legal):
    response = post_prices(client, legal, "en")
    html = response.content.decode()
    assert "close: &#x27;abc&#x27; is not a number; base_price: &#x27;=1+2&#x27; is not a number" in html
    assert "close is empty and there is no base_price" in html
    assert "duplicate date 2013-07-10 (first on line 2)" in html
    assert "数値ではありません" not in html and "重複" not in html


def test_report_is_translated_when_shown_not_when_made(legal):
    # Built with Japanese active, shown in English: the reasons follow the reader.
    with translation.override("ja"):
        report = services.import_share_prices(
            company=CompanyFactory(), data=BAD_PRICES, filename="p.csv", actor=legal
        )
    with translation.override("en"):
        assert dict(report.translated_errors)[5] == "duplicate date 2013-07-10 (first on line 2)"
    with translation.override("ja"):
        assert dict(report.translated_errors)[5] == "日付2013-07-10が重複しています（最初は2行目）"


def test_file_level_and_era_date_reasons_in_japanese(client, legal):
    client.force_login(legal)
    response = client.post(
        reverse("valuations:import", args=["jgb-yields"]),
        {"file": SimpleUploadedFile("jgbcm_all.csv", b"\x89PNG\r\n\x1a\nxxxx", content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert "CSVファイルではありません：PNG画像のようです" in response.content.decode()
    row = "H31.5.1," + ",".join(["0.1"] * 15)
    with translation.override("ja"):
        report = services.import_jgb_yields(data=jgb_csv([row]), filename="j.csv", actor=legal)
        [(line, reason)] = report.translated_errors
    assert line == 3
    assert reason == "基準日：'H31.5.1'は平成の終わり（2019-04-30）より後の日付です"


def test_dividend_reasons_in_japanese(legal):
    data = b"fiscal_year_end,dividend_per_share_yen\n2013-03-31,-1\n2014-03-31,10\n2014-03-31,10\n"
    with translation.override("ja"):
        report = services.import_dividends(company=CompanyFactory(), data=data, filename="d.csv", actor=legal)
        reasons = dict(report.translated_errors)
    assert reasons == {
        2: "dividend_per_share_yen：'-1'は負の値にできません",
        4: "決算期（fiscal_year_end）2014-03-31が重複しています（最初は3行目）",
    }


def test_valuation_errors_from_the_domain_in_japanese(legal):
    # One close and one yield: too few closes for a volatility, no tenor to interpolate 15 years from.
    company = CompanyFactory()
    series = make_series(actor=legal, company=company)
    services.import_share_prices(
        company=company, data=b"date,close\n2013-07-11,2000\n", filename="p.csv", actor=legal
    )
    row = "H25.7.10," + ",".join(["0.1"] * 10 + ["-"] * 5)
    assert services.import_jgb_yields(data=jgb_csv([row]), filename="j.csv", actor=legal).ok
    with translation.override("ja"), pytest.raises(ValidationError) as raised:
        services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)
    text = " ".join(raised.value.messages)
    assert "ボラティリティ：標本標準偏差の算定には" in text and "終値が3件以上必要ですが、1件です" in text
    assert "15年の利回りを補間できません：利用できる年限は1年から10年までで、外挿は行いません" in text
    assert "need at least" not in text and "cannot interpolate" not in text
    with translation.override("en"), pytest.raises(ValidationError, match="cannot interpolate a 15-year"):
        services.valuation_run(series=series, valuation_date=VALUATION_DATE, actor=legal)


def test_import_command_lists_the_reasons(tmp_path, legal):
    company = CompanyFactory(securities_code="3774")
    path = tmp_path / "p.csv"
    path.write_bytes(BAD_PRICES)
    # A command speaks the site's language (settings.LANGUAGE_CODE, English), not a page's.
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_share_prices", str(path), "--company", "3774", "--user", legal.username)
    assert "line 3: close: 'abc' is not a number; base_price: '=1+2' is not a number" in str(raised.value)
    assert "line 5: duplicate date 2013-07-10 (first on line 2)" in str(raised.value)
    assert not SharePrice.objects.filter(company=company).exists()
