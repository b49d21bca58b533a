"""Parsers for imported market data: docs/domain.md §4 (choosing r from a day's yields is in valuations.domain.rates).

Parsers never raise on a bad row: they return the rows they could read and a list of
``(line_number, problem)`` so staff see every problem of a file at once; a problem is a template
the page translates (valuations.domain.problems). Line 0 means the whole
file (too large, not text). Cells starting with ``=``, ``+``, ``-`` or ``@`` are not formulas here,
only text to parse as numbers; nothing is ever evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from valuations.domain.csvfiles import (
    MAX_IMPORT_BYTES,
    ParseError,
    decode,
    duplicate,
    numbered_records,
    parse_iso_date,
    parse_number,
    trim_trailing_empty,
    width_error,
)
from valuations.domain.problems import Problem, ProblemError, gettext_noop, join_problems

__all__ = [
    "MAX_IMPORT_BYTES",
    "ParseError",
    "Problem",
    "ProblemError",
    "DividendParseResult",
    "JgbParseResult",
    "SharePriceParseResult",
    "parse_dividend_csv",
    "parse_era_date",
    "parse_jgb_csv",
    "parse_share_price_csv",
]


# --------------------------------------------------------------------------- era dates


@dataclass(frozen=True)
class _Era:
    name: str
    offset: int  # Gregorian year = era year + offset
    first_day: date
    last_day: date | None


# The MoF file writes S49.9.24, H25.7.11, R8.7.10. Heisei ended on 2019-04-30 and Reiwa began on
# 2019-05-01, so H31.5.1 and R1.4.30 are not dates at all.
_ERAS = {
    "T": _Era(gettext_noop("Taisho"), 1911, date(1912, 7, 30), date(1926, 12, 24)),
    "S": _Era(gettext_noop("Showa"), 1925, date(1926, 12, 25), date(1989, 1, 7)),
    "H": _Era(gettext_noop("Heisei"), 1988, date(1989, 1, 8), date(2019, 4, 30)),
    "R": _Era(gettext_noop("Reiwa"), 2018, date(2019, 5, 1), None),
}
_ERA_DATE = re.compile(r"([A-Za-z])(\d{1,2}|元)\.(\d{1,2})\.(\d{1,2})")


def parse_era_date(text: str) -> date:
    """Read a Japanese era date such as ``H25.7.11`` (Heisei 25 = 2013): docs/domain.md §4.

    Eras: T (Taisho, +1911), S (Showa, +1925), H (Heisei, +1988), R (Reiwa, +2018); ``元`` is
    accepted for year 1. The date must fall inside its era.
    """
    match = _ERA_DATE.fullmatch(text.strip())
    if match is None:
        raise ProblemError(gettext_noop("%(text)s is not an era date like H25.7.11"), text=repr(text))
    letter, year_text, month_text, day_text = match.groups()
    era = _ERAS.get(letter.upper())
    if era is None:
        raise ProblemError(
            gettext_noop("%(text)s: unknown era %(era)s (expected T, S, H or R)"),
            text=repr(text),
            era=repr(letter),
        )
    era_year = 1 if year_text == "元" else int(year_text)
    if era_year < 1:
        raise ProblemError(gettext_noop("%(text)s: era years start at 1"), text=repr(text))
    try:
        result = date(era_year + era.offset, int(month_text), int(day_text))
    except ValueError:
        # Python's own reason ("day is out of range for month") would stay in English.
        raise ProblemError(gettext_noop("%(text)s is not a real date"), text=repr(text)) from None
    if result < era.first_day:
        raise ProblemError(
            gettext_noop("%(text)s is before %(era)s began on %(date)s"),
            text=repr(text),
            era=Problem(era.name),
            date=era.first_day.isoformat(),
        )
    if era.last_day is not None and result > era.last_day:
        raise ProblemError(
            gettext_noop("%(text)s is after %(era)s ended on %(date)s"),
            text=repr(text),
            era=Problem(era.name),
            date=era.last_day.isoformat(),
        )
    return result


# --------------------------------------------------------------------------- JGB yields

JGB_DATE_COLUMN = "基準日"
JGB_TENORS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40)
_TENOR_HEADER = re.compile(r"(\d+)年")
_MISSING_YIELD = {"-", ""}


@dataclass
class JgbParseResult:
    """Rows of ``(date, {tenor_years: yield as a fraction or None})`` and per-line errors."""

    rows: list[tuple[date, dict[int, Decimal | None]]] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)


def parse_jgb_csv(data: bytes) -> JgbParseResult:
    """Parse the Ministry of Finance ``jgbcm_all.csv``: docs/domain.md §4.

    Shift_JIS, a title line, then ``基準日,1年,...,10年,15年,20年,25年,30年,40年``; dates in era
    form; yields in percent, ``-`` when not quoted. Yields come back as exact fractions
    (``0.123`` % -> ``Decimal("0.00123")``). A header on the first line (no title) is accepted.
    """
    result = JgbParseResult()
    text, error = decode(data)
    if error is not None:
        result.errors.append(error)
        return result
    assert text is not None
    records = numbered_records(text)

    header_at = next(
        (i for i, (_, cells) in enumerate(records[:2]) if cells and cells[0] == JGB_DATE_COLUMN), None
    )
    if header_at is None:
        line = records[min(1, len(records) - 1)][0] if records else 1
        result.errors.append(
            (
                line,
                Problem(
                    gettext_noop("header row starting with %(column)s not found in the first two lines"),
                    {"column": JGB_DATE_COLUMN},
                ),
            )
        )
        return result
    header_line, header = records[header_at]
    header = trim_trailing_empty(header, 1)
    tenors: list[int] = []
    unexpected = []
    for cell in header[1:]:
        match = _TENOR_HEADER.fullmatch(cell)
        if match:
            tenors.append(int(match.group(1)))
        else:
            unexpected.append(cell)
    missing = [f"{t}年" for t in JGB_TENORS if t not in tenors]
    if missing or unexpected or len(set(tenors)) != len(tenors):
        problems = []
        if missing:
            problems.append(
                Problem(gettext_noop("missing columns %(columns)s"), {"columns": ", ".join(missing)})
            )
        if unexpected:
            problems.append(
                Problem(
                    gettext_noop("unexpected columns %(columns)s"),
                    {"columns": ", ".join(repr(c) for c in unexpected)},
                )
            )
        if len(set(tenors)) != len(tenors):
            problems.append(Problem(gettext_noop("a tenor column appears twice")))
        result.errors.append((header_line, join_problems(problems)))
        return result

    first_seen: dict[date, int] = {}
    for line, cells in records[header_at + 1 :]:
        cells = trim_trailing_empty(cells, len(header))
        if len(cells) != len(header):
            result.errors.append((line, width_error(cells, header)))
            continue
        try:
            day = parse_era_date(cells[0])
        except ProblemError as exc:
            result.errors.append(
                (
                    line,
                    Problem(
                        gettext_noop("%(column)s: %(problem)s"),
                        {"column": JGB_DATE_COLUMN, "problem": exc.problem},
                    ),
                )
            )
            continue
        yields: dict[int, Decimal | None] = {}
        problems = []
        for tenor, cell in zip(tenors, cells[1:], strict=True):
            if cell in _MISSING_YIELD:
                yields[tenor] = None
                continue
            try:
                # Percent -> fraction by moving the decimal point: exact, no division.
                yields[tenor] = parse_number(cell, f"{tenor}年").scaleb(-2)
            except ProblemError as exc:
                problems.append(exc.problem)
        if problems:
            result.errors.append((line, join_problems(problems)))
            continue
        if day in first_seen:
            result.errors.append(
                (
                    line,
                    duplicate(
                        gettext_noop("duplicate date %(date)s (first on line %(first)s)"),
                        day,
                        first_seen[day],
                    ),
                )
            )
            continue
        first_seen[day] = line
        result.rows.append((day, yields))
    if not result.rows and not result.errors:
        result.errors.append((header_line, Problem(gettext_noop("no data rows after the header"))))
    return result


# --------------------------------------------------------------------------- share prices


@dataclass
class SharePriceParseResult:
    """Rows of ``(date, close or None, base price or None)`` in yen, and per-line errors."""

    rows: list[tuple[date, Decimal | None, Decimal | None]] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    format: str = "date,close"  # which of the formats valuations.domain.priceformats reads
    lines: dict[date, int] = field(default_factory=dict)  # the line each row was read from
    # J-Quants only: (date, AdjustmentFactor, line) where the factor is not 1.
    adjustments: list[tuple[date, Decimal, int]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # J-Quants only: the securities codes in the file


@dataclass
class DividendParseResult:
    """Rows of ``(fiscal year end, dividend per share in yen, note)`` and per-line errors."""

    rows: list[tuple[date, Decimal, str]] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)


def _read_header(
    data: bytes, required: list[str], optional: str
) -> tuple[list[str] | None, list[tuple[int, list[str]]], list[ParseError]]:
    text, error = decode(data)
    if error is not None:
        return None, [], [error]
    assert text is not None
    records = numbered_records(text)
    if not records:
        return None, [], [(1, Problem(gettext_noop("the file is empty")))]
    line, cells = records[0]
    header = [cell.lower() for cell in trim_trailing_empty(cells, 1)]
    if header not in (required, [*required, optional]):
        expected = ",".join(required) + f"[,{optional}]"
        return (
            None,
            [],
            [
                (
                    line,
                    Problem(
                        gettext_noop("expected the header %(expected)s, found %(found)s"),
                        {"expected": expected, "found": ",".join(cells)},
                    ),
                )
            ],
        )
    return header, records[1:], []


def _positive_yen(cell: str, column: str) -> Decimal:
    value = parse_number(cell, column)
    if value <= 0:
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s must be more than 0 yen"), column=column, cell=repr(cell)
        )
    return value


def parse_share_price_csv(data: bytes) -> SharePriceParseResult:
    """Parse daily closes: header ``date,close[,base_price]``, ISO dates, yen: docs/domain.md §4.

    The close may be empty on a day with a base price (no trade; the seed then uses the base
    price, docs/domain.md §3 S). A date may appear only once.
    """
    result = SharePriceParseResult()
    header, records, errors = _read_header(data, ["date", "close"], "base_price")
    result.errors.extend(errors)
    if header is None:
        return result
    first_seen: dict[date, int] = {}
    for line, cells in records:
        cells = trim_trailing_empty(cells, len(header))
        if len(cells) < len(header) and len(cells) >= 2:
            cells = cells + [""] * (len(header) - len(cells))  # an omitted trailing base_price
        if len(cells) != len(header):
            result.errors.append((line, width_error(cells, header)))
            continue
        problems = []
        day = close = base_price = None
        try:
            day = parse_iso_date(cells[0], "date")
        except ProblemError as exc:
            problems.append(exc.problem)
        try:
            close = _positive_yen(cells[1], "close") if cells[1] else None
        except ProblemError as exc:
            problems.append(exc.problem)
        if len(header) == 3 and cells[2]:
            try:
                base_price = _positive_yen(cells[2], "base_price")
            except ProblemError as exc:
                problems.append(exc.problem)
        if not cells[1] and not (len(header) == 3 and cells[2]):
            problems.append(Problem(gettext_noop("close is empty and there is no base_price")))
        if problems or day is None:
            result.errors.append((line, join_problems(problems)))
            continue
        if day in first_seen:
            result.errors.append(
                (
                    line,
                    duplicate(
                        gettext_noop("duplicate date %(date)s (first on line %(first)s)"),
                        day,
                        first_seen[day],
                    ),
                )
            )
            continue
        first_seen[day] = line
        result.lines[day] = line
        result.rows.append((day, close, base_price))
    return result


def parse_dividend_csv(data: bytes) -> DividendParseResult:
    """Parse dividends: header ``fiscal_year_end,dividend_per_share_yen[,note]``: docs/domain.md §3 q.

    A dividend may be 0 (no dividend that year) but not negative; the note is free text (e.g.
    "commemorative", for series that exclude such dividends).
    """
    result = DividendParseResult()
    header, records, errors = _read_header(data, ["fiscal_year_end", "dividend_per_share_yen"], "note")
    result.errors.extend(errors)
    if header is None:
        return result
    first_seen: dict[date, int] = {}
    for line, cells in records:
        cells = trim_trailing_empty(cells, len(header))
        if len(cells) == 2 and len(header) == 3:
            cells = [*cells, ""]
        if len(cells) != len(header):
            result.errors.append((line, width_error(cells, header)))
            continue
        problems = []
        day = dividend = None
        try:
            day = parse_iso_date(cells[0], "fiscal_year_end")
        except ProblemError as exc:
            problems.append(exc.problem)
        try:
            if not cells[1]:
                raise ProblemError(gettext_noop("dividend_per_share_yen is empty"))
            dividend = parse_number(cells[1], "dividend_per_share_yen")
            if dividend < 0:
                raise ProblemError(
                    gettext_noop("dividend_per_share_yen: %(cell)s cannot be negative"), cell=repr(cells[1])
                )
        except ProblemError as exc:
            problems.append(exc.problem)
        if problems or day is None or dividend is None:
            result.errors.append((line, join_problems(problems)))
            continue
        if day in first_seen:
            result.errors.append(
                (
                    line,
                    duplicate(
                        gettext_noop("duplicate fiscal_year_end %(date)s (first on line %(first)s)"),
                        day,
                        first_seen[day],
                    ),
                )
            )
            continue
        first_seen[day] = line
        note = cells[2] if len(header) == 3 else ""
        result.rows.append((day, dividend, note))
    return result
