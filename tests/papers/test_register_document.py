"""The register as a document (Art 249): issuer first, a section per series with its terms and a
subtotal, page n of m, prepared at; the same structure in the CSV and the Excel workbook."""

import io
import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import LedgerEvent
from holders import services as holder_services
from holders.models import Holder
from tests.factories import make_series

from .conftest import record, register_csv_parts
from .pdfcheck import pdf_plain_text, squeeze

AS_OF = "2014-01-01"


@pytest.fixture
def client_legal(client, legal):
    client.force_login(legal)
    return client


@pytest.fixture
def two_series(seed_series, legal):
    """The seed's 17 holders in the 3rd series, and a 4th series of 100 shares per right held by
    two of them and a holder whose name is a formula."""
    fourth = make_series(
        actor=legal, company=seed_series.company, number=4, name="4th series rights", shares_per_right=100
    )
    hostile = holder_services.holder_create(
        name='=HYPERLINK("http://x")', address="+81 Tokyo", address_from=date(2010, 1, 1), actor=legal
    )
    for holder, rights in (
        (Holder.objects.get(name="Ichiro Sample (fictional)"), 7),
        (Holder.objects.get(name="Keiko Example (fictional)"), 3),
        (hostile, 2),
    ):
        record(
            event_type=LedgerEvent.Type.ALLOTTED,
            series=fourth,
            holder=holder,
            rights_delta=rights,
            on=date(2013, 8, 1),
            actor=legal,
        )
    return seed_series, fourth


def test_pdf_has_the_issuer_first_a_subtotal_per_series_and_page_n_of_m(client_legal, two_series):
    seed, fourth = two_series
    company = seed.company
    response = client_legal.get(reverse("papers:register_pdf"), {"as_of": AS_OF})
    assert response.status_code == 200
    text = pdf_plain_text(response.getvalue())
    first_page = text.split(squeeze("page 1 of"))[0]
    assert squeeze(f"Issuer {company.name} (securities code {company.securities_code})") in first_page
    assert squeeze(f"Head office {company.address}") in first_page
    assert squeeze("Prepared at") in first_page
    # One section per series, each with its terms and its own subtotal; no total across series.
    assert (
        squeeze(
            "Content of the rights: 200 shares of common stock per right · exercise price 1 yen per share"
        )
        in text
    )
    assert squeeze("Content of the rights: 100 shares of common stock per right") in text
    assert squeeze("Subtotal: 17 holders 135 27,000") in text
    assert squeeze("Subtotal: 3 holders 12 1,200") in text
    assert text.index(squeeze(seed.name)) < text.index(squeeze("Subtotal: 17 holders"))
    assert text.index(squeeze("Subtotal: 17 holders")) < text.index(squeeze("4th series rights"))
    assert squeeze("Total:") not in text
    pages = [int(n) for n in re.findall(r"page(\d+)of(\d+)", text)[-1]]
    assert pages[0] == pages[1] >= 2


def test_pdf_in_japanese_numbers_pages_in_japanese(client_legal, two_series):
    response = client_legal.get(reverse("papers:register_pdf"), {"as_of": AS_OF}, HTTP_ACCEPT_LANGUAGE="ja")
    text = pdf_plain_text(response.getvalue())
    assert squeeze("ページ中 1ページ") in text and squeeze("発行者") in text
    assert squeeze("小計：17名 135 27,000") in text


def test_csv_has_the_same_sections(client_legal, two_series):
    seed, fourth = two_series
    head, sections, balance = register_csv_parts(
        client_legal.get(reverse("papers:register_csv"), {"as_of": AS_OF}).getvalue()
    )
    assert head[0] == ["Register of stock acquisition rights", "Companies Act Art 249"]
    assert head[1][:3] == ["Issuer", str(seed.company), seed.company.address]
    assert head[2] == ["As of", AS_OF] and head[3][0] == "Prepared at"
    kinds = [r[-1] for r in sections[1:]]
    assert kinds == [
        "Terms of the series",
        *["Holder"] * 17,
        "Subtotal",
        "Terms of the series",
        *["Holder"] * 3,
        "Subtotal",
    ]
    terms = sections[1]
    assert terms[0] == seed.name and "200 common stock per right" in terms[1] and "10 days" in terms[2]
    subtotals = [r for r in sections if r[-1] == "Subtotal"]
    assert [(r[0], r[1], r[3], r[6]) for r in subtotals] == [
        (seed.name, "Subtotal: 17 holders", "135", "27000"),
        (fourth.name, "Subtotal: 3 holders", "12", "1200"),
    ]
    assert any(r[1] == '\'=HYPERLINK("http://x")' and r[2] == "'+81 Tokyo" for r in sections)
    assert [r[0] for r in balance[1:]] == [seed.name, fourth.name]


