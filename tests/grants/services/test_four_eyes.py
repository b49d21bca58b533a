"""Four eyes everywhere (docs/domain.md reading R44): one user in every role (legal staff, board secretary and
superuser) is refused every decision on what they recorded; another user takes the same decision."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import services
from grants.models import LedgerEvent, Series
from grants.roles import BOARD_SECRETARY, LEGAL_STAFF, ensure_roles
from holders.models import HolderEvent
from tests import test_service_events as entries
from tests.factories import UserFactory, allot, make_holder, make_series, secretary_user
from tests.factories.lifecycle import allotted_scenario
from tests.valuations.conftest import VALUATION_DATE, build_market
from valuations import services as valuation_services

pytestmark = pytest.mark.django_db

# Every service that decides on something another user recorded (its set-up is the one of
# tests/test_service_events.py, called with the same user as recorder and decider).
DECISIONS = [
    "series_resolve",
    "series_change_allotment_date",
    "transfer_approve",
    "transfer_reject",
    "corporate_action_approve",
    "corporate_action_reject",
    "inheritance_approve",
    "company_acquisition_execute",
    "restructuring_apply",
    "valuation_approve",
]


def valuation_approve(recorder, decider):
    """The valuation computed by ``recorder``; the market's split approved by a third user."""
    market = build_market(legal=recorder, secretary=secretary_user("split_approver"))
    valuation = valuation_services.valuation_run(
        series=market["series"], valuation_date=VALUATION_DATE, actor=recorder, final=True
    )
    allot(series=valuation.series, holder=make_holder(actor=recorder), rights=5, actor=recorder)
    return lambda: valuation_services.valuation_approve(
        valuation=valuation, actor=decider, resolution_date=VALUATION_DATE, resolution_reference="Board"
    )


def prepare(name: str):
    return valuation_approve if name == "valuation_approve" else getattr(entries, name)


def everyone(username: str):
    """A superuser who is also legal staff and board secretary."""
    ensure_roles()
    user = UserFactory(username=username, is_superuser=True, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=[LEGAL_STAFF, BOARD_SECRETARY]))
    return user


def _counts() -> tuple[int, int]:
    return LedgerEvent.objects.count(), HolderEvent.objects.count()


@pytest.mark.parametrize("name", DECISIONS)
def test_one_user_in_every_role_is_refused_each_decision(name):
    omni = everyone("omni")
    call = prepare(name)(omni, omni)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        call()
    assert exc.value.code == "same_user"
    assert "other than the one who recorded" in exc.value.messages[0]
    assert _counts() == before


@pytest.mark.parametrize("name", DECISIONS)
def test_a_distinct_decider_in_every_role_takes_the_same_decision(name):
    call = prepare(name)(everyone("omni"), everyone("other"))
    before = _counts()
    call()
    assert _counts()[0] > before[0]


def test_the_amount_approver_may_not_have_recorded_the_allotments():
    omni, other = everyone("omni"), everyone("other")
    series = allotted_scenario(legal=omni, amount=None).series
    with pytest.raises(ValidationError) as exc:
        services.allotment_set_amount_paid(
            series=series, amount_paid_per_right_yen=1000, actor=omni, approved_by=omni
        )
    assert exc.value.code == "same_user"
    assert not series.allotments.filter(amount_paid_per_right_yen__isnull=False).exists()
    services.allotment_set_amount_paid(
        series=series, amount_paid_per_right_yen=1000, actor=omni, approved_by=other
    )
    assert series.allotments.filter(amount_paid_per_right_yen=1000).exists()


def test_the_page_answers_403_with_the_reason_and_writes_nothing(client):
    omni = everyone("omni")
    series = make_series(actor=omni, resolve=False)
    client.force_login(omni)
    before = _counts()
    response = client.post(
        reverse("grants:series_resolve", args=[series.pk]),
        {"resolution_date": "2013-06-26", "resolution_reference": "Board 2013-06-26"},
    )
    assert response.status_code == 403
    assert "other than the one who recorded" in response.content.decode()
    assert _counts() == before
    assert Series.objects.get(pk=series.pk).status == Series.Status.DRAFT
