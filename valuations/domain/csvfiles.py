"""What every market-data file parser shares: decoding (UTF-8 or Shift_JIS), refusing binary files,
records with their line numbers, plain numbers and ISO dates, and the problems reported per line."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

from valuations.domain.problems import Problem, ProblemError, gettext_noop

ParseError = tuple[int, Problem]

# Files are refused above this size before anything is parsed.
MAX_IMPORT_BYTES = 5_000_000


BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", gettext_noop("a PNG image")),
    (b"\xff\xd8\xff", gettext_noop("a JPEG image")),
    (b"GIF8", gettext_noop("a GIF image")),
    (b"%PDF", gettext_noop("a PDF document")),
    (b"PK\x03\x04", gettext_noop("a ZIP archive or Excel workbook (export it as CSV)")),
    (b"\xd0\xcf\x11\xe0", gettext_noop("an old Excel/Office file (export it as CSV)")),
    # Excel's "Unicode text" export; cp932 would otherwise decode it into nonsense.
    (b"\xff\xfe", gettext_noop("UTF-16 text (save it as CSV in Shift_JIS or UTF-8)")),
    (b"\xfe\xff", gettext_noop("UTF-16 text (save it as CSV in Shift_JIS or UTF-8)")),
)


def decode(data: bytes) -> tuple[str | None, ParseError | None]:
    """Bytes -> text: UTF-8 (with or without BOM) first, then Shift_JIS (cp932), as MoF publishes.

    Shift_JIS Japanese is almost never valid UTF-8, so trying UTF-8 first is safe, and plain ASCII
    reads the same either way.
    """
    if len(data) > MAX_IMPORT_BYTES:
        return None, (
            0,
            Problem(
                gettext_noop("file too large: %(size)s bytes, the limit is %(max)s"),
                {"size": f"{len(data):,}", "max": f"{MAX_IMPORT_BYTES:,}"},
            ),
        )
    for signature, kind in BINARY_SIGNATURES:
        if data.startswith(signature):
            return None, (
                0,
                Problem(gettext_noop("not a CSV file: it looks like %(kind)s"), {"kind": Problem(kind)}),
            )
    if b"\x00" in data:
        return None, (
            0,
            Problem(gettext_noop("not a CSV text file: it contains NUL bytes (UTF-16 or binary?)")),
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), None
        except UnicodeDecodeError:
            # The codec's own reason ("invalid start byte") would stay in English.
            return None, (0, Problem(gettext_noop("starts with a UTF-8 BOM but is not valid UTF-8")))
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), None
    except UnicodeDecodeError:
        return None, (0, Problem(gettext_noop("cannot read the file as Shift_JIS (cp932) or UTF-8")))


def numbered_records(text: str) -> list[tuple[int, list[str]]]:
    """CSV records with their (last) physical line number; blank lines are dropped silently."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not any(cells):  # empty line, or a line of bare commas
            continue
        records.append((reader.line_num, cells))
    return records


def trim_trailing_empty(cells: list[str], width: int) -> list[str]:
    # Spreadsheets like to pad rows with empty cells; only non-empty surplus cells are errors.
    while len(cells) > width and cells[-1] == "":
        cells = cells[:-1]
    return cells


PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
# A price or yield never needs more digits; a longer number is a pasted mistake or an attack, and
# past the database's precision Decimal would fail with InvalidOperation (docs/domain.md reading R37).
MAX_DIGITS = 15
LEADING_ZERO = re.compile(r"[+-]?0\d")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_number(cell: str, column: str) -> Decimal:
    """A plain decimal number: no thousands separators, exponents, NaN or formulas."""
    if "," in cell:
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s has a thousands separator; write %(plain)s"),
            column=column,
            cell=repr(cell),
            plain=cell.replace(",", ""),
        )
    if not PLAIN_NUMBER.fullmatch(cell):
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s is not a number"), column=column, cell=repr(cell)
        )
    if LEADING_ZERO.match(cell):
        # "1,000" unquoted arrives as "1" and "000": refuse rather than read 1 yen.
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s has a leading zero (part of a number like 1,000?)"),
            column=column,
            cell=repr(cell),
        )
    digits = sum(ch.isdigit() for ch in cell)
    if digits > MAX_DIGITS:
        raise ProblemError(
            gettext_noop("%(column)s: a number of %(digits)s digits is refused (at most %(max)s)"),
            column=column,
            digits=digits,
            max=MAX_DIGITS,
        )
    return Decimal(cell)


def parse_iso_date(cell: str, column: str) -> date:
    if not ISO_DATE.fullmatch(cell):
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s is not a date in YYYY-MM-DD form"),
            column=column,
            cell=repr(cell),
        )
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise ProblemError(
            gettext_noop("%(column)s: %(cell)s is not a real date"), column=column, cell=repr(cell)
        ) from None


def width_error(cells: list[str], header: list[str]) -> Problem:
    params = {"expected": len(header), "header": ",".join(header), "found": len(cells)}
    if len(cells) > len(header):
        return Problem(
            gettext_noop(
                "expected %(expected)s cells (%(header)s), found %(found)s; a thousands separator "
                "(1,000) splits a number in two, write 1000"
            ),
            params,
        )
    return Problem(gettext_noop("expected %(expected)s cells (%(header)s), found %(found)s"), params)


def duplicate(template: str, day: date, first_line: int) -> Problem:
    return Problem(template, {"date": day.isoformat(), "first": first_line})
