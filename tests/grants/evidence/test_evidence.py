"""Evidence: checked by content, size-limited, stored through the storage API, its SHA-256 on the
ledger event, served as a download only to those who may read the record."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from companies.models import CompanyAccess
from grants import services
from grants.models import Evidence, LedgerEvent
from tests.factories import CompanyFactory
from tests.factories.lifecycle import allotted_scenario, holding

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def transfer(legal):
    scenario = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)
    return services.transfer_request(
        holding=holding(scenario.series, scenario.director),
        transferee=scenario.other,
        rights=3,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<html><script>alert(1)</script></html>", "Only PDF, JPEG and PNG"),
        (b"GIF89a" + b"\x00" * 20, "Only PDF, JPEG and PNG"),
        (b"\xff\xd8\xff\xe0" + b"not really a jpeg", "cannot be opened"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage", "cannot be opened"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "no end-of-file marker"),
        (
            PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
            "JavaScript",
        ),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_and_nothing_stored(transfer, legal, data, message):
    events_before = LedgerEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.evidence_attach(
            subject=transfer, kind="board_minutes", data=data, filename="minutes.pdf", actor=legal
        )
    assert not Evidence.objects.exists()
    assert LedgerEvent.objects.count() == events_before


def test_a_png_named_pdf_is_stored_as_the_png_it_is(transfer, legal):
    data = image("PNG")
    evidence = services.evidence_attach(
        subject=transfer, kind="payment_slip", data=data, filename="slip.pdf", actor=legal
    )
    assert evidence.media_type == "image/png"
    assert evidence.file.name.endswith(".png") and "slip" not in evidence.file.name


def test_over_the_size_limit_is_refused(transfer, legal, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is 100"):
        services.evidence_attach(
            subject=transfer, kind="other", data=PDF + b" " * 100, filename="a.pdf", actor=legal
        )


def test_the_hash_is_on_the_ledger_event_and_the_file_in_storage(transfer, legal):
    data = image("JPEG")
    evidence = services.evidence_attach(
        subject=transfer, kind="signed_notice", data=data, filename='..\\..\\evil"name.jpg', actor=legal
    )
    event = evidence.ledger_event
    assert event.event_type == LedgerEvent.Type.EVIDENCE_ATTACHED
    assert event.payload["sha256"] == hashlib.sha256(data).hexdigest() == evidence.sha256
    assert event.payload["subject"] == "transfer" and event.payload["subject_id"] == transfer.pk
    assert (event.series, event.holder, event.recorded_by) == (transfer.series, transfer.transferor, legal)
    assert evidence.filename == "evilname.jpg"
    with default_storage.open(evidence.file.name, "rb") as f:
        assert f.read() == data


def test_download_headers_and_company_scoping(client, transfer, legal, auditor):
    evidence = services.evidence_attach(
        subject=transfer, kind="board_minutes", data=PDF, filename="minutes.pdf", actor=legal
    )
    client.force_login(auditor)
    response = client.get(evidence.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # Limited to another company: the document is not found, like the record.
    CompanyAccess.objects.create(user=auditor, company=CompanyFactory())
    assert client.get(evidence.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(evidence.get_absolute_url()).status_code == 302


def test_the_page_attaches_and_lists_documents(client, transfer, secretary, auditor):
    client.force_login(secretary)
    url = reverse("grants:evidence_attach", args=["transfer", transfer.pk])
    upload = io.BytesIO(PDF)
    upload.name = "board-2020-03-10.pdf"
    response = client.post(url, {"kind": "board_minutes", "file": upload})
    assert response.status_code == 302 and response.url == transfer.get_absolute_url()
    evidence = Evidence.objects.get()
    assert evidence.uploaded_by == secretary
    page = client.get(transfer.get_absolute_url())
    assert "board-2020-03-10.pdf" in page.content.decode()
    assert evidence.sha256 in page.content.decode()
    bad = io.BytesIO(b"MZ\x90\x00 an executable")
    bad.name = "minutes.pdf"
    response = client.post(url, {"kind": "board_minutes", "file": bad}, follow=True)
    assert "Only PDF, JPEG and PNG files can be attached." in response.content.decode()
    assert Evidence.objects.count() == 1
    client.force_login(auditor)
    upload.seek(0)
    assert client.post(url, {"kind": "board_minutes", "file": upload}).status_code == 403
    assert client.post(reverse("grants:evidence_attach", args=["holder", 1]), {}).status_code in (403, 404)


def test_evidence_rows_are_append_only(transfer, legal):
    evidence = services.evidence_attach(
        subject=transfer, kind="other", data=PDF, filename="a.pdf", actor=legal
    )
    from equityplan.appendonly import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        evidence.delete()


def test_the_panel_costs_the_same_queries_for_one_document_or_five(client, transfer, legal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(legal)
    counts = []
    for n in (1, 5):
        while Evidence.objects.count() < n:
            services.evidence_attach(
                subject=transfer, kind="other", data=image("PNG"), filename="p.png", actor=legal
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(transfer.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_database_refuses_to_change_a_document_row(transfer, legal):
    from django.db import DatabaseError, connection, transaction

    evidence = services.evidence_attach(
        subject=transfer, kind="other", data=PDF, filename="a.pdf", actor=legal
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE grants_evidence SET sha256 = 'forged' WHERE id = %s", [evidence.pk])
    evidence.refresh_from_db()
    assert evidence.sha256 != "forged"
