"""The register PDF of a big register, prepared by the worker (tasks run inline, as in tests/jobs):
asking, following, downloading, joining, failing and asking again; the chunked document's pages."""

import hashlib
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from companies.models import CompanyAccess
from equityplan.exports import render_pdf_chunks
from grants.selectors.register import register_with_totals_as_of
from papers import pdfjob_views, pdfjobs
from papers.models import RegisterPdfJob
from papers.registerdoc import issuers, register_sections
from tests.factories import CompanyFactory, legal_user, make_series

Status = RegisterPdfJob.Status
AS_OF = "2014-01-01"


@pytest.fixture
def small_limits(settings):
    """A register of 17 entries counts as big, laid out 6 entries at a time."""
    settings.REGISTER_PDF_SYNC_MAX_ROWS = 5
    settings.REGISTER_PDF_CHUNK_ROWS = 6


@pytest.fixture
def client_legal(client, legal):
    client.force_login(legal)
    return client


@pytest.fixture
def fast_pdf(monkeypatch):
    """The worker's layout replaced by a tiny PDF, for tests of who gets what: the contexts it was
    given are kept (the register's scope is in them)."""
    given: list[dict] = []

    def fake(*, template_name, chunks, numbers_template, out, progress=None):
        for n, context in enumerate(chunks, start=1):
            given.append(context)
            if progress is not None:
                progress(n)
        out.write(b"%PDF-1.7 fake")
        return 1

    monkeypatch.setattr(pdfjobs, "render_pdf_chunks", fake)
    return given


def _pages_text(content: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages]


def _footers(content: bytes) -> list[tuple[int, int]]:
    found = []
    for text in _pages_text(content):
        numbers = re.findall(r"page (\d+) of (\d+)", text)
        assert len(numbers) == 1, text[-200:]
        found.append((int(numbers[0][0]), int(numbers[0][1])))
    return found


def _start(client, captured, **data):
    with captured(execute=True):
        return client.post(reverse("papers:register_pdf_start"), {"as_of": AS_OF, **data})


# --- the document in parts -----------------------------------------------------------------------


def test_a_section_is_cut_where_the_chunk_is_full_and_its_subtotal_comes_once(seed_series):
    register = register_with_totals_as_of(as_of=date(2014, 1, 1))
    sections = register_sections(list(register.rows), list(register.totals))
    assert len(sections) == 1 and len(sections[0].rows) == 17
    chunks = list(pdfjobs.section_parts(sections, size=6))
    assert [[len(p.rows) for p in parts] for parts in chunks] == [[6], [6], [5]]
    parts = [p for parts in chunks for p in parts]
    assert [p.first for p in parts] == [True, False, False] and [p.last for p in parts] == [
        False,
        False,
        True,
    ]
    assert [r for p in parts for r in p.rows] == sections[0].rows  # every entry once, in order
    # Exactly full: no empty chunk after it.
    assert [[len(p.rows) for p in parts] for parts in pdfjobs.section_parts(sections, size=17)] == [[17]]


def test_an_empty_register_is_one_chunk_with_its_balance(db):
    chunks = list(pdfjobs.section_parts([], size=3))
    assert chunks == [[]]
    contexts = pdfjobs.document_contexts({"sections": []}, size=3)
    assert len(contexts) == 1 and contexts[0]["first"] and contexts[0]["last"]


def test_the_chunked_pdf_numbers_its_pages_across_the_chunks(seed_series):
    register = register_with_totals_as_of(as_of=date(2014, 1, 1))
    rows, totals = list(register.rows), list(register.totals)
    sections = register_sections(rows, totals)
    data = {
        "as_of": date(2014, 1, 1),
        "known_on": None,
        "series": None,
        "sections": sections,
        "totals": totals,
        "issuers": issuers(sections),
        "prepared_at": timezone.localtime(),
    }
    done: list[int] = []
    out = io.BytesIO()
    pages = render_pdf_chunks(
        template_name=pdfjobs.TEMPLATE,
        chunks=pdfjobs.document_contexts(data, size=4),
        numbers_template=pdfjobs.NUMBERS_TEMPLATE,
        out=out,
        progress=done.append,
    )
    content = out.getvalue()
    assert done == [1, 2, 3, 4, 5]  # 17 entries, 4 a chunk
    assert len(PdfReader(io.BytesIO(content)).pages) == pages >= 5
    assert _footers(content) == [(n, pages) for n in range(1, pages + 1)]
    text = " ".join(_pages_text(content))
    assert text.count("Register of stock acquisition rights Companies Act") == 1  # the head once
    assert text.count("Subtotal: 17 holders") == 1 and text.count("(continued)") == 4
    assert text.count("Balance of each series") == 1
    for row in rows:
        assert row.holder.name in text


