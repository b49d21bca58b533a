"""The register PDF of a big register, prepared by the worker in chunks (docs/reliability.md fact 17).

A register of more than REGISTER_PDF_SYNC_MAX_ROWS entries is not laid out in the request: asking
for it writes a ``RegisterPdfJob``, sent to Celery once that commits. The worker lays the register
out REGISTER_PDF_CHUNK_ROWS entries at a time (equityplan.exports.render_pdf_chunks), so its memory
follows the chunk, and keeps the row's progress. The file goes to the default storage; only the
person who asked, while they may still read every company in it, gets it.

Asking again for the same register (person, scope, as of, as known on, language) while one is being
prepared joins that job. These rows are bookkeeping of the papers, not legal records: writing them
calls no service of another app.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from companies.access import company_ids
from equityplan.clock import today
from equityplan.exports import render_pdf_chunks
from grants.models import Series
from grants.selectors.register import RegisterRow, register_with_totals_as_of

from .models import RegisterPdfJob
from .registerdoc import RegisterSection, issuers, register_sections

logger = logging.getLogger("equityplan.papers")

Status = RegisterPdfJob.Status
TASK_NAME = "papers.register_pdf"
TEMPLATE = "papers/register_pdf.html"
NUMBERS_TEMPLATE = "papers/register_pdf_numbers.html"


def sync_max_rows() -> int:
    return int(getattr(settings, "REGISTER_PDF_SYNC_MAX_ROWS", 500))


def chunk_rows() -> int:
    return max(1, int(getattr(settings, "REGISTER_PDF_CHUNK_ROWS", 400)))


def stale_after() -> timedelta:
    """An open job with no news for this long may be sent again (its message or worker was lost)."""
    return timedelta(seconds=int(getattr(settings, "REGISTER_PDF_STALE_SECONDS", 600)))


# --- the document in parts -------------------------------------------------------------------


@dataclass(frozen=True)
class SectionPart:
    """Some of a section's entries: the head comes with the first part, the subtotal with the last."""

    section: RegisterSection
    rows: list[RegisterRow]
    first: bool
    last: bool


def section_parts(sections: list[RegisterSection], *, size: int) -> Iterator[list[SectionPart]]:
    """The sections cut into chunks of at most ``size`` entries (a section with none counts as one)."""
    chunk: list[SectionPart] = []
    room = size
    for section in sections:
        rows = section.rows
        if not rows:
            if room < 1:
                yield chunk
                chunk, room = [], size
            chunk.append(SectionPart(section=section, rows=[], first=True, last=True))
            room -= 1
            continue
        start = 0
        while start < len(rows):
            if room < 1:
                yield chunk
                chunk, room = [], size
            end = min(len(rows), start + room)
            chunk.append(
                SectionPart(section=section, rows=rows[start:end], first=start == 0, last=end == len(rows))
            )
            room -= end - start
            start = end
    yield chunk  # the last chunk (the balance is in it), even for an empty register


def document_contexts(data: dict, *, size: int) -> list[dict]:
    """The template's context for each chunk: the head in the first, the balance in the last."""
    chunks = list(section_parts(data["sections"], size=size))
    return [
        {**data, "parts": parts, "first": n == 0, "last": n == len(chunks) - 1}
        for n, parts in enumerate(chunks)
    ]


def whole_document(data: dict) -> dict:
    """The context of the register in one document (the PDF laid out in the request)."""
    parts = next(
        section_parts(data["sections"], size=max(1, sum(len(s.rows) or 1 for s in data["sections"])))
    )
    return {**data, "parts": parts, "first": True, "last": True}


# --- asking, running, asking again -------------------------------------------------------------


def dedupe_key(
    *, user, as_of: date, known_on: date | None, series: Series | None, companies, language: str
) -> str:
    scope = "all" if companies is None else ",".join(str(pk) for pk in sorted(companies))
    series_part = series.pk if series is not None else "all"
    return f"{user.pk}:{as_of.isoformat()}:{known_on.isoformat() if known_on else ''}:{series_part}:{scope}:{language}"[
        :200
    ]


def _send(job_id: int) -> None:
    """Hand the job to Celery; with the queue down the row stays queued and may be sent again."""
    from equityplan.celery import app

    try:
        app.tasks[TASK_NAME].apply_async(args=[job_id], retry=False)
    except Exception as exc:  # the broker is down: nothing is lost, the page offers to send it again
        logger.warning("register PDF %s not sent to the queue (%s); it stays queued", job_id, exc)


def register_pdf_request(
    *, user, as_of: date, known_on: date | None, series: Series | None, language: str
) -> tuple[RegisterPdfJob, bool]:
    """The job preparing this register for ``user``: the open one for the same register, or a new one.
    Returns the job and whether it was joined rather than started."""
    companies = company_ids(user)
    scope = None if companies is None else sorted(companies)
    key = dedupe_key(
        user=user, as_of=as_of, known_on=known_on, series=series, companies=scope, language=language
    )
    with transaction.atomic():
        job = RegisterPdfJob.objects.filter(dedupe_key=key, status__in=RegisterPdfJob.OPEN_STATUSES).first()
        if job is not None:
            return job, True
        job = RegisterPdfJob(
            requested_by=user,
            as_of=as_of,
            known_on=known_on,
            series=series,
            companies=scope,
            language=language,
            dedupe_key=key,
        )
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:  # asked for twice at once: the other request's job is the one
            return RegisterPdfJob.objects.get(dedupe_key=key, status__in=RegisterPdfJob.OPEN_STATUSES), True
        job_id = job.pk
        transaction.on_commit(lambda: _send(job_id))
    return job, False


