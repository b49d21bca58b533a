"""Share prices in the files people have, told apart by their header: docs/domain.md §4, reading R38.

- ``date,close[,base_price]``: this application's own format (valuations.domain.marketdata);
- a Japanese-headed daily file ``日付,始値,高値,安値,終値,出来高`` with ``2013/07/11`` dates, as
  brokers and price sites export it (UTF-8 with a BOM, or Shift_JIS);
- the J-Quants daily quotes export ``Date,Code,Open,High,Low,Close,Volume,...,AdjustmentFactor,...``.

Each gives the same rows (date, close, base price) so one import stores them. The close read is the
day's actual close, never an adjusted one: valuations split-adjust from the recorded corporate actions.
J-Quants' adjustment factors are kept apart so the import can compare them with those actions.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from valuations.domain.csvfiles import (
    decode,
    duplicate,
    numbered_records,
    parse_iso_date,
    parse_number,
    trim_trailing_empty,
    width_error,
)
from valuations.domain.marketdata import SharePriceParseResult, parse_share_price_csv
from valuations.domain.problems import Problem, ProblemError, gettext_noop, join_problems

__all__ = ["FORMAT_JAPANESE", "FORMAT_JQUANTS", "FORMAT_PLAIN", "parse_share_prices"]

FORMAT_PLAIN = "date,close"
FORMAT_JAPANESE = "日付,始値,高値,安値,終値,出来高"
FORMAT_JQUANTS = "J-Quants"

JAPANESE_HEADER = ["日付", "始値", "高値", "安値", "終値", "出来高"]
JQUANTS_REQUIRED = ("Date", "Code", "Open", "High", "Low", "Close", "Volume", "AdjustmentFactor")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
# A quoted "2,345" from a Japanese spreadsheet: thousands groups of exactly three digits.
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_NO_VALUE = {"", "-", "--", "—"}


def parse_share_prices(data: bytes) -> SharePriceParseResult:
    """Read a share price file in any of the three formats, chosen by its first line."""
    text, error = decode(data)
    if error is not None:
        return SharePriceParseResult(errors=[error])
    assert text is not None
    records = numbered_records(text)
    if records:
        header = trim_trailing_empty(records[0][1], 1)
        if header and header[0] == JAPANESE_HEADER[0]:
            return _parse_japanese(records)
        if "AdjustmentFactor" in header or ("Code" in header and "Date" in header):
            return _parse_jquants(records)
    return parse_share_price_csv(data)


def _slash_date(cell: str, column: str) -> date:
    match = _SLASH_DATE.fullmatch(cell)
    if match is None:
        # ISO dates are accepted too: some sites write 2013-07-11 under a Japanese header.
        try:
            return parse_iso_date(cell, column)
        except ProblemError:
            raise ProblemError(
                gettext_noop("%(column)s: %(cell)s is not a date like 2013/07/11"),
                column=column,
                cell=repr(cell),
            ) from None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s is not a real date"), column=column, cell=repr(cell)
        ) from None


def _yen(cell: str, column: str, *, grouped: bool) -> Decimal | None:
    """A price: None where the file has none (no trade), else more than 0 yen."""
    if cell in _NO_VALUE:
        return None
    if grouped and _GROUPED.fullmatch(cell):
        cell = cell.replace(",", "")
    value = parse_number(cell, column)
    if value <= 0:
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s must be more than 0 yen"), column=column, cell=repr(cell)
        )
    return value


def _volume(cell: str, column: str, *, grouped: bool) -> Decimal | None:
    if cell in _NO_VALUE:
        return None
    if grouped and _GROUPED.fullmatch(cell):
        cell = cell.replace(",", "")
    value = parse_number(cell, column)
    if value < 0:
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s cannot be negative"), column=column, cell=repr(cell)
        )
    return value


def _range_problem(low: Decimal | None, high: Decimal | None, close: Decimal) -> Problem | None:
    """The close must lie between the day's low and high: a file whose columns moved fails here."""
    if low is not None and high is not None and low > high:
        return Problem(gettext_noop("the low %(low)s is above the high %(high)s"), {"low": low, "high": high})
    if (low is not None and close < low) or (high is not None and close > high):
        return Problem(
            gettext_noop("the close %(close)s is outside the day's range %(low)s to %(high)s"),
            {
                "close": close,
                "low": low if low is not None else "—",
                "high": high if high is not None else "—",
            },
        )
    return None


def _add_row(result: SharePriceParseResult, line: int, day: date, close: Decimal) -> bool:
    if day in result.lines:
        result.errors.append(
            (
                line,
                duplicate(
                    gettext_noop("duplicate date %(date)s (first on line %(first)s)"), day, result.lines[day]
                ),
            )
        )
        return False
    result.lines[day] = line
    result.rows.append((day, close, None))
    return True


