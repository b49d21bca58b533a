"""Bulk entry: a file read into a preview, then imported all or nothing through the form services.

The rows go a batch at a time through ``holders_create_many`` (the checks and events of
``holder_create`` + ``position_start``) and, for the rows that allot rights, ``allotments_create_many``
(those of ``allotment_create``), so the file leaves exactly the events the forms would; a refusal at any row rolls every row back (docs/domain.md
readings R58, R65).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from grants.bulk import rows as bulk_rows
from grants.models import HolderImport, Series
from holders import services as holder_services

from .allotment import AllotmentRow, allotments_create_many

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
BATCH = 500  # rows per batch: one bulk insert of its allotments, lots and events, and one progress step


def holder_import_read(
    *, data: bytes, filename: str, company: Company, series: Series | None, actor: User
) -> HolderImport:
    """Read a file into a preview with every row's problems. Writes no register record or event:
    the preview is a working paper, not a change (raises ValidationError for an unreadable file)."""
    if series is not None:
        if series.company_id != company.pk:
            raise ValidationError(_("The series belongs to another company."), code="company")
        if series.status != Series.Status.RESOLVED:
            raise ValidationError(
                _("Rights can be allotted only in a series resolved by the board; this one is %(status)s.")
                % {"status": series.get_status_display()},
                code="status",
            )
    try:
        table = bulk_rows.read_table(data, filename)
    except bulk_rows.FileProblem as exc:
        raise ValidationError(str(exc), code="file") from exc
    wide = bulk_rows.file_problems(table, company, series)
    stored = []
    for index, row in enumerate(table):
        problems = bulk_rows.row_problems(row, with_series=series is not None) + wide.get(index, [])
        stored.append({"line": index + 2, "values": row, "problems": problems})
    batch = HolderImport(
        company=company,
        series=series,
        filename=filename[:255],
        rows=stored,
        problem_rows=sum(1 for r in stored if r["problems"]),
        uploaded_by=actor,
    )
    batch.save()
    return batch


def holder_import_claim(*, batch: HolderImport) -> bool:
    """Mark a clean preview as queued, once: a second confirmation (or a second tab) gets False."""
    if batch.problem_rows:
        raise ValidationError(_("Fix the rows with problems and upload the file again."), code="problems")
    return bool(
        HolderImport.objects.filter(pk=batch.pk, status=HolderImport.Status.PREVIEWED, problem_rows=0).update(
            status=HolderImport.Status.QUEUED
        )
    )


def holder_import_run(*, batch: HolderImport, actor: User, progress: Progress | None = None) -> HolderImport:
    """Import every row of a claimed batch in one transaction, or none: a refusal names its line.

    Rows go in batches of ``BATCH``, each written with bulk inserts (docs/domain.md reading R65)."""
    claimed = HolderImport.objects.filter(
        pk=batch.pk, status__in=[HolderImport.Status.QUEUED, HolderImport.Status.RUNNING]
    ).update(status=HolderImport.Status.RUNNING)
    batch = HolderImport.objects.select_related("company", "series").get(pk=batch.pk)
    if not claimed:
        return batch  # already done or refused: a repeated job changes nothing
    total = len(batch.rows)
    created = allotted = 0
    try:
        with transaction.atomic():
            for start in range(0, total, BATCH):
                chunk = batch.rows[start : start + BATCH]
                allotted += _import_chunk(batch, chunk, actor)
                created += len(chunk)
                if progress is not None:
                    progress(created, total)
    except ValidationError as exc:
        batch.status, batch.error = HolderImport.Status.FAILED, "; ".join(exc.messages)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "error", "finished_at"])
        logger.info("holder import %s refused: %s", batch.pk, batch.error)
        return batch
    batch.status, batch.error = HolderImport.Status.DONE, ""
    batch.holders_created, batch.allotments_created = created, allotted
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "holders_created", "allotments_created", "finished_at"])
    return batch


def _refused(line: int, reason: str) -> ValidationError:
    return ValidationError(_("Line %(line)d: %(reason)s") % {"line": line, "reason": reason}, code="row")


def _import_chunk(batch: HolderImport, chunk: list[dict], actor: User) -> int:
    """One batch of rows; returns how many allotments it made."""
    people, cleaned = [], []
    for stored in chunk:
        problems = bulk_rows.row_problems(stored["values"], with_series=batch.series is not None)
        if problems:
            raise _refused(stored["line"], "; ".join(problems))
        row = bulk_rows.cleaned(stored["values"])
        cleaned.append(row)
        people.append(
            holder_services.NewHolder(
                name=row["name"],
                name_kana=row["name_kana"],
                address=row["address"],
                address_from=row["since"],
                email=row["email"],
                title=row["title"],
                started_on=row["since"],
            )
        )
    lines = [stored["line"] for stored in chunk]
    with _lines(lines):
        holders = holder_services.holders_create_many(people=people, company=batch.company, actor=actor)
    allotting = [
        (h, row, line) for h, row, line in zip(holders, cleaned, lines, strict=True) if row["rights"]
    ]
    if not allotting:
        return 0
    assert batch.series is not None  # row_problems refuses rights without a series
    with _lines([line for _h, _row, line in allotting]):
        allotments_create_many(
            series=batch.series,
            rows=[
                AllotmentRow(holder=h, rights=row["rights"], category=row["title"])
                for h, row, _l in allotting
            ],
            actor=actor,
            batch_size=len(allotting),
        )
    return len(allotting)


@contextmanager
def _lines(lines: list[int]) -> Iterator[None]:
    """A bulk service's refusal of its row N becomes a refusal of that row's line in the file."""
    try:
        yield
    except ValidationError as exc:
        if exc.code == "row" and exc.params:
            raise _refused(lines[exc.params["row"] - 1], exc.params["reason"]) from exc
        raise _refused(lines[0], "; ".join(exc.messages)) from exc