def can_send_again(job: RegisterPdfJob, *, now=None) -> bool:
    now = now or timezone.now()
    return job.status == Status.FAILED or (job.is_open and job.touched_at < now - stale_after())


def register_pdf_retry(*, job: RegisterPdfJob) -> bool:
    """Queue a failed job (or one with no news for too long) again. False when it may not be."""
    now = timezone.now()
    retryable = Q(status=Status.FAILED) | Q(
        status__in=RegisterPdfJob.OPEN_STATUSES, touched_at__lt=now - stale_after()
    )
    with transaction.atomic():
        moved = (
            RegisterPdfJob.objects.filter(retryable, pk=job.pk)
            .exclude(
                # one open job per register: a failed one is not reopened beside a newer open one
                dedupe_key__in=RegisterPdfJob.objects.filter(status__in=RegisterPdfJob.OPEN_STATUSES)
                .exclude(pk=job.pk)
                .values("dedupe_key")
            )
            .update(status=Status.QUEUED, error="", rows_done=0, touched_at=now, finished_at=None)
        )
        if moved:
            transaction.on_commit(lambda: _send(job.pk))
    return bool(moved)


def _progress(job_id: int, attempt: int, rows_done: int) -> None:
    RegisterPdfJob.objects.filter(pk=job_id, attempts=attempt, status=Status.RUNNING).update(
        rows_done=rows_done, touched_at=timezone.now()
    )


def register_pdf_run(*, job_id: int) -> str:
    """Lay out the job's register and store it (the Celery task calls this). Never raises: a failure
    is recorded on the row, which the person may ask again for. Run twice (a redelivered message
    after a worker died), the later run's file is the one kept."""
    now = timezone.now()
    claimed = RegisterPdfJob.objects.filter(pk=job_id, status__in=RegisterPdfJob.OPEN_STATUSES).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, started_at=now, touched_at=now, rows_done=0
    )
    if not claimed:
        return "skipped"
    job = RegisterPdfJob.objects.select_related("series").get(pk=job_id)
    try:
        name, digest, size, pages, total = _build(job)
    except Exception as exc:
        if isinstance(exc, SoftTimeLimitExceeded):
            with override(job.language):
                error = _("It took longer than the worker allows; ask again, or choose one series.")
        else:
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        logger.exception("register PDF %s failed", job_id)
        RegisterPdfJob.objects.filter(pk=job_id, attempts=job.attempts).update(
            status=Status.FAILED, error=error, finished_at=timezone.now(), touched_at=timezone.now()
        )
        return "failed"
    kept = RegisterPdfJob.objects.filter(pk=job_id, attempts=job.attempts, status=Status.RUNNING).update(
        status=Status.SUCCEEDED,
        file=name,
        sha256=digest,
        size=size,
        pages=pages,
        rows_done=total,
        rows_total=total,
        error="",
        finished_at=timezone.now(),
        touched_at=timezone.now(),
    )
    if not kept:  # a later run took the job over meanwhile: its file is the one
        default_storage.delete(name)
        return "superseded"
    return "succeeded"


def _build(job: RegisterPdfJob) -> tuple[str, str, int, int, int]:
    """The register as of the job's date, in the job's scope and language, laid out and stored."""
    with override(job.language):
        register = register_with_totals_as_of(
            as_of=job.as_of, series=job.series, known_on=job.known_on, companies=job.companies
        )
        rows, totals = list(register.rows), list(register.totals)
        sections = register_sections(rows, totals)
        total = len(rows)
        RegisterPdfJob.objects.filter(pk=job.pk, attempts=job.attempts).update(rows_total=total, rows_done=0)
        data = {
            "as_of": job.as_of,
            "known_on": job.known_on,
            "series": job.series,
            "sections": sections,
            "totals": totals,
            "issuers": issuers(sections),
            "prepared_at": timezone.localtime(),
            "generated_on": today(),
        }
        contexts = document_contexts(data, size=chunk_rows())
        done_after, done = [], 0
        for context in contexts:
            done += sum(len(part.rows) for part in context["parts"])
            done_after.append(done)
        with tempfile.TemporaryFile() as out:
            pages = render_pdf_chunks(
                template_name=TEMPLATE,
                chunks=contexts,
                numbers_template=NUMBERS_TEMPLATE,
                out=out,
                progress=lambda n: _progress(job.pk, job.attempts, done_after[n - 1]),
            )
            out.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: out.read(1 << 20), b""):
                digest.update(block)
            length = out.tell()
            out.seek(0)
            name = default_storage.save(f"register-pdf/{job.pk}-{job.attempts}.pdf", File(out))
    return name, digest.hexdigest(), length, pages, total