def _parse_japanese(records: list[tuple[int, list[str]]]) -> SharePriceParseResult:
    result = SharePriceParseResult(format=FORMAT_JAPANESE)
    header_line, header = records[0]
    header = trim_trailing_empty(header, len(JAPANESE_HEADER))
    if header != JAPANESE_HEADER:
        result.errors.append(
            (
                header_line,
                Problem(
                    gettext_noop("expected the header %(expected)s, found %(found)s"),
                    {"expected": FORMAT_JAPANESE, "found": ",".join(header)},
                ),
            )
        )
        return result
    for line, cells in records[1:]:
        cells = trim_trailing_empty(cells, len(header))
        if len(cells) != len(header):
            result.errors.append((line, width_error(cells, header)))
            continue
        problems: list[Problem] = []
        values: dict[str, Decimal | None] = {}
        day = None
        try:
            day = _slash_date(cells[0], "日付")
        except ProblemError as exc:
            problems.append(exc.problem)
        for column, cell in zip(JAPANESE_HEADER[1:5], cells[1:5], strict=True):
            try:
                values[column] = _yen(cell, column, grouped=True)
            except ProblemError as exc:
                problems.append(exc.problem)
        try:
            _volume(cells[5], "出来高", grouped=True)
        except ProblemError as exc:
            problems.append(exc.problem)
        close = values.get("終値")
        if not problems and close is None:
            problems.append(
                Problem(gettext_noop("%(column)s is empty (no trade that day)"), {"column": "終値"})
            )
        if not problems and close is not None:
            out_of_range = _range_problem(values.get("安値"), values.get("高値"), close)
            if out_of_range is not None:
                problems.append(out_of_range)
        if problems or day is None or close is None:
            result.errors.append((line, join_problems(problems)))
            continue
        _add_row(result, line, day, close)
    return result


def _parse_jquants(records: list[tuple[int, list[str]]]) -> SharePriceParseResult:
    result = SharePriceParseResult(format=FORMAT_JQUANTS)
    header_line, header = records[0]
    header = trim_trailing_empty(header, 1)
    missing = [c for c in JQUANTS_REQUIRED if c not in header]
    if missing or len(set(header)) != len(header):
        result.errors.append(
            (
                header_line,
                Problem(
                    gettext_noop("a J-Quants daily quotes header needs %(columns)s; missing %(missing)s"),
                    {"columns": ",".join(JQUANTS_REQUIRED), "missing": ",".join(missing) or "—"},
                ),
            )
        )
        return result
    at = {name: header.index(name) for name in JQUANTS_REQUIRED}
    codes: set[str] = set()
    for line, cells in records[1:]:
        cells = trim_trailing_empty(cells, len(header))
        if len(cells) != len(header):
            result.errors.append((line, width_error(cells, header)))
            continue
        problems: list[Problem] = []
        values: dict[str, Decimal | None] = {}
        day = factor = None
        try:
            day = parse_iso_date(cells[at["Date"]], "Date")
        except ProblemError as exc:
            problems.append(exc.problem)
        for column in ("Open", "High", "Low", "Close"):
            try:
                values[column] = _yen(cells[at[column]], column, grouped=False)
            except ProblemError as exc:
                problems.append(exc.problem)
        try:
            _volume(cells[at["Volume"]], "Volume", grouped=False)
        except ProblemError as exc:
            problems.append(exc.problem)
        try:
            factor = parse_number(cells[at["AdjustmentFactor"]], "AdjustmentFactor")
            if factor <= 0:
                raise ProblemError(
                    gettext_noop("%(column)s: %(cell)s must be more than 0"),
                    column="AdjustmentFactor",
                    cell=repr(cells[at["AdjustmentFactor"]]),
                )
        except ProblemError as exc:
            problems.append(exc.problem)
        close = values.get("Close")
        if not problems and close is None:
            problems.append(
                Problem(gettext_noop("%(column)s is empty (no trade that day)"), {"column": "Close"})
            )
        if not problems and close is not None:
            out_of_range = _range_problem(values.get("Low"), values.get("High"), close)
            if out_of_range is not None:
                problems.append(out_of_range)
        codes.add(cells[at["Code"]])
        if problems or day is None or close is None or factor is None:
            result.errors.append((line, join_problems(problems)))
            continue
        if _add_row(result, line, day, close) and factor != 1:
            result.adjustments.append((day, factor, line))
    if len(codes) > 1:
        result.errors.append(
            (
                0,
                Problem(
                    gettext_noop("the file mixes several codes (%(codes)s); import one company at a time"),
                    {"codes": ", ".join(sorted(codes))},
                ),
            )
        )
    result.codes = sorted(codes)
    return result
