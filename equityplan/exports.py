"""CSV and PDF responses of every download (papers, accounting), and the one guard against formula
injection that the CSV and the Excel workbooks share."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO

from django.db import connection, transaction
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
    """The cell as text, with a leading apostrophe where a spreadsheet would read a formula. By exact
    type first: called for every cell of every file."""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if kind is int or kind is Decimal or (kind is not bool and isinstance(value, int | Decimal)):
        return str(value)  # a number is never read as a formula, even a negative one
    if kind is date:
        return value.isoformat()  # starts with a digit
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


def _csv_head(header: Sequence) -> tuple[io.StringIO, Any]:
    """A buffer holding the byte-order mark and the header row, and the writer that wrote it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([safe_cell(h) for h in header])
    return buffer, writer


def _csv_pieces(header: Sequence, rows: Iterable[Sequence]) -> Iterator[bytes]:
    buffer, writer = _csv_head(header)
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


def guarded_sql(column: str) -> tuple[str, list[str]]:
    """SQL for guard_text of a text column, and its parameters: the same formula guard in the
    database, for the files it writes itself (copy_csv_response)."""
    marks = ", ".join(["%s"] * len(FORMULA_PREFIXES))
    sql = f"CASE WHEN left({column}, 1) IN ({marks}) THEN '''' || {column} ELSE {column} END"
    return sql, list(FORMULA_PREFIXES)


def _copy_pieces(header: Sequence, sql: str, params: Sequence) -> Iterator[bytes]:
    """The header as _csv_pieces writes it, then the rows of ``sql`` as PostgreSQL's COPY writes
    them in CSV (quoted as Python's csv module quotes), each line ended by CRLF as there.

    libpq hands COPY's output over one whole row at a time, ended by LF (a line break inside a value
    is quoted, so never ends a row); that LF becomes CRLF here. JIT compiling is off: on a trail of
    a million rows it cost more than it saved."""
    buffer, _writer = _csv_head(header)
    yield buffer.getvalue().encode("utf-8")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        statement = cursor.cursor.mogrify(sql, params)
        with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
            lines: list = []
            size = 0
            for row in copy:
                if row[-1] != 10:  # not a whole row: its line end could not be placed
                    raise RuntimeError("COPY handed over part of a row")
                lines.append(row[:-1])
                size += len(row)
                if size >= STREAM_PIECE:
                    yield b"\r\n".join(lines) + b"\r\n"
                    lines, size = [], 0
            if lines:
                yield b"\r\n".join(lines) + b"\r\n"


def copy_csv_response(header: Sequence, sql: str, params: Sequence, filename: str) -> StreamingHttpResponse:
    """The file stream_csv_response writes, its rows written by PostgreSQL (COPY) from ``sql``, whose
    columns are the cells as text already (NULL for an empty cell, guarded_sql around text). On a
    million rows this takes about twice the bare COPY; formatting them in Python took fifteen times.
    The query runs while the response is sent, after the view has returned."""
    response = StreamingHttpResponse(
        _copy_pieces(header, sql, params), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _no_fetch(url: str, *args, **kwargs):
    """PDFs are rendered from the template alone: nothing is fetched over the network."""
    raise ValueError(f"refusing to fetch {url} while rendering a PDF")


def render_pdf(*, template_name: str, context: dict, request) -> bytes:
    from weasyprint import HTML  # imported here: loading pango takes a moment

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def render_pdf_chunks(
    *,
    template_name: str,
    chunks: Iterable[dict],
    numbers_template: str,
    out: BinaryIO,
    progress: Callable[[int], None] | None = None,
) -> int:
    """One PDF from many small WeasyPrint documents, written to ``out``; returns its page count.

    Each context in ``chunks`` is laid out on its own (with ``stamp_page_numbers`` set, so the
    template leaves out its "page X of Y"), so the worker's peak memory follows the chunk, not the
    whole document. pypdf joins the chunks; ``numbers_template`` is then rendered as that many
    empty pages carrying only the page numbers, and each is laid over its page. ``progress`` is
    told how many chunks are done after each one.
    """
    from pypdf import PdfReader, PdfWriter  # imported here, as WeasyPrint is

    writer = PdfWriter()
    done = 0
    for context in chunks:
        content = render_pdf(
            template_name=template_name, context={**context, "stamp_page_numbers": True}, request=None
        )
        writer.append(PdfReader(io.BytesIO(content)))
        del content
        done += 1
        if progress is not None:
            progress(done)
    total = len(writer.pages)
    numbers = PdfReader(
        io.BytesIO(render_pdf(template_name=numbers_template, context={"pages": range(total)}, request=None))
    )
    if len(numbers.pages) != total:
        raise ValueError(f"the page numbers came out as {len(numbers.pages)} pages for {total}")
    for page, stamp in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
    writer.compress_identical_objects()
    writer.write(out)
    return total


def pdf_response(*, template_name: str, context: dict, request, filename: str) -> HttpResponse:
    response = HttpResponse(
        render_pdf(template_name=template_name, context=context, request=request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
