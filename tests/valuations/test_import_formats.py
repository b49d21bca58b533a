"""Each market-data format imports from its sample in docs/samples/, and hostile input is refused
line by line with nothing written (docs/domain.md R37, R38)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import CompanyFactory
from tests.valuations.conftest import JGB_HEADER, approved_split
from valuations import services
from valuations.domain import priceformats
from valuations.models import ImportBatch, JgbYield, SharePrice

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


@pytest.fixture
def company():
    return CompanyFactory(securities_code="3774")


def _import(company, legal, data: bytes, filename="p.csv"):
    return services.import_share_prices(company=company, data=data, filename=filename, actor=legal)


def _english(report) -> list[tuple[int, str]]:
    return [(line, str(problem)) for line, problem in report.errors]


def test_plain_sample(company, legal):
    report = _import(company, legal, (SAMPLES / "share-prices.csv").read_bytes())
    assert report.ok, _english(report)
    assert report.format == priceformats.FORMAT_PLAIN
    stored = SharePrice.objects.get(company=company, date=date(2013, 7, 12))
    assert stored.close is None and stored.base_price == Decimal("1521")


@pytest.mark.parametrize("encoding", ["shift_jis", "utf-8-sig"])
def test_japanese_sample_in_shift_jis_and_utf8_with_bom(company, legal, encoding):
    data = (SAMPLES / "share-prices-japanese.csv").read_bytes()
    if encoding != "shift_jis":
        data = data.decode("cp932").encode(encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    report = _import(company, legal, data)
    assert report.ok, _english(report)
    assert report.format == priceformats.FORMAT_JAPANESE
    closes = dict(SharePrice.objects.filter(company=company).values_list("date", "close"))
    assert closes[date(2013, 7, 11)] == Decimal("1521")  # 終値, not 始値 or 高値
    assert len(closes) == 5


def test_japanese_close_outside_the_days_range_is_refused(company, legal):
    data = "日付,始値,高値,安値,終値,出来高\n2013/07/11,1497,1530,1495,1600,1000\n".encode()
    report = _import(company, legal, data)
    assert _english(report) == [(2, "the close 1600 is outside the day's range 1495 to 1530")]
    assert not SharePrice.objects.exists()


def test_jquants_sample_agrees_with_the_recorded_split(company, legal, secretary):
    approved_split(company=company, legal=legal, secretary=secretary)
    report = _import(company, legal, (SAMPLES / "jquants-daily-quotes.csv").read_bytes())
    assert report.ok, _english(report)
    assert report.format == priceformats.FORMAT_JQUANTS
    # The day's actual close is stored, not J-Quants' adjusted one.
    assert SharePrice.objects.get(company=company, date=date(2012, 9, 24)).close == Decimal("320000")
    [check] = report.adjustment_checks
    assert check.day == date(2012, 9, 26) and check.agrees
    assert report.adjustments_agree
    assert "agrees with the recorded split 1:200" in str(check.message)


def test_jquants_factor_without_a_recorded_split_is_reported(company, legal):
    report = _import(company, legal, (SAMPLES / "jquants-daily-quotes.csv").read_bytes())
    assert report.ok, _english(report)
    [check] = report.adjustment_checks
    assert not check.agrees and check.recorded_ratio is None
    assert "no approved split or consolidation" in str(check.message)


def test_jquants_recorded_split_with_another_factor_is_a_mismatch(company, legal, secretary):
    approved_split(company=company, legal=legal, secretary=secretary, ratio=100)
    report = _import(company, legal, (SAMPLES / "jquants-daily-quotes.csv").read_bytes())
    [check] = report.adjustment_checks
    assert not check.agrees
    assert "expected 0.01" in str(check.message)


def test_jquants_file_of_another_company_is_refused(legal):
    other = CompanyFactory(securities_code="9999")
    report = _import(other, legal, (SAMPLES / "jquants-daily-quotes.csv").read_bytes())
    assert (0, f"The file is for code 37740, not {other.name} (9999).") in _english(report)
    assert not SharePrice.objects.exists()


@pytest.mark.parametrize("name", ["jgbcm_all.csv", "jgbcm.csv"])
def test_ministry_files_as_served(legal, name):
    report = services.import_jgb_yields(data=(SAMPLES / name).read_bytes(), filename=name, actor=legal)
    assert report.ok, _english(report)
    assert report.rows_created == 3
    days = sorted(set(JgbYield.objects.values_list("date", flat=True)))
    if name == "jgbcm_all.csv":
        assert days[0] == date(1974, 9, 24)  # the first day of the ministry's series
    else:
        assert days == [date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 5)]


# --- hostile input: a per-line message, nothing written ---------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "2013-07-11,1234567890123456789012345678901",
            "close: a number of 31 digits is refused (at most 15)",
        ),
        ("1200-01-01,1500", "1200-01-01 is before 1990-01-01: not a date this file can be about."),
        ("9999-12-31,1500", "9999-12-31 is after today"),
        ("2013-07-13,1500", "2013-07-13 (Sat) is not a Tokyo Stock Exchange trading day."),
        ("2013-07-11,-5", "close: '-5' must be more than 0 yen"),
        ("2013-07-11,0", "close: '0' must be more than 0 yen"),
    ],
)
def test_hostile_share_price_rows(company, legal, row, expected):
    report = _import(company, legal, f"date,close\n2013-07-10,1495\n{row}\n".encode())
    assert not report.ok
    assert [line for line, _text in _english(report)] == [3]
    assert expected in _english(report)[0][1]
    assert not SharePrice.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        "日付,始値,高値,安値,終値,出来高\n2013/07/13,1,2,1,1,10\n".encode("cp932"),
        b"Date,Code,Open,High,Low,Close,Volume,AdjustmentFactor\n2013-07-11,37740,1,1,1,-1,1,1.0\n",
        b"Date,Code,Open,High,Low,Close,Volume,AdjustmentFactor\n9999-12-31,37740,1,1,1,1,1,1.0\n",
        b"Date,Code,Open,High,Low,Close,Volume,AdjustmentFactor\n2013-07-11,37740,1,1,1,1,1,1e400\n",
    ],
)
def test_hostile_rows_in_the_other_price_formats(company, legal, data):
    report = _import(company, legal, data)
    assert not report.ok and [line for line, _t in _english(report)] == [2]
    assert not SharePrice.objects.exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("R99.1.1," + ",".join(["0.1"] * 15), "is after today"),
        ("H25.7.11," + ",".join(["0.1"] * 14 + ["1" * 31]), "a number of 31 digits is refused"),
    ],
)
def test_hostile_jgb_rows(legal, row, expected):
    data = ("国債金利情報\r\n" + JGB_HEADER + "\r\n" + row + "\r\n").encode("cp932")
    report = services.import_jgb_yields(data=data, filename="jgbcm.csv", actor=legal)
    assert not report.ok and expected in _english(report)[0][1]
    assert not JgbYield.objects.exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [("1200-01-01,10", "is before 1990-01-01"), ("2013-03-31,99999999999999999999", "20 digits")],
)
def test_hostile_dividend_rows(company, legal, row, expected):
    data = f"fiscal_year_end,dividend_per_share_yen\n{row}\n".encode()
    report = services.import_dividends(company=company, data=data, filename="d.csv", actor=legal)
    assert not report.ok and expected in _english(report)[0][1]
