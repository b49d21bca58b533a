"""Reading a holders file (Excel or CSV) into rows, and every problem of each row before anything is
written. Headers may be the template's English names or its Japanese ones (docs/domain.md R58)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from equityplan.clock import today
from equityplan.forms import MAX_INT
from holders.models import Holder, Position

# (key, English header, Japanese header, required)
COLUMNS = (
    ("name", "name", "氏名", True),
    ("name_kana", "name_kana", "フリガナ", False),
    ("address", "address", "住所", True),
    ("email", "email", "メールアドレス", False),
    ("position", "position", "役職", True),
    ("since", "since", "就任日", True),
    ("rights", "rights", "割当個数", False),
)
POSITIONS = {
    "director": Position.Title.DIRECTOR,
    "取締役": Position.Title.DIRECTOR,
    "executive_officer": Position.Title.EXECUTIVE_OFFICER,
    "executive officer": Position.Title.EXECUTIVE_OFFICER,
    "執行役員": Position.Title.EXECUTIVE_OFFICER,
}
MAX_ROWS = 20_000
OLDEST = date(1900, 1, 1)


class FileProblem(Exception):
    """The file as a whole cannot be read: no row is shown."""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileProblem(_("The file is not an Excel workbook (.xlsx) that can be read.")) from exc
    sheet = book.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return rows


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem(_("The CSV file is neither UTF-8 nor Shift_JIS text."))
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """The file's rows as column key -> text, blank lines left out. Refuses an unknown layout."""
    is_xlsx = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith(".xlsx") and not is_xlsx:
        raise FileProblem(_("The file is named .xlsx but is not an Excel workbook."))
    table = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    if not table:
        raise FileProblem(_("The file is empty."))
    header = [h.strip().lower() for h in table[0]]
    names = {english: key for key, english, _ja, _req in COLUMNS} | {
        ja: key for key, _en, ja, _req in COLUMNS
    }
    keys = [names.get(h) for h in header]
    missing = [english for key, english, _ja, required in COLUMNS if required and key not in keys]
    if missing:
        raise FileProblem(
            _("The first line must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for line in table[1:]:
        if not any(line):
            continue
        rows.append({key: (line[i] if i < len(line) else "") for i, key in enumerate(keys) if key})
    if not rows:
        raise FileProblem(_("The file has a header but no rows."))
    if len(rows) > MAX_ROWS:
        raise FileProblem(_("The file has more than %(max)s rows: split it.") % {"max": f"{MAX_ROWS:,}"})
    return rows


def _parse_date(text: str) -> date | None:
    for separator in ("-", "/", "."):
        parts = text.split(separator)
        if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
    return None


def row_problems(row: dict[str, str], *, with_series: bool) -> list[str]:
    """Every problem of one row on its own (the file-wide checks are in ``file_problems``)."""
    problems = []
    for key, english, _ja, required in COLUMNS:
        if required and not row.get(key, "").strip():
            problems.append(_("%(column)s is empty.") % {"column": english})
    if len(row.get("name", "")) > 200 or len(row.get("name_kana", "")) > 200:
        problems.append(_("A name is longer than 200 characters."))
    if len(row.get("address", "")) > 300:
        problems.append(_("The address is longer than 300 characters."))
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            problems.append(_("%(email)s is not an e-mail address.") % {"email": row["email"]})
    position = row.get("position", "").strip().lower()
    if position and position not in POSITIONS:
        problems.append(_("Position must be director or executive_officer (取締役 or 執行役員)."))
    since = row.get("since", "")
    if since:
        day = _parse_date(since)
        if day is None:
            problems.append(_("%(value)s is not a date (write 2026-04-01).") % {"value": since})
        elif day > today() or day < OLDEST:
            problems.append(
                _("%(date)s is after today or before 1900: only an office already taken is recorded.")
                % {"date": day.isoformat()}
            )
    rights = row.get("rights", "")
    if rights:
        if not (rights.isascii() and rights.isdigit()) or not 1 <= int(rights) <= MAX_INT:
            problems.append(
                _("Rights must be a whole number of at least 1, not %(value)s.") % {"value": rights}
            )
        elif not with_series:
            problems.append(_("Rights are given but no series was chosen to allot them in."))
    return problems


def file_problems(rows: list[dict[str, str]], company, series) -> dict[int, list[str]]:
    """Problems that need the other rows or the database: a person twice in the file, a person already
    recorded at the company, and more rights than the series has left. Index -> problems."""
    found: dict[int, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(rows):
        key = (row.get("name", "").strip(), row.get("name_kana", "").strip())
        if key in seen:
            found.setdefault(index, []).append(
                _("The same name and kana are on line %(line)d.") % {"line": seen[key] + 2}
            )
        else:
            seen[key] = index
    existing = set(
        Holder.objects.filter(name__in={k[0] for k in seen}, positions__company=company)
        .values_list("name", "name_kana")
        .distinct()
    )
    for index, row in enumerate(rows):
        if (row.get("name", "").strip(), row.get("name_kana", "").strip()) in existing:
            found.setdefault(index, []).append(
                _("A holder with this name and kana already holds office at %(company)s.")
                % {"company": company}
            )
    if series is not None:
        asked = sum(int(r["rights"]) for r in rows if r.get("rights", "").isascii() and r["rights"].isdigit())
        left = series.max_rights - series.allotted_rights
        if asked > left:
            message = _("The file allots %(asked)s rights; only %(left)s are left in %(series)s.") % {
                "asked": f"{asked:,}",
                "left": f"{left:,}",
                "series": series.name,
            }
            for index, row in enumerate(rows):
                if row.get("rights"):
                    found.setdefault(index, []).append(message)
    return found


def cleaned(row: dict[str, str]) -> dict:
    """A row without problems as the services take it."""
    since = _parse_date(row["since"])
    assert since is not None  # row_problems refused it otherwise
    return {
        "name": row["name"].strip(),
        "name_kana": row.get("name_kana", "").strip(),
        "address": row["address"].strip(),
        "email": row.get("email", "").strip(),
        "title": POSITIONS[row["position"].strip().lower()],
        "since": since,
        "rights": int(row["rights"]) if row.get("rights") else 0,
    }
