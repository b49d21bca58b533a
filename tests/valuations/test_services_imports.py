from datetime import date
from decimal import Decimal

import pytest

from tests.factories import CompanyFactory
from tests.valuations.conftest import JGB_ROW_0710, jgb_csv
from valuations import services
from valuations.domain.marketdata import MAX_IMPORT_BYTES
from valuations.models import Dividend, ImportBatch, JgbYield, SharePrice

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory()


def test_share_prices_import_with_batch(company, legal):
    data = b"date,close,base_price\n2013-07-10,2000,1990\n2013-07-11,,2000\n"
    report = services.import_share_prices(company=company, data=data, filename="p.csv", actor=legal)
    assert report.ok and report.rows_created == 2
    batch = report.batch
    assert (
        batch.kind == ImportBatch.Kind.SHARE_PRICES and batch.imported_by == legal and len(batch.sha256) == 64
    )
    row = SharePrice.objects.get(date=date(2013, 7, 11))
    assert row.close is None and row.base_price == Decimal("2000") and row.batch == batch


def test_every_bad_row_is_reported_and_nothing_imported(company, legal):
    data = (
        b"date,close\n"
        b"2013-07-10,2000\n"
        b"2013-02-30,2000\n"  # line 3: not a date
        b"2013-07-11,1,000\n"  # line 4: thousands separator
        b"\n"
        b"2013-07-12,-5\n"  # line 6: negative
        b"2013-07-10,2001\n"  # line 7: duplicate
    )
    report = services.import_share_prices(company=company, data=data, filename="bad.csv", actor=legal)
    assert not report.ok
    assert [line for line, _reason in report.errors] == [3, 4, 6, 7]
    assert "duplicate" in report.translated_errors[-1][1]
    assert not SharePrice.objects.exists() and not ImportBatch.objects.exists()


def test_identical_rows_are_accepted_conflicting_rows_are_errors(company, legal):
    services.import_share_prices(
        company=company, data=b"date,close\n2013-07-10,2000\n", filename="a.csv", actor=legal
    )
    again = services.import_share_prices(
        company=company, data=b"date,close\n2013-07-10,2000\n2013-07-11,2010\n", filename="b.csv", actor=legal
    )
    assert again.ok and again.rows_created == 1 and again.rows_unchanged == 1
    conflict = services.import_share_prices(
        company=company, data=b"date,close\n2013-07-12,1999\n2013-07-10,2222\n", filename="c.csv", actor=legal
    )
    assert not conflict.ok
    assert conflict.errors[0][0] == 3 and "already stored" in conflict.translated_errors[0][1]
    assert not SharePrice.objects.filter(date=date(2013, 7, 12)).exists()


def test_oversized_file_is_refused_before_parsing(company, legal):
    data = b"date,close\n" + b"x" * (MAX_IMPORT_BYTES + 1)
    report = services.import_share_prices(company=company, data=data, filename="big.csv", actor=legal)
    assert [line for line, _reason in report.errors] == [0] and "too large" in report.translated_errors[0][1]
    assert not ImportBatch.objects.exists()


def test_png_renamed_csv_is_refused(company, legal):
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    report = services.import_share_prices(company=company, data=data, filename="chart.csv", actor=legal)
    assert not report.ok and "PNG" in report.translated_errors[0][1]


def test_dividends_import_and_conflict(company, legal):
    data = "fiscal_year_end,dividend_per_share_yen,note\n2013-03-31,13.75,記念配当なし\n".encode()
    report = services.import_dividends(company=company, data=data, filename="d.csv", actor=legal)
    assert report.ok
    assert Dividend.objects.get().note == "記念配当なし"
    conflict = services.import_dividends(
        company=company,
        data=b"fiscal_year_end,dividend_per_share_yen\n2013-03-31,14\n",
        filename="e.csv",
        actor=legal,
    )
    assert not conflict.ok and conflict.errors[0][0] == 2


def test_jgb_shift_jis_and_utf8_read_the_same(legal):
    sjis = jgb_csv([JGB_ROW_0710])
    report = services.import_jgb_yields(data=sjis, filename="jgbcm_all.csv", actor=legal)
    assert report.ok and report.rows_created == 1
    assert JgbYield.objects.get(date=date(2013, 7, 10), tenor_years=15).yield_fraction == Decimal("0.01444")
    utf8 = sjis.decode("cp932").encode("utf-8")
    again = services.import_jgb_yields(data=utf8, filename="jgbcm_utf8.csv", actor=legal)
    assert again.ok and again.rows_created == 0 and again.rows_unchanged == 1
    assert JgbYield.objects.count() == 15


def test_jgb_bad_rows_are_reported_by_line(legal):
    bad = "H25.13.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1"
    report = services.import_jgb_yields(data=jgb_csv([JGB_ROW_0710, bad]), filename="j.csv", actor=legal)
    assert not report.ok and report.errors[0][0] == 4
    assert not JgbYield.objects.exists()


def test_jgb_conflicting_yields_are_errors(legal):
    services.import_jgb_yields(data=jgb_csv([JGB_ROW_0710]), filename="j.csv", actor=legal)
    changed = JGB_ROW_0710.replace("1.444", "1.500")
    report = services.import_jgb_yields(data=jgb_csv([changed]), filename="k.csv", actor=legal)
    assert not report.ok and report.errors[0][0] == 3 and "15年" in report.translated_errors[0][1]
