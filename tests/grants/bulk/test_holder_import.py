"""Bulk entry of holders: the preview lists every problem, the import is all or nothing, large files
run through the outbox, and each row leaves exactly the events of the forms."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grants.models import Allotment, HolderImport, LedgerEvent
from grants.services.bulk_import import holder_import_claim, holder_import_read, holder_import_run
from holders.models import Holder, HolderEvent, Position
from jobs.models import OutboxJob
from tests.factories import CompanyFactory, allot, issuer, make_holder, make_series

pytestmark = pytest.mark.django_db
HEADER = ["name", "name_kana", "address", "email", "position", "since", "rights"]


def rows(n: int, *, rights: str = "2") -> list[list[str]]:
    return [
        [
            f"Person {i}",
            f"パーソン {i}",
            f"{i}-1 Marunouchi, Tokyo",
            f"p{i}@example.jp",
            "director",
            "2024-04-01",
            rights,
        ]
        for i in range(n)
    ]


def csv_bytes(body: list[list[str]], header=HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(body: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in [HEADER, *body]:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_bad_row_is_listed_and_nothing_is_written(legal):
    company = issuer()
    series = make_series(actor=legal, company=company)
    make_holder(actor=legal, name="Already Here", company=company)
    body = rows(4)
    body[0][5] = "2024-02-30"  # no such day
    body[1][4] = "chairman"
    body[2][6] = "-3"
    body[3] = ["Already Here", "", "somewhere", "not-an-address", "director", "2024-04-01", ""]
    holders_before = Holder.objects.count()
    batch = holder_import_read(
        data=csv_bytes(body), filename="new.csv", company=company, series=series, actor=legal
    )
    problems = [r["problems"] for r in batch.rows]
    assert batch.problem_rows == 4
    assert "2024-02-30 is not a date (write 2026-04-01)." in problems[0]
    assert any("Position must be" in p for p in problems[1])
    assert any("-3" in p for p in problems[2])
    assert any("not-an-address" in p for p in problems[3])
    assert any("already holds office" in p for p in problems[3])
    assert Holder.objects.count() == holders_before
    with pytest.raises(Exception, match="Fix the rows"):
        holder_import_claim(batch=batch)


def test_more_rights_than_the_series_has_left_marks_the_allotting_rows(legal):
    series = make_series(actor=legal, max_rights=5)
    batch = holder_import_read(
        data=csv_bytes(rows(3)), filename="x.csv", company=series.company, series=series, actor=legal
    )
    assert batch.problem_rows == 3
    assert "only 5 are left" in batch.rows[0]["problems"][0]


def test_rights_without_a_series_and_a_person_twice_are_problems(legal):
    body = rows(2)
    body[1][:2] = body[0][:2]
    batch = holder_import_read(
        data=csv_bytes(body), filename="x.csv", company=issuer(), series=None, actor=legal
    )
    assert any("no series was chosen" in p for p in batch.rows[0]["problems"])
    assert any("line 2" in p for p in batch.rows[1]["problems"])


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "empty"),
        (b"name,address\nA,B\n", "x.csv", "missing: position, since"),
        (b"not a zip", "x.xlsx", "not an Excel workbook"),
        (b"\xff\xfe\x00garbage\x81", "x.csv", "neither UTF-8 nor Shift_JIS"),
        (b"PK\x03\x04broken", "x.xlsx", "xlsx\\) that can be read"),
    ],
)
def test_unreadable_files_are_refused_whole(legal, data, name, message):
    with pytest.raises(Exception, match=message):
        holder_import_read(data=data, filename=name, company=issuer(), series=None, actor=legal)
    assert not HolderImport.objects.exists()


def test_japanese_headers_excel_dates_and_the_events_of_the_forms(legal):
    series = make_series(actor=legal)
    book = Workbook()
    sheet = book.active
    sheet.append(["氏名", "フリガナ", "住所", "メールアドレス", "役職", "就任日", "割当個数"])
    sheet.append(["佐藤 一郎", "サトウ イチロウ", "東京都港区1-1", "", "執行役員", date(2024, 4, 1), 7])
    out = io.BytesIO()
    book.save(out)
    batch = holder_import_read(
        data=out.getvalue(), filename="a.xlsx", company=series.company, series=series, actor=legal
    )
    assert batch.problem_rows == 0, batch.rows
    assert holder_import_claim(batch=batch)
    assert not holder_import_claim(batch=batch)  # a second confirmation imports nothing twice
    batch = holder_import_run(batch=batch, actor=legal)
    assert (batch.status, batch.holders_created, batch.allotments_created) == ("done", 1, 1)
    holder = Holder.objects.get(name="佐藤 一郎")
    assert holder.positions.get().title == Position.Title.EXECUTIVE_OFFICER
    assert holder.current_address == "東京都港区1-1"
    assert list(holder.events.order_by("pk").values_list("event_type", flat=True)) == [
        HolderEvent.Type.CREATED,
        HolderEvent.Type.POSITION_STARTED,
    ]
    allotment = Allotment.objects.get(holder=holder)
    assert (allotment.rights, allotment.category) == (7, "executive_officer")
    assert (
        LedgerEvent.objects.filter(
            holder=holder, event_type=LedgerEvent.Type.ALLOTTED, recorded_by=legal
        ).count()
        == 1
    )
    assert holder_import_run(batch=batch, actor=legal).holders_created == 1  # run again: nothing new
    assert Holder.objects.filter(name="佐藤 一郎").count() == 1


def test_a_refusal_at_the_last_row_rolls_back_every_row(legal):
    series = make_series(actor=legal, max_rights=100)
    batch = holder_import_read(
        data=csv_bytes(rows(5)), filename="x.csv", company=series.company, series=series, actor=legal
    )
    assert holder_import_claim(batch=batch)
    # Between the preview and the import someone else took the series' rights.
    allot(series=series, holder=make_holder(actor=legal), rights=92, actor=legal)
    holders_before = Holder.objects.count()
    batch = holder_import_run(batch=batch, actor=legal)
    assert batch.status == HolderImport.Status.FAILED
    assert batch.error.startswith("Line 6:")
    assert "Only 0 of the maximum 100" in batch.error
    assert Holder.objects.count() == holders_before
    assert not Holder.objects.filter(name="Person 0").exists()


def test_pages_preview_confirm_and_refuse_another_companys_file(client, legal):
    company = issuer()
    series = make_series(actor=legal, company=company)
    client.force_login(legal)
    page = client.get(reverse("grants:holder_import"))
    assert page.status_code == 200
    upload = io.BytesIO(xlsx_bytes(rows(3)))
    upload.name = "three.xlsx"
    response = client.post(
        reverse("grants:holder_import"), {"company": company.pk, "series": series.pk, "file": upload}
    )
    batch = HolderImport.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    preview = client.get(batch.get_absolute_url())
    assert preview.status_code == 200
    assert b'data-testid="confirm-import"' in preview.content
    assert b"Person 2" in preview.content
    response = client.post(reverse("grants:holder_import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "done" and batch.holders_created == 3
    assert Allotment.objects.filter(series=series).count() == 3
    progress = client.get(reverse("grants:holder_import_progress", args=[batch.pk])).json()
    assert progress == {"status": "done", "label": "Imported", "done": 3, "total": 3}

    from companies.models import CompanyAccess

    other = CompanyFactory()
    CompanyAccess.objects.create(user=legal, company=other)
    legal._visible_company_ids = None
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(reverse("grants:holder_import_confirm", args=[batch.pk])).status_code == 404


def test_the_upload_refuses_an_oversized_file_and_auditors(client, legal, auditor, settings):
    settings.BULK_IMPORT_MAX_BYTES = 100
    client.force_login(legal)
    upload = io.BytesIO(csv_bytes(rows(5)))
    upload.name = "big.csv"
    response = client.post(reverse("grants:holder_import"), {"company": issuer().pk, "file": upload})
    assert response.status_code == 200
    assert "the limit is 100" in response.content.decode()
    assert not HolderImport.objects.exists()
    client.force_login(auditor)
    assert client.get(reverse("grants:holder_import")).status_code == 403


def test_a_large_file_goes_through_the_outbox(client, legal, settings):
    settings.BULK_IMPORT_INLINE_ROWS = 2
    company = issuer()
    batch = holder_import_read(
        data=csv_bytes(rows(4, rights="")), filename="x.csv", company=company, series=None, actor=legal
    )
    client.force_login(legal)
    client.post(reverse("grants:holder_import_confirm", args=[batch.pk]))
    job = OutboxJob.objects.get(task="grants.holder_import")
    assert job.kwargs == {"batch_id": batch.pk, "actor_id": legal.pk}
    batch.refresh_from_db()
    # The tests' Celery runs eagerly when the broker answers; without it the job waits as pending.
    if job.status == OutboxJob.Status.PENDING:
        from jobs.services import job_run

        job_run(job_id=job.pk)
        batch.refresh_from_db()
    assert batch.status == "done" and batch.holders_created == 4


def test_the_templates_are_readable_by_the_importer(client, legal):
    client.force_login(legal)
    xlsx = client.get(reverse("grants:holder_import_template", args=["xlsx"]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="holders-template.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    company = issuer()
    series = make_series(actor=legal, company=company)
    for fmt in ("xlsx", "csv"):
        data = client.get(reverse("grants:holder_import_template", args=[fmt])).content
        batch = holder_import_read(
            data=data, filename=f"t.{fmt}", company=company, series=series, actor=legal
        )
        assert batch.problem_rows == 0, batch.rows
    assert client.get("/holders/import/template.pdf").status_code == 404


def test_the_preview_page_queries_stay_flat(client, legal, django_assert_max_num_queries):
    batch = holder_import_read(
        data=csv_bytes(rows(300, rights="")), filename="x.csv", company=issuer(), series=None, actor=legal
    )
    client.force_login(legal)
    with django_assert_max_num_queries(12):
        assert client.get(batch.get_absolute_url()).status_code == 200


def test_a_queued_import_shows_the_progress_bar_from_a_static_script(client, legal):
    from grants.bulk import progress

    batch = holder_import_read(
        data=csv_bytes(rows(3, rights="")), filename="x.csv", company=issuer(), series=None, actor=legal
    )
    holder_import_claim(batch=batch)
    progress.record(batch.pk, 2)
    client.force_login(legal)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-import-progress="/holders/import/' in page
    assert "2 / 3" in page
    assert "/static/js/import_progress.js" in page and "<script>" not in page
    assert client.get(reverse("grants:holder_import_progress", args=[batch.pk])).json() == {
        "status": "queued",
        "label": "Waiting to be imported",
        "done": 2,
        "total": 3,
    }


def test_the_import_goes_in_batches_and_tells_its_progress_after_each(legal, monkeypatch):
    monkeypatch.setattr("grants.services.bulk_import.BATCH", 2)
    series = make_series(actor=legal, max_rights=100)
    batch = holder_import_read(
        data=csv_bytes(rows(5)), filename="x.csv", company=series.company, series=series, actor=legal
    )
    assert holder_import_claim(batch=batch)
    told = []
    batch = holder_import_run(
        batch=batch, actor=legal, progress=lambda done, total: told.append((done, total))
    )
    assert (batch.status, batch.holders_created, batch.allotments_created) == ("done", 5, 5)
    assert told == [(2, 5), (4, 5), (5, 5)]
    after = [
        e.payload["allotted_rights_after"]
        for e in LedgerEvent.objects.filter(series=series, event_type="allotted").order_by("pk")
    ]
    assert after == [2, 4, 6, 8, 10]


def test_a_refusal_in_a_later_batch_names_its_line_and_rolls_back_the_earlier_batches(legal, monkeypatch):
    monkeypatch.setattr("grants.services.bulk_import.BATCH", 2)
    series = make_series(actor=legal, max_rights=100)
    body = rows(5)
    body[1][6] = ""  # line 3 allots nothing: the refused row's line is still found
    batch = holder_import_read(
        data=csv_bytes(body), filename="x.csv", company=series.company, series=series, actor=legal
    )
    assert holder_import_claim(batch=batch)
    allot(series=series, holder=make_holder(actor=legal), rights=95, actor=legal)  # 5 left: rows 1, 3 fit
    holders_before, events_before = Holder.objects.count(), LedgerEvent.objects.count()

    batch = holder_import_run(batch=batch, actor=legal)

    assert batch.status == HolderImport.Status.FAILED
    assert (
        batch.error == "Line 5: Only 1 of the maximum 100 rights are left in this series; 2 were asked for."
    )
    assert (Holder.objects.count(), LedgerEvent.objects.count()) == (holders_before, events_before)
    assert Allotment.objects.filter(series=series).count() == 1


def test_the_background_job_records_the_rows_done_after_each_batch(legal, monkeypatch):
    from grants.bulk import progress
    from jobs.holder_import import holder_import

    monkeypatch.setattr("grants.services.bulk_import.BATCH", 2)
    recorded = []
    monkeypatch.setattr(progress, "record", lambda batch_id, done: recorded.append((batch_id, done)))
    series = make_series(actor=legal)
    batch = holder_import_read(
        data=csv_bytes(rows(5)), filename="x.csv", company=series.company, series=series, actor=legal
    )
    assert holder_import_claim(batch=batch)
    result = holder_import(batch_id=batch.pk, actor_id=legal.pk)
    assert (result["status"], result["holders_created"], result["allotments_created"]) == ("done", 5, 5)
    assert recorded == [(batch.pk, 2), (batch.pk, 4), (batch.pk, 5)]
