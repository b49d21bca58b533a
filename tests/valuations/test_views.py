from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.models import LedgerEvent
from tests.factories import CompanyFactory, allot, make_holder
from tests.valuations.conftest import VALUATION_DATE
from valuations import services
from valuations.models import ImportBatch, SharePrice, Valuation

pytestmark = pytest.mark.django_db


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_import_page_shows_every_bad_row_and_imports_nothing(client, legal):
    company = CompanyFactory()
    client.force_login(legal)
    data = b"date,close\n2013-07-10,2000\n2013-07-11,abc\n2013-07-12,\n"
    response = client.post(
        reverse("valuations:import", args=["share-prices"]),
        {"company": company.pk, "file": upload("p.csv", data)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-report"' in html
    assert '<td class="num">3</td>' in html and '<td class="num">4</td>' in html
    assert not SharePrice.objects.exists()


def test_import_page_success_redirects_to_the_batch(client, legal):
    company = CompanyFactory()
    client.force_login(legal)
    response = client.post(
        reverse("valuations:import", args=["share-prices"]),
        {"company": company.pk, "file": upload("p.csv", b"date,close\n2013-07-10,2000\n")},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url())
    assert "2013-07-10" in page.content.decode()


def test_png_renamed_csv_gives_an_error_on_the_page(client, legal):
    client.force_login(legal)
    response = client.post(
        reverse("valuations:import", args=["jgb-yields"]),
        {"file": upload("jgbcm_all.csv", b"\x89PNG\r\n\x1a\nxxxx")},
    )
    assert response.status_code == 200 and "PNG" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_oversized_upload_is_a_form_error(client, legal, settings):
    client.force_login(legal)
    from valuations.domain.marketdata import MAX_IMPORT_BYTES

    response = client.post(
        reverse("valuations:import", args=["jgb-yields"]),
        {"file": upload("big.csv", b"x" * (MAX_IMPORT_BYTES + 1))},
    )
    assert response.status_code == 200 and "limit" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_unknown_import_kind_is_404(client, legal):
    client.force_login(legal)
    assert client.get(reverse("valuations:import", args=["gold"])).status_code == 404


def test_auditor_reads_but_cannot_import_run_or_approve(client, auditor, market, legal):
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    client.force_login(auditor)
    assert client.get(reverse("valuations:market_data")).status_code == 200
    assert client.get(valuation.get_absolute_url()).status_code == 200
    assert client.get(reverse("valuations:series_valuations", args=[market["series"].pk])).status_code == 200
    assert client.get(reverse("valuations:import", args=["dividends"])).status_code == 403
    response = client.post(
        reverse("valuations:series_valuations", args=[market["series"].pk]), {"valuation_date": "2013-07-11"}
    )
    assert response.status_code == 403
    assert client.post(reverse("valuations:valuation_approve", args=[valuation.pk])).status_code == 403
    assert client.post(reverse("valuations:valuation_recompute", args=[valuation.pk])).status_code == 403
    assert Valuation.objects.count() == 1


def test_run_form_computes_and_redirects(client, legal, market):
    client.force_login(legal)
    response = client.post(
        reverse("valuations:series_valuations", args=[market["series"].pk]),
        {
            "valuation_date": "2013-07-11",
            "volatility_override": "0.3",
            "volatility_reason": "check",
            "status": "approved",
        },
    )
    valuation = Valuation.objects.get()
    assert response.status_code == 302 and response["Location"] == valuation.get_absolute_url()
    assert valuation.status == "provisional"  # an extra status field changes nothing
    assert valuation.overrides["volatility"]["reason"] == "check"


def test_run_form_errors_stay_on_the_page(client, legal, market):
    client.force_login(legal)
    url = reverse("valuations:series_valuations", args=[market["series"].pk])
    for data in (
        {"valuation_date": "2013-02-30"},
        {"valuation_date": "2013-07-11", "volatility_override": "0.3"},
        {"valuation_date": "2001-01-01"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
    assert not Valuation.objects.exists()


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("volatility", "1000", "less than or equal to 5"),
        ("volatility", "0", "greater than 0"),
        ("rate", "-1", "greater than or equal to -0.05"),
        ("rate", "0.5", "less than or equal to 0.2"),
        ("dividend_yield", "0.9", "less than or equal to 0.5"),
        ("spot_yen", "0", "greater than 0"),
        ("spot_yen", "1" * 31, "less than or equal to"),
        ("volatility", "NaN", "Enter a number"),
        ("rate", "1e309", "Enter a number"),
    ],
)
def test_hand_entered_inputs_out_of_bounds_are_refused_with_a_message(
    client, legal, market, name, value, message
):
    """docs/domain.md R50: a provisional valuation takes only inputs a market can show."""
    client.force_login(legal)
    response = client.post(
        reverse("valuations:series_valuations", args=[market["series"].pk]),
        {"valuation_date": "2013-07-11", f"{name}_override": value, f"{name}_reason": "by hand"},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Valuation.objects.exists()


def test_approve_is_post_only_and_by_a_board_secretary(client, legal, secretary, market):
    holder = make_holder(actor=legal)
    allot(series=market["series"], holder=holder, rights=5, actor=legal)
    valuation = services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True
    )
    url = reverse("valuations:valuation_approve", args=[valuation.pk])
    client.force_login(legal)
    assert client.post(url).status_code == 403
    client.force_login(secretary)
    assert client.get(url).status_code == 405
    response = client.post(url, {"resolution_reference": "Board 11 Jul", "approved_by": legal.pk})
    assert response.status_code == 302
    valuation.refresh_from_db()
    assert valuation.status == "approved" and valuation.approved_by == secretary
    assert LedgerEvent.objects.filter(event_type="valuation", payload__action="approved").count() == 1


def test_missing_valuation_is_404(client, legal):
    client.force_login(legal)
    assert client.get(reverse("valuations:valuation_detail", args=[999999])).status_code == 404


def test_detail_page_shows_inputs_formula_chart_and_command(
    client, legal, market, django_assert_max_num_queries
):
    valuation = services.valuation_run(
        series=market["series"],
        valuation_date=VALUATION_DATE,
        actor=legal,
        overrides={"rate": {"value": "0.015", "reason": "<script>alert(1)</script>"}},
    )
    client.force_login(legal)
    with django_assert_max_num_queries(
        16
    ):  # + per request: session renewal, second-factor check, company access
        response = client.get(valuation.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="price-chart"' in html and 'data-testid="split-marker"' in html
    # the marker stands at the ex-rights date, and the split's corporate action is linked
    assert "2012-09-26</text>" in html
    split = market["split"]
    link = reverse("grants:corporate_action_detail", args=[split.pk])
    assert html.count(f'href="{link}" data-testid="price-basis-change"') == 2  # volatility and dividend
    assert f"corporate action #{split.pk}: new price basis from 2012-09-26, ratio 200" in html
    assert 'data-testid="returns-chart"' in html
    assert 'data-testid="by-hand"' in html
    assert "<script>alert(1)</script>" not in html
    assert f"--volatility {valuation.volatility.normalize():f}" in html
    assert "N(d1) =" in html


def test_series_page_shows_the_valuation_panel(client, legal, market):
    services.valuation_run(series=market["series"], valuation_date=VALUATION_DATE, actor=legal, final=True)
    client.force_login(legal)
    response = client.get(market["series"].get_absolute_url())
    html = response.content.decode()
    assert 'data-testid="valuation-panel"' in html


def test_market_data_page_bounded_queries(client, legal, market, django_assert_max_num_queries):
    client.force_login(legal)
    with django_assert_max_num_queries(
        16
    ):  # + per request: session renewal, second-factor check, company access
        response = client.get(reverse("valuations:market_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert market["company"].name in html
    basis_changes = html[html.index('data-testid="price-basis-changes"') :]
    basis_changes = basis_changes[: basis_changes.index("</table>")]
    assert "2012-09-26" in basis_changes and "Share split" in basis_changes
    assert reverse("grants:corporate_action_detail", args=[market["split"].pk]) in basis_changes


def test_batch_page_opens_the_page_with_the_row(client, legal, market):
    row = SharePrice.objects.filter(company=market["company"]).order_by("-date").first()
    client.force_login(legal)
    response = client.get(reverse("valuations:batch_detail", args=[row.batch_id]) + f"?row={row.pk}")
    assert f'id="share_price-{row.pk}"' in response.content.decode()
    assert date(2013, 7, 12).isoformat() in response.content.decode()
