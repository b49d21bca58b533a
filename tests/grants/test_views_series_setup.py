"""Series set-up through the pages: legal staff enter the notice's terms, the board secretary resolves."""

from datetime import date

import pytest
from django.urls import reverse

from grants.models import LedgerEvent, PlannedAllotment, Series
from tests.factories import CompanyFactory, allot, make_holder, make_series

pytestmark = pytest.mark.django_db

SEED_FORM = {
    "number": "3",
    "name": "Example Stock Acquisition Rights (3rd series)",
    "max_rights": "135",
    "share_class": "common stock",
    "shares_per_right": "200",
    "exercise_price_per_share_yen": "1",
    "exercise_period_start": "2013-07-12",
    "exercise_period_end": "2043-07-11",
    "allotment_date": "2013-07-11",
    "payment_date": "2013-07-11",
    "payment_by_setoff": "on",
    "transfer_requires_board_approval": "on",
    "transfer_prohibited_by_allotment_terms": "on",
    "company_may_acquire_without_contribution": "on",
    "successor_rights_on_restructuring": "on",
    "departure_window_days": "10",
    "departure_window_shift": "none",
    "heir_allowed": "on",
    "heir_window_months": "6",
    "heir_window_shift": "none",
    "planned_directors": "7",
    "planned_director_rights": "95",
    "planned_officers": "10",
    "planned_officer_rights": "40",
    "rounding_rule": "total_ceil",
    "valuation_spot_rule": "close_else_next_base",
    "valuation_term_years": "15",
    "volatility_frequency": "weekly",
    "volatility_window_start": "2005-12-02",
    "volatility_window_end": "valuation_date",
    "rate_rule": "interpolate",
    "dividend_rule": "last_fiscal_year",
    "dividend_fiscal_year_end": "2013-03-31",
}


def test_legal_staff_create_a_draft_series_from_the_notice(client, legal):
    company = CompanyFactory()
    client.force_login(legal)
    assert client.get(reverse("grants:series_create")).status_code == 200
    response = client.post(reverse("grants:series_create"), {**SEED_FORM, "company": company.pk})
    series = Series.objects.get()
    assert response.status_code == 302 and response["Location"] == series.get_absolute_url()
    assert series.status == Series.Status.DRAFT
    assert series.shares_per_right_on(date(2013, 7, 11)) == 200
    assert sorted(PlannedAllotment.objects.values_list("persons", "rights")) == [(7, 95), (10, 40)]
    assert LedgerEvent.objects.get(series=series).event_type == LedgerEvent.Type.SERIES_CREATED


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("max_rights", "0", "greater than or equal to 1"),
        ("exercise_period_end", "2013-07-01", "ends before it starts"),
        ("exercise_period_start", "2013-02-29", "Enter a valid date"),
        ("exercise_price_per_share_yen", "¥1,000", "Enter a number"),
        ("shares_per_right", "1.5", "Enter a whole number"),
        ("planned_director_rights", "200", "exceed the maximum"),
    ],
)
def test_bad_terms_show_errors_and_write_nothing(client, legal, field, value, message):
    client.force_login(legal)
    response = client.post(
        reverse("grants:series_create"), {**SEED_FORM, "company": CompanyFactory().pk, field: value}
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Series.objects.exists() and not LedgerEvent.objects.exists()


def test_auditor_and_secretary_cannot_create_series(client, auditor, secretary):
    for user in (auditor, secretary):
        client.force_login(user)
        assert client.post(reverse("grants:series_create"), SEED_FORM).status_code == 403
    assert not Series.objects.exists()


def test_secretary_records_the_resolution_post_only(client, legal, secretary):
    series = make_series(actor=legal, resolve=False)
    url = reverse("grants:series_resolve", args=[series.pk])
    client.force_login(secretary)
    assert client.get(url).status_code == 405
    response = client.post(url, {"resolution_date": "2013-06-26", "resolution_reference": "Minutes 42"})
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.status == Series.Status.RESOLVED and series.resolution_reference == "Minutes 42"
    event = LedgerEvent.objects.get(series=series, event_type=LedgerEvent.Type.SERIES_RESOLVED)
    assert event.approved_by == secretary


def test_legal_staff_cannot_resolve_and_bad_dates_change_nothing(client, legal, secretary):
    series = make_series(actor=legal, resolve=False)
    url = reverse("grants:series_resolve", args=[series.pk])
    client.force_login(legal)
    assert client.post(url, {"resolution_date": "2013-06-26", "resolution_reference": "x"}).status_code == 403
    client.force_login(secretary)
    response = client.post(url, {"resolution_date": "2013-07-12", "resolution_reference": "x"}, follow=True)
    assert "before the allotment date" in response.text
    series.refresh_from_db()
    assert series.status == Series.Status.DRAFT


def test_closing_the_allotment(client, legal, auditor):
    series = make_series(actor=legal)
    allot(series=series, holder=make_holder(actor=legal), rights=3, actor=legal)
    url = reverse("grants:series_close_allotment", args=[series.pk])
    client.force_login(auditor)
    assert client.post(url).status_code == 403
    client.force_login(legal)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    series.refresh_from_db()
    assert series.status == Series.Status.ALLOTTED


def test_secretary_changes_the_allotment_date_from_the_series_page(client, legal, secretary):
    series = make_series(actor=legal)
    url = reverse("grants:series_allotment_date", args=[series.pk])
    data = {
        "allotment_date": "2013-07-10",
        "payment_date": "2013-07-10",
        "resolution_date": "2013-07-01",
        "resolution_reference": "Board",
    }
    client.force_login(legal)
    assert client.post(url, data).status_code == 403
    client.force_login(secretary)
    assert 'data-testid="allotment-date-form"' in client.get(series.get_absolute_url()).text
    assert client.get(url).status_code == 405
    response = client.post(url, {**data, "allotment_date": "2013-02-30"}, follow=True)
    assert "Enter a valid date" in response.text
    response = client.post(url, data, follow=True)
    assert "The allotment date is changed" in response.text
    series.refresh_from_db()
    assert series.allotment_date == date(2013, 7, 10)