def test_excel_has_typed_cells_a_frozen_header_and_guarded_text(client_legal, two_series):
    seed, _fourth = two_series
    response = client_legal.get(reverse("papers:register_xlsx"), {"as_of": AS_OF})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="register-2014-01-01.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.getvalue()))
    sheet = book["Register"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(values) if row[0] == "Series")
    assert sheet.freeze_panes == f"A{header_at + 2}"
    assert "Issuer" in values[1][0] and seed.company.name in values[1][0]
    entries = [row for row in values[header_at + 1 :] if row[-1] == "Holder"]
    ichiro = next(row for row in entries if row[1] == "Ichiro Sample (fictional)")
    assert ichiro[3] == 25 and isinstance(ichiro[3], int)
    assert ichiro[8] == datetime(2013, 7, 12) and ichiro[10] == datetime(2013, 7, 11)
    cell = sheet.cell(row=header_at + 1 + values[header_at + 1 :].index(ichiro) + 1, column=9)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    hostile = next(row for row in entries if "HYPERLINK" in str(row[1]))
    assert hostile[1] == '\'=HYPERLINK("http://x")' and hostile[2] == "'+81 Tokyo"
    # Nothing in the workbook is a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    subtotals = [row for row in values if row[-1] == "Subtotal"]
    assert [(row[3], row[6]) for row in subtotals] == [(135, 27000), (12, 1200)]
    balance = [[c.value for c in row] for row in book["Balance"].iter_rows()]
    assert balance[1][:3] == [seed.name, 135, 135] and book["Balance"].freeze_panes == "A2"


def test_excel_of_a_bad_date_is_a_form_error(client_legal, seed_series):
    response = client_legal.get(reverse("papers:register_xlsx"), {"as_of": "2013-02-30"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_audit_disclosure_and_decisions_as_excel(client_legal, two_series, django_assert_max_num_queries):
    response = client_legal.get(reverse("papers:audit_xlsx"))
    assert response.streaming  # written in write-only mode to a temporary file, sent from there
    audit = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Audit trail"]
    rows = [[c.value for c in row] for row in audit.iter_rows()]
    assert rows[0][0] == "Recorded at" and audit.freeze_panes == "A2"
    assert isinstance(rows[1][0], datetime) and isinstance(rows[1][3], datetime)
    assert any(r[5] == '\'=HYPERLINK("http://x")' for r in rows)
    response = client_legal.get(
        reverse("papers:disclosure_xlsx"), {"fiscal_year_end": "2014-03-31", "filing_month_end": "2014-05-31"}
    )
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    lines = [[c.value for c in row] for row in sheet.iter_rows()]
    seed_line = next(line for line in lines if line[0] == two_series[0].name)
    assert seed_line[1] == datetime(2013, 6, 26) and seed_line[3] == 135 and seed_line[8] == 27000
    with django_assert_max_num_queries(30):
        response = client_legal.get(reverse("papers:decisions_xlsx"))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert [c.value for c in sheet[1]][:2] == ["Kind", "Matter"] and sheet.freeze_panes == "A2"


def test_register_page_and_pdf_queries_do_not_grow_with_series(
    client_legal, two_series, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        page = client_legal.get(reverse("papers:register"), {"as_of": AS_OF})
    assert page.content.decode().count('data-testid="section-subtotal"') == 2
    assert 'data-testid="register-xlsx"' in page.content.decode()
