"""Refusing a succession (docs/domain.md reading R60): four eyes, a reason, no right moves, final."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import services
from grants.models import InheritanceCase, LedgerEvent
from tests.factories.lifecycle import allotted_scenario, holding, new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(legal):
    s = allotted_scenario(legal=legal)
    services.death_record(holder=s.director, died_on=date(2020, 8, 20), actor=legal)
    opened = services.inheritance_open(deceased=s.director, actor=legal)
    return services.heir_designate(
        case=opened,
        heir=new_person(actor=legal, name="Claimed Heir (fictional)"),
        designated_on=date(2020, 8, 25),
        actor=legal,
        relationship="nephew",
    )


def reject(case, actor, **overrides):
    values = dict(
        resolution_date=date(2020, 9, 1),
        resolution_reference="Board 2020-09-01",
        reason="The family register shows a spouse, not this nephew, as heir.",
    )
    return services.inheritance_reject(case=case, actor=actor, **{**values, **overrides})


def test_the_one_who_designated_cannot_refuse(case, legal):
    with pytest.raises(ValidationError, match="other than the one who recorded"):
        reject(case, legal)


def test_a_refusal_needs_a_reason_and_moves_no_right(case, secretary):
    with pytest.raises(ValidationError, match="Say why"):
        reject(case, secretary, reason="   ")
    series = case.deceased.holdings.get().series
    before = holding(series, case.deceased).rights
    case = reject(case, secretary)
    assert case.status == InheritanceCase.Status.REJECTED
    assert holding(series, case.deceased).rights == before
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.INHERITANCE_REJECTED)
    assert (event.holder, event.rights_delta, event.approved_by) == (case.deceased, 0, secretary)
    assert event.payload["reason"].startswith("The family register")


def test_a_refused_case_cannot_be_approved_or_refused_again(case, secretary):
    reject(case, secretary)
    with pytest.raises(ValidationError):
        services.inheritance_approve(
            case=case,
            succeeded_on=date(2020, 9, 1),
            resolution_date=date(2020, 9, 1),
            resolution_reference="x",
            actor=secretary,
        )
    with pytest.raises(ValidationError):
        reject(case, secretary)


def test_the_page_shows_the_relationship_and_two_distinct_forms(client, case, secretary):
    client.force_login(secretary)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="relationship">nephew<' in page
    assert 'data-testid="approve-form"' in page and 'data-testid="reject-form"' in page
    assert "Refuse the succession" in page and "Approve the succession" in page
    response = client.post(
        reverse("grants:inheritance_reject", args=[case.pk]),
        {"resolution_date": "2020-09-01", "resolution_reference": "B1", "reason": "No proof."},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == "rejected", response.content.decode()[:3000]
    assert "No proof." in response.content.decode()
