"""The accounting pages: who reads them, bad input answered with a 400, and a fixed number of queries."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from grants.models import LedgerEvent
from tests.factories import auditor_user
from tests.papers.pdfcheck import embedded_fonts

pytestmark = pytest.mark.django_db

FV = 251_401


def q(books, **extra):
    params = {"company": books.company.pk, "fiscal_year_end": "2014-03-31", **extra}
    return "?" + "&".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize(
    "name,query",
    [
        ("accounting:note", "?fiscal_year_end=2014-03-30"),
        ("accounting:note", "?fiscal_year_end=not-a-date"),
        ("accounting:note_pdf", "?fiscal_year_end=2014-03-30"),
        ("accounting:note_csv", "?company=999999"),
        ("accounting:journal_xlsx", "?fiscal_year_end=1014-03-31"),
        ("accounting:journal_csv", "?standard=usgaap"),
        ("accounting:tax", "?year=１２"),
        ("accounting:payroll_csv", "?year=2013"),
        ("accounting:payroll_csv", "?year=2013&month=13"),
        ("accounting:annual_csv", "?year=99999"),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, books, name, query):
    client.force_login(books.legal)
    response = client.get(reverse(name) + query)
    assert response.status_code == 400
    assert response.content


def test_note_page_for_the_year_of_grant(client, books, django_assert_max_num_queries):
    client.force_login(auditor_user())
    with django_assert_max_num_queries(
        20
    ):  # + per request: session renewal, second-factor check, company access
        response = client.get(reverse("accounting:note") + q(books))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="granted">7,000<' in html
    assert 'data-testid="forfeited">600<' in html
    assert 'data-testid="exercised">400<' in html
    assert 'data-testid="unvested-close">6,000<' in html
    assert "1,257.01" in html  # fair value per share at the grant date


def test_note_queries_do_not_grow_with_the_exercises(client, books, django_assert_max_num_queries):
    client.force_login(books.legal)
    with django_assert_max_num_queries(
        20
    ):  # + per request: session renewal, second-factor check, company access
        assert client.get(reverse("accounting:journal") + q(books)).status_code == 200
    with django_assert_max_num_queries(
        20
    ):  # + per request: session renewal, second-factor check, company access
        assert (
            client.get(reverse("accounting:tax") + f"?company={books.company.pk}&year=2013").status_code
            == 200
        )
    with django_assert_max_num_queries(
        20
    ):  # + per request: session renewal, second-factor check, company access
        assert client.get(reverse("accounting:overview") + q(books)).status_code == 200


def test_note_pdf_in_both_languages_and_csv(client, books):
    client.force_login(books.legal)
    for lang in ("ja", "en"):
        response = client.get(reverse("accounting:note_pdf") + q(books, lang=lang))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"].endswith(f'stock-option-note-2014-03-31-{lang}.pdf"')
        # the Japanese account names need the Japanese font, in both languages
        assert any(name.startswith("IPAexGothic") for name in embedded_fonts(response.content))
    response = client.get(reverse("accounting:note_csv") + q(books))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["shares_granted"] == "7000" and rows[0]["shares_outstanding_end"] == "6000"


def test_journal_csv_and_excel(client, books):
    from openpyxl import load_workbook

    client.force_login(books.legal)
    response = client.get(reverse("accounting:journal_csv") + q(books))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sum(int(r["debit_yen"] or 0) for r in rows) == sum(int(r["credit_yen"] or 0) for r in rows)
    assert {"新株予約権", "株式報酬費用", "資本金", "資本準備金"} <= {r["account_ja"] for r in rows}
    response = client.get(reverse("accounting:journal_xlsx") + q(books))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("date", "series", "kind")
    assert len(values) == len(rows) + 1
    assert any(row[4] == "新株予約権" and row[6] == 2 * FV for row in values[1:])


def test_tax_page_and_payroll_csv(client, books):
    client.force_login(auditor_user())
    html = client.get(reverse("accounting:tax") + f"?company={books.company.pk}&year=2013").content.decode()
    assert 'data-testid="benefit">837,600<' in html
    assert "Retirement income" in html
    response = client.get(
        reverse("accounting:payroll_csv") + f"?company={books.company.pk}&year=2013&month=7"
    )
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["benefit_yen"] == "837600" and row["income_category"] == "retirement"
    assert row["market_price_date"] == "2013-07-23"


def test_series_page_shows_the_service_period_and_its_form_for_legal_staff(client, books):
    client.force_login(books.legal)
    html = client.get(books.series.get_absolute_url()).content.decode()
    assert 'data-testid="service-period-form"' in html
    client.force_login(auditor_user())
    html = client.get(books.series.get_absolute_url()).content.decode()
    assert 'data-testid="accounting-panel"' in html and 'data-testid="service-period-form"' not in html


def test_service_period_form_saves_through_the_service(client, books):
    url = reverse("accounting:service_period", args=[books.series.pk])
    client.force_login(auditor_user())
    assert client.post(url, {"kind": "past_service"}).status_code == 403
    client.force_login(books.legal)
    response = client.post(url, {"kind": "period", "start": "2013-07-01", "end": "2014-06-30"})
    assert response.status_code == 302 and books.series.service_period_start == date(2013, 7, 11)  # refused
    response = client.post(url, {"kind": "past_service", "basis": "past service"})
    assert response.status_code == 302
    assert books.series.service_period == "past_service"
    event = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.SERVICE_PERIOD_SET).latest("pk")
    assert event.payload["before"]["service_period_end"] == "2014-06-30"
    assert event.payload["after"]["service_period"] == "past_service"
    assert event.recorded_by == books.legal


def test_company_settings_go_on_the_ledger(client, books):
    url = reverse("accounting:settings", args=[books.company.pk])
    client.force_login(auditor_user())
    assert client.post(url, {"accounting_standard": "ifrs", "fiscal_year_end_month": "12"}).status_code == 403
    client.force_login(books.legal)
    client.post(url, {"accounting_standard": "ifrs", "fiscal_year_end_month": "12"})
    books.company.refresh_from_db()
    assert (books.company.accounting_standard, books.company.fiscal_year_end_month) == ("ifrs", 12)
    event = LedgerEvent.objects.filter(event_type=LedgerEvent.Type.COMPANY_CHANGED).latest("pk")
    assert event.payload["before"] == {"accounting_standard": "jgaap", "fiscal_year_end_month": 3}


def test_schedule_page(client, books):
    client.force_login(books.secretary)
    response = client.get(reverse("accounting:series_schedule", args=[books.series.pk]))
    assert f'data-testid="total">{32 * FV:,}<' in response.content.decode()
    assert (
        client.get(reverse("accounting:series_schedule", args=[books.series.pk]) + "?standard=x").status_code
        == 400
    )


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("accounting:note"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_queries_do_not_grow_with_series_and_exercises(client, books):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants import services
    from tests.factories.lifecycle import allotted_scenario, end_office, holding

    client.force_login(books.legal)
    urls = [
        reverse("accounting:note") + q(books),
        reverse("accounting:journal") + q(books),
        reverse("accounting:tax") + f"?company={books.company.pk}&year=2013",
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    before = counts()
    more = allotted_scenario(legal=books.legal)  # a second series of the same issuer
    services.series_set_service_period(series=more.series, kind="past_service", actor=books.legal)
    for holder in (more.officer, more.director):
        end_office(holder, on=date(2013, 7, 19), actor=books.legal)
        request = services.exercise_request(
            holding=holding(more.series, holder), rights=1, requested_on=date(2013, 7, 22), actor=books.legal
        )
        services.exercise_confirm_payment(request=request, received_on=date(2013, 7, 23), actor=books.legal)
    assert counts() == before


def test_note_in_japanese(client, books):
    client.force_login(books.legal)
    client.post(reverse("set_language"), {"language": "ja"})
    html = client.get(reverse("accounting:note") + q(books)).content.decode()
    assert "ストック・オプション等関係" in html and "権利確定前" in html and "未行使残" in html
    assert "株式報酬費用" in html