# --- asking, following, downloading ------------------------------------------------------------


def test_a_big_register_pdf_is_prepared_by_the_worker_and_downloaded(
    client_legal, seed_series, legal, small_limits, django_capture_on_commit_callbacks, monkeypatch
):
    seen: list[tuple[int, int]] = []
    real_progress = pdfjobs._progress

    def watch(job_id, attempt, rows_done):
        real_progress(job_id, attempt, rows_done)
        job = RegisterPdfJob.objects.get(pk=job_id)
        seen.append((job.rows_done, job.rows_total))

    monkeypatch.setattr(pdfjobs, "_progress", watch)
    offer = client_legal.get(reverse("papers:register_pdf"), {"as_of": AS_OF, "series": seed_series.pk})
    assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html")
    assert b'data-testid="register-pdf-start"' in offer.content and RegisterPdfJob.objects.count() == 0
    response = _start(client_legal, django_capture_on_commit_callbacks, series=seed_series.pk)
    job = RegisterPdfJob.objects.get()
    assert response.status_code == 303 and response["Location"] == reverse(
        "papers:register_pdf_job", args=[job.pk]
    )
    assert (job.status, job.requested_by, job.as_of, job.series, job.attempts) == (
        Status.SUCCEEDED,
        legal,
        date(2014, 1, 1),
        seed_series,
        1,
    )
    assert seen == [(6, 17), (12, 17), (17, 17)]
    assert (job.rows_done, job.rows_total, job.error) == (17, 17, "")
    page = client_legal.get(reverse("papers:register_pdf_job", args=[job.pk]))
    assert b'data-testid="register-pdf-download"' in page.content and "Refresh" not in page
    download = client_legal.get(reverse("papers:register_pdf_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"register-2014-01-01-series-{seed_series.number}.pdf" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    assert hashlib.sha256(content).hexdigest() == job.sha256 and len(content) == job.size
    assert len(_footers(content)) == job.pages


def test_an_open_job_page_refreshes_itself_and_shows_progress(client_legal, seed_series, legal, small_limits):
    job, _joined = pdfjobs.register_pdf_request(
        user=legal, as_of=date(2014, 1, 1), known_on=None, series=None, language="en"
    )  # no commit in the test: the task is not sent
    RegisterPdfJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, rows_total=17, rows_done=6)
    page = client_legal.get(reverse("papers:register_pdf_job", args=[job.pk]))
    assert page.status_code == 200 and page["Refresh"] == "3"
    assert b"6 of 17 entries laid out." in page.content
    assert b'data-testid="register-pdf-download"' not in page.content
    assert client_legal.get(reverse("papers:register_pdf_download", args=[job.pk])).status_code == 404


def test_a_small_register_is_still_laid_out_in_the_request(client_legal, seed_series):
    response = client_legal.get(reverse("papers:register_pdf"), {"as_of": AS_OF})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _footers(response.content)[-1][0] == _footers(response.content)[-1][1]
    assert RegisterPdfJob.objects.count() == 0


# --- who may see it ------------------------------------------------------------------------------


def test_only_the_person_who_asked_gets_the_job(
    client_legal, seed_series, legal, small_limits, django_capture_on_commit_callbacks, fast_pdf
):
    _start(client_legal, django_capture_on_commit_callbacks)
    job = RegisterPdfJob.objects.get()
    assert job.status == Status.SUCCEEDED
    other = Client()
    other.force_login(legal_user("another_legal"))
    for name in ("papers:register_pdf_job", "papers:register_pdf_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("papers:register_pdf_retry", args=[job.pk])).status_code == 404
    anonymous = Client().get(reverse("papers:register_pdf_download", args=[job.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_the_asker_loses_the_file_when_they_no_longer_read_its_companies(
    client_legal, seed_series, legal, small_limits, django_capture_on_commit_callbacks, fast_pdf
):
    _start(client_legal, django_capture_on_commit_callbacks)
    job = RegisterPdfJob.objects.get()
    assert job.companies is None  # asked for while reading every company
    CompanyAccess.objects.create(user=legal, company=CompanyFactory())
    assert client_legal.get(reverse("papers:register_pdf_download", args=[job.pk])).status_code == 404


def test_a_limited_reader_gets_their_companies_only(
    client, seed_series, small_limits, django_capture_on_commit_callbacks, fast_pdf
):
    reader = legal_user("limited_legal")
    other_company = CompanyFactory()
    other_series = make_series(actor=reader, company=other_company, number=50)
    CompanyAccess.objects.create(user=reader, company=seed_series.company)
    client.force_login(reader)
    _start(client, django_capture_on_commit_callbacks)
    job = RegisterPdfJob.objects.get()
    assert job.companies == [seed_series.company_id] and job.status == Status.SUCCEEDED
    laid_out = {part.section.series for context in fast_pdf for part in context["parts"]}
    assert laid_out == {seed_series} and other_series not in laid_out
    assert client.get(reverse("papers:register_pdf_download", args=[job.pk])).status_code == 200


# --- joining, failing, asking again ---------------------------------------------------------


def test_asking_again_while_it_runs_joins_the_job(
    client_legal, seed_series, small_limits, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        first = client_legal.post(reverse("papers:register_pdf_start"), {"as_of": AS_OF})
        second = client_legal.post(reverse("papers:register_pdf_start"), {"as_of": AS_OF})
    assert RegisterPdfJob.objects.count() == 1 and len(sent) == 1
    assert first["Location"] == second["Location"]
    # Another date, or another scope, is another job.
    with django_capture_on_commit_callbacks(execute=False):
        client_legal.post(reverse("papers:register_pdf_start"), {"as_of": "2014-01-02"})
        client_legal.post(reverse("papers:register_pdf_start"), {"as_of": AS_OF, "series": seed_series.pk})
    assert RegisterPdfJob.objects.count() == 3


def test_a_failed_job_shows_its_error_and_can_be_asked_for_again(
    client_legal, seed_series, small_limits, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdfjobs, "render_pdf_chunks", broken)
    _start(client_legal, django_capture_on_commit_callbacks)
    job = RegisterPdfJob.objects.get()
    assert job.status == Status.FAILED and "disk full" in job.error and not job.file
    page = client_legal.get(reverse("papers:register_pdf_job", args=[job.pk]))
    assert b"disk full" in page.content and b'data-testid="register-pdf-retry"' in page.content
    assert client_legal.get(reverse("papers:register_pdf_download", args=[job.pk])).status_code == 404
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = client_legal.post(reverse("papers:register_pdf_retry", args=[job.pk]))
    assert again.status_code == 303
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (Status.SUCCEEDED, 2, "")
    assert default_storage.exists(job.file.name)


def test_a_running_job_is_not_asked_for_again_until_it_has_gone_quiet(client_legal, legal, seed_series):
    job, _joined = pdfjobs.register_pdf_request(
        user=legal, as_of=date(2014, 1, 1), known_on=None, series=None, language="en"
    )
    assert not pdfjobs.register_pdf_retry(job=job)
    RegisterPdfJob.objects.filter(pk=job.pk).update(touched_at=timezone.now() - timedelta(hours=1))
    job.refresh_from_db()
    assert pdfjobs.can_send_again(job) and pdfjobs.register_pdf_retry(job=job)


def test_a_duplicate_message_of_a_finished_job_does_nothing(legal, seed_series, small_limits, fast_pdf):
    job, _joined = pdfjobs.register_pdf_request(
        user=legal, as_of=date(2014, 1, 1), known_on=None, series=None, language="en"
    )
    assert pdfjobs.register_pdf_run(job_id=job.pk) == "succeeded"
    first = RegisterPdfJob.objects.get(pk=job.pk)
    assert pdfjobs.register_pdf_run(job_id=job.pk) == "skipped"
    assert RegisterPdfJob.objects.get(pk=job.pk).attempts == first.attempts == 1


def test_a_redelivered_run_takes_over_and_the_earlier_one_gives_way(
    legal, seed_series, small_limits, monkeypatch
):
    """A worker died mid-run and the message came back: the second run claims the job, and when the
    first one finishes after all, its file is dropped rather than kept."""
    job, _joined = pdfjobs.register_pdf_request(
        user=legal, as_of=date(2014, 1, 1), known_on=None, series=None, language="en"
    )
    real_build = pdfjobs._build
    stored: list[str] = []

    def build_while_another_run_starts(job):
        result = real_build(job)
        stored.append(result[0])
        RegisterPdfJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)  # the other run's claim
        return result

    monkeypatch.setattr(pdfjobs, "_build", build_while_another_run_starts)
    assert pdfjobs.register_pdf_run(job_id=job.pk) == "superseded"
    assert len(stored) == 1 and not default_storage.exists(stored[0])
    assert RegisterPdfJob.objects.get(pk=job.pk).status == Status.RUNNING


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"as_of": "2013-02-30"},
        {"as_of": "../../etc/passwd"},
        {"as_of": "2014-01-01\x00"},
        {"as_of": "99999-01-01"},
        {"as_of": AS_OF, "known_on": "yesterday"},
        {"as_of": AS_OF, "series": "1 OR 1=1"},
        {"as_of": AS_OF, "series": "999999"},
        {"as_of": AS_OF, "series": "-1"},
    ],
)
def test_hostile_input_on_the_start_form_is_refused_and_writes_nothing(client_legal, seed_series, data):
    response = client_legal.post(reverse("papers:register_pdf_start"), data)
    assert response.status_code == 400
    assert b'data-testid="register-pdf-errors"' in response.content
    assert RegisterPdfJob.objects.count() == 0


def test_another_companys_series_cannot_be_asked_for(client, seed_series):
    reader = legal_user("limited_reader")
    CompanyAccess.objects.create(user=reader, company=CompanyFactory())
    client.force_login(reader)
    response = client.post(reverse("papers:register_pdf_start"), {"as_of": AS_OF, "series": seed_series.pk})
    assert response.status_code == 400 and RegisterPdfJob.objects.count() == 0


def test_the_start_form_needs_a_post_with_its_csrf_token(seed_series, legal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(legal)
    assert client.get(reverse("papers:register_pdf_start"), {"as_of": AS_OF}).status_code == 405
    assert client.post(reverse("papers:register_pdf_start"), {"as_of": AS_OF}).status_code == 403
    assert RegisterPdfJob.objects.count() == 0


def test_the_pages_list_the_jobs_in_a_fixed_number_of_queries(
    client_legal, seed_series, legal, small_limits, django_assert_max_num_queries
):
    def ask(n: int) -> None:
        for day in range(n):
            job, _joined = pdfjobs.register_pdf_request(
                user=legal,
                as_of=date(2014, 1, 1) + timedelta(days=day),
                known_on=None,
                series=seed_series,
                language="en",
            )

    ask(2)
    url = reverse("papers:register_pdf")
    client_legal.get(url, {"as_of": AS_OF})  # the session and second-factor checks, once
    with django_assert_max_num_queries(30) as few:
        client_legal.get(url, {"as_of": AS_OF})
    ask(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client_legal.get(url, {"as_of": AS_OF})
    assert response.content.count(b'href="/register/pdf/') == pdfjob_views.RECENT_JOBS
    job = RegisterPdfJob.objects.first()
    with django_assert_max_num_queries(12):
        client_legal.get(reverse("papers:register_pdf_job", args=[job.pk]))
