"""Market data parsers: docs/domain.md §4."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from valuations.domain.marketdata import (
    MAX_IMPORT_BYTES,
    Problem,
    ProblemError,
    parse_dividend_csv,
    parse_era_date,
    parse_jgb_csv,
    parse_share_price_csv,
)


def english(errors):
    """Parse errors as the English text staff would read: (line, reason)."""
    assert all(isinstance(problem, Problem) for _line, problem in errors)
    return [(line, str(problem)) for line, problem in errors]


# --------------------------------------------------------------------------- era dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H25.7.11", date(2013, 7, 11)),  # seed allotment date
        ("R8.7.10", date(2026, 7, 10)),
        ("S49.9.24", date(1974, 9, 24)),  # first row of jgbcm_all.csv
        ("H31.4.30", date(2019, 4, 30)),  # last day of Heisei
        ("R1.5.1", date(2019, 5, 1)),  # first day of Reiwa
        ("R元.5.7", date(2019, 5, 7)),
        ("S64.1.7", date(1989, 1, 7)),
        ("H1.1.8", date(1989, 1, 8)),
        ("T15.12.24", date(1926, 12, 24)),
        (" h25.07.11 ", date(2013, 7, 11)),
        ("H24.2.29", date(2012, 2, 29)),  # leap year
    ],
)
def test_parse_era_date(text, expected):
    assert parse_era_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("H31.5.1", "after Heisei ended on 2019-04-30"),
        ("R1.4.30", "before Reiwa began on 2019-05-01"),
        ("S64.1.8", "after Showa ended"),
        ("X25.7.11", "unknown era 'X'"),
        ("H25.13.1", "not a real date"),
        ("H25.2.29", "not a real date"),  # 2013 is a common year
        ("H0.1.1", "era years start at 1"),
        ("2013-07-11", "not an era date"),
        ("H25/7/11", "not an era date"),
        ("", "not an era date"),
    ],
)
def test_parse_era_date_rejects(text, message):
    with pytest.raises(ValueError, match=message) as raised:
        parse_era_date(text)
    # A page can translate it: the template has placeholders, the figures are separate.
    assert isinstance(raised.value, ProblemError)
    assert raised.value.problem.params["text"] == repr(text)
    assert "%(text)s" in raised.value.problem.template


# --------------------------------------------------------------------------- JGB yields

TITLE = "国債金利情報,,,,,,,,,,,,,,,(単位 : %)"
HEADER = "基準日,1年,2年,3年,4年,5年,6年,7年,8年,9年,10年,15年,20年,25年,30年,40年"
ROW_2013_07_11 = (
    "H25.7.11,0.110,0.135,0.196,0.300,0.418,0.555,0.684,0.797,0.893,0.830,1.289,1.765,1.838,1.904,1.998"
)
ROW_1974 = "S49.9.24,10.327,9.362,8.83,8.515,8.348,8.29,8.24,8.121,8.127,8.195,-,-,-,-,-"
ROW_NEGATIVE = "R2.3.9,-0.287,-0.308,-0.328,-0.323,-0.315,-0.306,-0.277,-0.265,-0.216,-0.172,-0.052,0.011,0.053,0.094,0.131"


def jgb_file(*rows: str, encoding: str = "cp932", newline: str = "\r\n") -> bytes:
    return newline.join([TITLE, HEADER, *rows, ""]).encode(encoding)


def test_jgb_shift_jis_sample():
    result = parse_jgb_csv(jgb_file(ROW_1974, ROW_2013_07_11, ROW_NEGATIVE))
    assert english(result.errors) == []
    assert [d for d, _ in result.rows] == [date(1974, 9, 24), date(2013, 7, 11), date(2020, 3, 9)]
    yields_1974 = result.rows[0][1]
    assert yields_1974[1] == Decimal("0.10327")
    assert yields_1974[15] is None and yields_1974[40] is None
    yields_2013 = result.rows[1][1]
    assert yields_2013[15] == Decimal("0.01289")  # percent -> fraction, exactly
    assert str(yields_2013[10]) == "0.00830"
    assert sorted(yields_2013) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40]
    assert result.rows[2][1][1] == Decimal("-0.00287")  # "-0.287" is a number, not a formula


@pytest.mark.parametrize(
    "data",
    [
        jgb_file(ROW_2013_07_11, encoding="utf-8"),
        b"\xef\xbb\xbf" + jgb_file(ROW_2013_07_11, encoding="utf-8"),
        jgb_file(ROW_2013_07_11, newline="\n"),
        "\r\n".join([HEADER, ROW_2013_07_11]).encode("cp932"),  # no title line
    ],
    ids=["utf-8", "utf-8-bom", "lf", "no-title"],
)
def test_jgb_convenience_forms(data):
    result = parse_jgb_csv(data)
    assert english(result.errors) == []
    assert result.rows[0][0] == date(2013, 7, 11)
    assert result.rows[0][1][15] == Decimal("0.01289")


def test_jgb_blank_lines_are_skipped_and_duplicates_reported():
    data = jgb_file(ROW_2013_07_11, "", ",,,,,,,,,,,,,,,", ROW_1974, ROW_2013_07_11)
    result = parse_jgb_csv(data)
    assert [d for d, _ in result.rows] == [date(2013, 7, 11), date(1974, 9, 24)]
    assert english(result.errors) == [(7, "duplicate date 2013-07-11 (first on line 3)")]


def test_jgb_bad_rows_are_collected_not_raised():
    data = jgb_file(
        ROW_2013_07_11,
        ROW_2013_07_11.replace("H25.7.11", "H25.13.1"),
        ROW_2013_07_11.replace("H25.7.11", "H25.7.12").replace("1.289", "1.2x"),
        ROW_2013_07_11.replace("H25.7.11", "H25.7.16").replace("0.110", "=1+1"),
        ROW_2013_07_11.replace("H25.7.11", "H25.7.17").rsplit(",", 1)[0],
        ROW_1974,
    )
    result = parse_jgb_csv(data)
    assert [d for d, _ in result.rows] == [date(2013, 7, 11), date(1974, 9, 24)]
    lines = [line for line, _ in result.errors]
    assert lines == [4, 5, 6, 7]
    reasons = dict(english(result.errors))
    assert "H25.13.1" in reasons[4] and "not a real date" in reasons[4]
    assert "15年: '1.2x' is not a number" in reasons[5]
    assert "1年: '=1+1' is not a number" in reasons[6]
    assert "expected 16 cells" in reasons[7]


def test_jgb_missing_header_columns():
    header = HEADER.replace(",40年", "").replace(",25年", "")
    data = "\r\n".join([TITLE, header, "H25.7.11,0.1"]).encode("cp932")
    result = parse_jgb_csv(data)
    assert result.rows == []
    assert english(result.errors) == [(2, "missing columns 25年, 40年")]


def test_jgb_wrongly_decoded_file_has_no_header():
    # Shift_JIS bytes read as Latin-1 and saved again as UTF-8: the header never matches.
    mangled = jgb_file(ROW_2013_07_11).decode("latin-1").encode("utf-8")
    result = parse_jgb_csv(mangled)
    assert result.rows == []
    assert english(result.errors) == [(2, "header row starting with 基準日 not found in the first two lines")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file: it looks like a PNG image"),
        (b"PK\x03\x04rest-of-xlsx", "Excel workbook"),
        ("基準日".encode("utf-16"), "UTF-16 text"),
        ("基準日,1年".encode("utf-16-le"), "NUL bytes"),
        (b"\x82\x7f\x85\x40", "cannot read the file as Shift_JIS (cp932) or UTF-8"),
        (b"\xef\xbb\xbf\xff\xfe", "UTF-8 BOM but is not valid UTF-8"),
        (b"x" * (MAX_IMPORT_BYTES + 1), "file too large: 5,000,001 bytes, the limit is 5,000,000"),
    ],
    ids=["png", "xlsx", "utf-16", "utf-16-no-bom", "undecodable", "bad-bom", "too-large"],
)
def test_jgb_file_level_errors(data, message):
    result = parse_jgb_csv(data)
    assert result.rows == []
    assert len(result.errors) == 1
    line, reason = english(result.errors)[0]
    assert line == 0
    assert message in reason


def test_jgb_header_only_is_reported():
    assert english(parse_jgb_csv(jgb_file()).errors) == [(2, "no data rows after the header")]


# --------------------------------------------------------------------------- share prices


def test_share_prices():
    data = b"date,close,base_price\r\n2013-07-10,3010,\r\n2013-07-11,2995.5,3000\r\n2013-07-12,,2990\r\n"
    result = parse_share_price_csv(data)
    assert english(result.errors) == []
    assert result.rows == [
        (date(2013, 7, 10), Decimal("3010"), None),
        (date(2013, 7, 11), Decimal("2995.5"), Decimal("3000")),
        (date(2013, 7, 12), None, Decimal("2990")),  # no trade that day: base price only
    ]


def test_share_prices_without_base_price_column_and_with_bom():
    result = parse_share_price_csv(b"\xef\xbb\xbfDate,Close\n2013-07-11,3000\n")
    assert english(result.errors) == []
    assert result.rows == [(date(2013, 7, 11), Decimal("3000"), None)]


def test_share_price_errors_carry_line_numbers():
    data = "\n".join(
        [
            "date,close,base_price",
            "2013-07-10,3010,",  # 2 ok
            "2013-07-11,1,000,",  # 3 unquoted thousands separator
            '2013-07-12,"1,000",',  # 4 quoted thousands separator
            "2013/07/15,3000,",  # 5 not ISO
            "2013-02-30,3000,",  # 6 impossible date
            "2013-07-16,0,",  # 7 zero
            "2013-07-17,-5,",  # 8 negative
            "2013-07-18,,",  # 9 nothing at all
            "2013-07-10,3020,",  # 10 duplicate
            "",  # blank: skipped
            "2013-07-19,abc,=1+2",  # 12 not numbers
            "2013-07-22,3000,",  # 13 ok
        ]
    ).encode()
    result = parse_share_price_csv(data)
    assert [d for d, _, _ in result.rows] == [date(2013, 7, 10), date(2013, 7, 22)]
    reasons = dict(english(result.errors))
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert "has a leading zero" in reasons[3]
    assert "close: '1,000' has a thousands separator; write 1000" == reasons[4]
    assert "not a date in YYYY-MM-DD form" in reasons[5]
    assert "not a real date" in reasons[6]
    assert "must be more than 0 yen" in reasons[7]
    assert "must be more than 0 yen" in reasons[8]
    assert reasons[9] == "close is empty and there is no base_price"
    assert reasons[10] == "duplicate date 2013-07-10 (first on line 2)"
    assert (
        "close: 'abc' is not a number" in reasons[12] and "base_price: '=1+2' is not a number" in reasons[12]
    )


def test_share_price_thousands_separator_without_base_price_column():
    result = parse_share_price_csv(b"date,close\n2013-07-11,3,000\n")
    assert result.rows == []
    assert english(result.errors) == [
        (
            2,
            "expected 2 cells (date,close), found 3; a thousands separator (1,000) splits a number in two, write 1000",
        )
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            b"day,price\n2013-07-11,3000\n",
            (1, "expected the header date,close[,base_price], found day,price"),
        ),
        (b"", (1, "the file is empty")),
        (b"\x89PNG\r\n\x1a\n", (0, "not a CSV file: it looks like a PNG image")),
    ],
)
def test_share_price_file_errors(data, error):
    result = parse_share_price_csv(data)
    assert result.rows == []
    assert english(result.errors) == [error]


# --------------------------------------------------------------------------- dividends


def test_dividends():
    data = (
        "fiscal_year_end,dividend_per_share_yen,note\n"
        "2013-03-31,2250,\n"
        '2014-03-31,27.5,"includes 5 yen commemorative, excluded by some series"\n'
        "2015-03-31,0\n"
        "2015-03-31,10,\n"
        "2016-03-31,-1,\n"
        "2017-03-31,,\n"
    ).encode("cp932")
    result = parse_dividend_csv(data)
    assert result.rows == [
        (date(2013, 3, 31), Decimal("2250"), ""),
        (date(2014, 3, 31), Decimal("27.5"), "includes 5 yen commemorative, excluded by some series"),
        (date(2015, 3, 31), Decimal("0"), ""),
    ]
    assert english(result.errors) == [
        (5, "duplicate fiscal_year_end 2015-03-31 (first on line 4)"),
        (6, "dividend_per_share_yen: '-1' cannot be negative"),
        (7, "dividend_per_share_yen is empty"),
    ]


def test_dividend_header_is_checked():
    result = parse_dividend_csv(b"year,dividend\n2013-03-31,2250\n")
    assert english(result.errors) == [
        (1, "expected the header fiscal_year_end,dividend_per_share_yen[,note], found year,dividend")
    ]


# --------------------------------------------------------------------------- translatable reasons

# A stand-in catalogue: what the page's gettext does with the real one.
CATALOGUE = {
    "%(column)s: %(cell)s is not a number": "%(column)s欄の%(cell)sは数値ではありません",
    "%(first)s; %(next)s": "%(first)s／%(next)s",
    "%(column)s: %(problem)s": "%(column)s欄：%(problem)s",
    "%(text)s is not a real date": "%(text)sは実在しない日付です",
    "not a CSV file: it looks like %(kind)s": "CSVファイルではありません（%(kind)sのようです）",
    "a PNG image": "PNG画像",
}


def translate(template):
    return CATALOGUE.get(template, template)


def test_reasons_are_templates_with_figures_apart():
    result = parse_share_price_csv(b"date,close\n2013-07-11,abc\n2013-07-11,3000\n2013-07-11,3001\n")
    (line, problem), (dup_line, duplicate) = result.errors
    assert (line, dup_line) == (2, 4)
    assert problem.template == "%(column)s: %(cell)s is not a number"
    assert problem.params == {"column": "close", "cell": "'abc'"}
    assert duplicate.template == "duplicate date %(date)s (first on line %(first)s)"
    assert duplicate.params == {"date": "2013-07-11", "first": 3}
    assert str(duplicate) == "duplicate date 2013-07-11 (first on line 3)"


def test_every_part_of_a_compound_reason_is_translated():
    [(_line, problem)] = parse_share_price_csv(b"date,close,base_price\n2013-07-19,abc,=1+2\n").errors
    assert str(problem) == "close: 'abc' is not a number; base_price: '=1+2' is not a number"
    assert (
        problem.render(translate)
        == "close欄の'abc'は数値ではありません／base_price欄の'=1+2'は数値ではありません"
    )


def test_nested_reasons_are_translated():
    [(line, problem)] = parse_jgb_csv(jgb_file(ROW_2013_07_11.replace("H25.7.11", "H25.13.1"))).errors
    assert line == 3
    assert str(problem) == "基準日: 'H25.13.1' is not a real date"
    assert problem.render(translate) == "基準日欄：'H25.13.1'は実在しない日付です"
    [(_line, png)] = parse_jgb_csv(b"\x89PNG\r\n\x1a\n").errors
    assert png.render(translate) == "CSVファイルではありません（PNG画像のようです）"
