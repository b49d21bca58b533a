"""CSV, Excel and PDF responses of the accounting pages (the same rules as the register's files)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(*, filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel in Japanese opens it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(*, filename: str, title: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """One sheet; numbers stay numbers, text that looks like a formula is stored as text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([c if isinstance(c, int) and not isinstance(c, bool) else safe_cell(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"refusing to fetch {url} while rendering a PDF")


def pdf_response(*, template_name: str, context: dict, request, filename: str) -> HttpResponse:
    from weasyprint import HTML  # imported here: loading pango takes a moment

    html = render_to_string(template_name, context, request=request)
    response = HttpResponse(
        HTML(string=html, url_fetcher=_no_fetch).write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
