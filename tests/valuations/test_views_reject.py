"""The Reject form on a final valuation's page: its own form, label and required reason."""

import pytest
from django.urls import reverse
from django.utils import translation

from grants.models import LedgerEvent
from tests.valuations.conftest import VALUATION_DATE
from valuations import services
from valuations.models import Valuation

pytestmark = pytest.mark.django_db


def _final(market, actor):
    return services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=actor, final=True
    )


def _nothing_written(valuation):
    valuation.refresh_from_db()
    assert valuation.status == Valuation.Status.FINAL and valuation.rejection_reason == ""
    assert not LedgerEvent.objects.filter(payload__action="rejected").exists()


def test_a_missing_reason_comes_back_as_a_message_and_writes_nothing(client, legal, secretary, market):
    valuation = _final(market, legal)
    client.force_login(secretary)
    response = client.post(
        reverse("valuations:valuation_reject", args=[valuation.pk]), {"reason": "  "}, follow=True
    )
    assert response.redirect_chain == [(valuation.get_absolute_url(), 302)]
    html = response.content.decode()
    assert "Reason for the rejection" in html and "This field is required." in html
    _nothing_written(valuation)


def test_reject_is_for_a_board_secretary_other_than_the_recorder(client, legal, secretary, auditor, market):
    valuation = _final(market, secretary)
    url = reverse("valuations:valuation_reject", args=[valuation.pk])
    for user in (legal, auditor):
        client.force_login(user)
        assert client.post(url, {"reason": "Wrong close"}).status_code == 403
    client.force_login(secretary)
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "Wrong close"})
    assert response.status_code == 403
    assert "other than the one who recorded" in response.content.decode()
    _nothing_written(valuation)


def test_the_page_offers_approve_and_reject_as_distinct_forms(
    client, legal, secretary, market, django_assert_max_num_queries
):
    valuation = _final(market, legal)
    client.force_login(secretary)
    html = client.get(valuation.get_absolute_url()).content.decode()
    approve = reverse("valuations:valuation_approve", args=[valuation.pk])
    reject = reverse("valuations:valuation_reject", args=[valuation.pk])
    assert f'action="{approve}"' in html and f'action="{reject}"' in html
    reject_form = html[html.index('data-testid="reject-form"') :]
    assert "Reject this valuation" in reject_form and 'name="reason"' in reject_form
    assert (
        'name="reason"'
        not in html[html.index(f'action="{approve}"') : html.index('data-testid="reject-form"')]
    )

    response = client.post(reject, {"reason": "The close was a misprint"}, follow=True)
    assert response.redirect_chain == [(valuation.get_absolute_url(), 302)]
    valuation.refresh_from_db()
    assert valuation.status == Valuation.Status.REJECTED and valuation.rejected_by == secretary
    with django_assert_max_num_queries(17):
        html = client.get(valuation.get_absolute_url()).content.decode()
    assert 'data-testid="rejection"' in html and "The close was a misprint" in html
    assert "Rejected by the board" in html
    assert f'action="{reject}"' not in html and f'action="{approve}"' not in html


def test_the_page_in_japanese_names_the_reject_form_and_the_rejection(client, legal, secretary, market):
    valuation = _final(market, legal)
    client.force_login(secretary)
    with translation.override("ja"):  # the request switches the language; put it back afterwards
        html = client.get(valuation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        assert "この評価を否認" in html and "否認の理由" in html and "Reject this valuation" not in html
        services.valuation_reject(valuation=valuation, actor=secretary, reason="終値の誤り")
        html = client.get(valuation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        assert "取締役会で否認" in html and "終値の誤り" in html and "に否認" in html
