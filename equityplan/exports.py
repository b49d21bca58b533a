"""CSV and PDF responses of every download (papers, accounting), and the one guard against formula
injection that the CSV and the Excel workbooks share."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard_text(text: str) -> str:
    """Text a spreadsheet would read as a formula gets a leading apostrophe: CSV and Excel alike."""
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_cell(value) -> str:
    """The cell as text, with a leading apostrophe where a spreadsheet would read a formula."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)  # a number is never read as a formula, even a negative one
    return guard_text("" if value is None else str(value))


def csv_response(*, filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so Excel in Japanese opens it as UTF-8 rather than Shift_JIS."""
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


# A streamed CSV leaves in pieces of about this many characters (one row at a time would be a write
# per row; the whole file at once would hold it all in memory).
STREAM_PIECE = 64 * 1024


def _csv_pieces(header: Sequence, rows: Iterable[Sequence]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        if buffer.tell() >= STREAM_PIECE:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def stream_csv_response(
    header: Sequence, rows_iter: Iterable[Sequence], filename: str
) -> StreamingHttpResponse:
    """The same file as csv_response, written as the rows are read: memory stays flat in their number.
    ``rows_iter`` is consumed while the response is sent, after the view has returned."""
    response = StreamingHttpResponse(_csv_pieces(header, rows_iter), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _no_fetch(url: str, *args, **kwargs):
    """PDFs are rendered from the template alone: nothing is fetched over the network."""
    raise ValueError(f"refusing to fetch {url} while rendering a PDF")


def render_pdf(*, template_name: str, context: dict, request) -> bytes:
    from weasyprint import HTML  # imported here: loading pango takes a moment

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def pdf_response(*, template_name: str, context: dict, request, filename: str) -> HttpResponse:
    response = HttpResponse(
        render_pdf(template_name=template_name, context=context, request=request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
