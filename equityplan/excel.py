"""Excel workbooks (openpyxl) of every download (the register, the audit trail, the disclosure table,
the decision queue, the journal): typed cells (dates as dates, yen and counts as numbers with a
format), a frozen header, and text guarded against formula injection exactly as in the CSV
(equityplan.exports)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, HttpResponse
from django.utils import timezone

from .exports import guard_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
# Sheet names may not hold these, and at most 31 characters.
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\\\"})


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence] = ()
    # Lines above the header (a document's title, its date): plain text, never formulas.
    preamble: Sequence[str] = ()
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width


def _put(cell, value) -> None:
    """One typed cell. A bool is text (Yes/No comes translated); None stays empty."""
    if value is None:
        return
    if isinstance(value, datetime):
        # Excel has no time zones: the local (Tokyo) wall-clock time, as the page shows it.
        cell.value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = INTEGER_FORMAT
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = INTEGER_FORMAT if value == value.to_integral_value() else DECIMAL_FORMAT
    else:
        # Set as a string value explicitly: openpyxl would otherwise store "=..." as a formula.
        cell.value = guard_text(str(value))
        cell.data_type = "s"


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook  # imported here: only the export views need it
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title.translate(_SHEET_FORBIDDEN)[:31] or "Sheet")
        for line in sheet.preamble:
            ws.append([None])
            _put(ws.cell(row=ws.max_row, column=1), line)
        header_row = len(sheet.preamble) + 1
        for column, title in enumerate(sheet.header, start=1):
            cell = ws.cell(row=header_row, column=column)
            _put(cell, title)
            cell.font = Font(bold=True)
        row_number = header_row
        for values in sheet.rows:
            row_number += 1
            for column, value in enumerate(values, start=1):
                _put(ws.cell(row=row_number, column=column), value)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for column in range(1, len(sheet.header) + 1):
            ws.column_dimensions[get_column_letter(column)].width = sheet.widths.get(column, 16)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_only_response(*, filename: str, sheet: Sheet) -> FileResponse:
    """One sheet in openpyxl's write-only mode: each row goes to a temporary file as it is read and the
    workbook is sent from disk, so memory stays flat in the number of rows (the audit trail)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet.title.translate(_SHEET_FORBIDDEN)[:31] or "Sheet")
    for column in range(1, len(sheet.header) + 1):
        ws.column_dimensions[get_column_letter(column)].width = sheet.widths.get(column, 16)
    ws.freeze_panes = f"A{len(sheet.preamble) + 2}"

    def cells(values, bold: bool = False) -> list:
        row = []
        for value in values:
            cell = WriteOnlyCell(ws)
            _put(cell, value)
            if bold:
                cell.font = Font(bold=True)
            row.append(cell)
        return row

    for line in sheet.preamble:
        ws.append(cells([line]))
    ws.append(cells(sheet.header, bold=True))
    for values in sheet.rows:
        ws.append(cells(values))
    file = tempfile.TemporaryFile()  # closed by the response once sent
    book.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
