from datetime import date

import pytest
from django.urls import reverse

from grants.models import LedgerEvent
from holders import services as holder_services
from holders.models import Holder

from .conftest import ALLOTMENT, record, register_csv
from .pdfcheck import embedded_fonts


@pytest.fixture
def client_legal(client, legal):
    client.force_login(legal)
    return client


def test_register_page_lists_the_seed_holders(client_legal, seed_series, django_assert_max_num_queries):
    with django_assert_max_num_queries(
        16
    ):  # + per request: session renewal, second-factor check, company access
        response = client_legal.get(reverse("papers:register"), {"as_of": "2013-07-11"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 17
    assert response.context["total_rights"] == 135
    assert b'data-testid="total-rights">135<' in response.getvalue()


def test_register_defaults_to_today_and_every_role_can_read(client, seed_series, auditor, secretary):
    for user in (auditor, secretary):
        client.force_login(user)
        response = client.get(reverse("papers:register"))
        assert response.status_code == 200
        assert response.context["total_rights"] == 135


def test_anonymous_is_sent_to_login(client, seed_series):
    response = client.get(reverse("papers:register"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("bad", ["2013-02-29", "2013-04-31", "H25.7.11", "0001-01-01", "9999-12-31", "x"])
def test_a_bad_date_is_a_form_error_not_a_500(client_legal, seed_series, bad):
    for name in ("papers:register", "papers:register_csv", "papers:register_pdf"):
        response = client_legal.get(reverse(name), {"as_of": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["as_of"]
        assert response["Content-Type"].startswith("text/html")


def test_unknown_series_is_a_form_error(client_legal, seed_series):
    response = client_legal.get(reverse("papers:register"), {"series": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors["series"]


def test_csv_has_a_bom_the_date_in_its_name_and_escaped_formulas(client_legal, seed_series, legal):
    hostile = holder_services.holder_create(
        name='=HYPERLINK("http://x")', address="@SUM(A1)", address_from=date(2010, 1, 1), actor=legal
    )
    record(
        event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
        series=seed_series,
        holder=hostile,
        rights_delta=1,
        on=date(2014, 1, 1),
        actor=legal,
    )
    response = client_legal.get(reverse("papers:register_csv"), {"as_of": "2014-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="register-2014-01-01.csv"' in response["Content-Disposition"]
    body = response.getvalue()  # a streamed body is read once
    assert body.startswith(b"\xef\xbb\xbf")
    rows, balance = register_csv(body)
    assert rows[0][0] == "Series" and len(rows) == 1 + 18
    assert rows[0][-1] == "Entry" and {r[-1] for r in rows[1:]} == {"Holder"}
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[2] == "'@SUM(A1)"
    assert sum(int(r[3]) for r in rows[1:]) == 136
    # One right more than was allotted came in: the series' balance says it does not meet.
    assert balance == [
        [
            "Series",
            "Allotted",
            "Held by holders",
            "Held by the company",
            "Exercised",
            "Lapsed",
            "Cancelled",
            "Passed to a successor series",
            "Balanced",
        ],
        [seed_series.name, "135", "136", "0", "0", "0", "0", "0", "No"],
    ]


def test_register_csvs_on_two_dates_differ_by_the_exercise(client_legal, seed_series, legal):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    record(
        event_type=LedgerEvent.Type.EXERCISED,
        series=seed_series,
        holder=ichiro,
        rights_delta=-25,
        on=date(2016, 1, 5),
        actor=legal,
    )

    def total(on):
        rows, balance = register_csv(
            client_legal.get(reverse("papers:register_csv"), {"as_of": on}).getvalue()
        )
        (series_total,) = balance[1:]
        assert series_total[1] == "135" and series_total[-1] == "Yes"
        return len(rows) - 1, sum(int(r[3]) for r in rows[1:]), int(series_total[4])

    assert total("2016-01-04") == (17, 135, 0)
    assert total("2016-01-05") == (16, 110, 25)


def test_pages_escape_hostile_names(client_legal, seed_series, legal):
    hostile = holder_services.holder_create(
        name="<script>alert(1)</script>{{ 7*7 }}",
        address="<b>x</b>",
        address_from=date(2010, 1, 1),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
        series=seed_series,
        holder=hostile,
        rights_delta=1,
        on=date(2014, 1, 1),
        actor=legal,
    )
    content = client_legal.get(reverse("papers:register"), {"as_of": "2014-01-01"}).getvalue().decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in content
    assert "<b>x</b>" not in content


def test_pdf_renders_with_the_japanese_font_embedded(client_legal, seed_series, legal):
    hostile = holder_services.holder_create(
        name="<script>山田太郎</script>{{ 7*7 }}",
        address="東京都千代田区",
        address_from=date(2010, 1, 1),
        actor=legal,
    )
    record(
        event_type=LedgerEvent.Type.TRANSFER_REGISTERED,
        series=seed_series,
        holder=hostile,
        rights_delta=1,
        on=date(2014, 1, 1),
        actor=legal,
    )
    response = client_legal.get(
        reverse("papers:register_pdf"), {"as_of": "2014-01-01", "series": seed_series.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.getvalue()  # a streamed body is read once
    assert body.startswith(b"%PDF")
    assert f"register-2014-01-01-series-{seed_series.number}.pdf" in response["Content-Disposition"]
    assert any(name.startswith("IPAex") for name in embedded_fonts(body)), embedded_fonts(body)


def test_holder_extract_pdf(client_legal, seed_series):
    ichiro = Holder.objects.get(name="Ichiro Sample (fictional)")
    response = client_legal.get(reverse("papers:holder_extract_pdf", args=[ichiro.pk]), {"as_of": ALLOTMENT})
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    assert client_legal.get(reverse("papers:holder_extract_pdf", args=[999999])).status_code == 404
    bad = client_legal.get(reverse("papers:holder_extract_pdf", args=[ichiro.pk]), {"as_of": "2013-02-30"})
    assert bad.status_code == 200 and bad.context["form"].errors
