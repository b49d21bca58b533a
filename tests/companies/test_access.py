"""Companies per user (docs/domain.md reading R47): a second issuer's secretary, limited to it, can neither read
nor decide anything of the first issuer, on any route; users with no limit and superusers see all."""

from datetime import date

import pytest
from django.urls import reverse

from companies.access import company_ids, visible_companies
from companies.models import Company, CompanyAccess
from grants import services
from grants.models import CorporateAction, LedgerEvent, Series, TransferRequest
from holders.models import Holder
from tests.factories import CompanyFactory, legal_user, make_holder, make_series, secretary_user
from tests.test_no_server_errors import app_routes, concrete, demo_data  # noqa: F401  (fixture)
from valuations.models import Valuation

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("text/html", "text/csv")


@pytest.fixture
def two_issuers(demo_data):  # noqa: F811
    """The demo's issuer with its pending matters, and a second issuer with its own secretary."""
    first = Company.objects.get()
    legal = demo_data["legal"]
    draft = make_series(
        actor=legal, company=first, number=9, name="First Issuer Draft (9th series)", resolve=False
    )
    action = services.corporate_action_record(
        company=first,
        kind=CorporateAction.Kind.SPLIT,
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2030, 9, 30),
        actor=legal,
    )
    second = CompanyFactory(name="Second Issuer Ltd.")
    second_legal = legal_user("second_legal")
    CompanyAccess.objects.create(user=second_legal, company=second)
    own = make_series(actor=second_legal, company=second, number=1, name="Second Issuer Rights (1st series)")
    make_holder(actor=second_legal, company=second, name="Second Holder Person")
    secretary = secretary_user("second_secretary")
    CompanyAccess.objects.create(user=secretary, company=second)
    return {
        "first": first,
        "second": second,
        "secretary": secretary,
        "own": own,
        "draft": draft,
        "action": action,
        "demo": demo_data,
    }


def first_issuer_marks(first: Company) -> list[str]:
    """Strings only the first issuer's records contain: its name, its series' names, its holders."""
    names = [first.name] + [s.name for s in Series.objects.filter(company=first)]
    names += list(Holder.objects.filter(positions__company=first).values_list("name", flat=True))
    return sorted(set(names))


def test_the_reading(two_issuers):
    s = two_issuers
    assert company_ids(s["secretary"]) == {s["second"].pk}
    assert list(visible_companies(s["secretary"])) == [s["second"]]
    assert company_ids(s["demo"]["secretary"]) is None  # no row: every company
    assert company_ids(s["demo"]["admin"]) is None  # superuser: every company
    CompanyAccess.objects.create(user=s["demo"]["admin"], company=s["second"])
    admin = type(s["demo"]["admin"]).objects.get(pk=s["demo"]["admin"].pk)
    assert company_ids(admin) is None  # a superuser sees all whatever the rows say


def test_no_route_shows_the_first_issuer_to_the_second_issuers_secretary(client, two_issuers):
    s = two_issuers
    marks = first_issuer_marks(s["first"])
    assert len(marks) > 10
    ids = set(Series.objects.filter(company=s["first"]).values_list("pk", flat=True))
    ids |= set(Holder.objects.filter(positions__company=s["first"]).values_list("pk", flat=True))
    ids |= set(TransferRequest.objects.values_list("pk", flat=True))
    ids |= set(Valuation.objects.filter(series__company=s["first"]).values_list("pk", flat=True))
    ids |= {s["action"].pk}
    ids -= {s["own"].pk}
    client.force_login(s["secretary"])
    leaks, walked = [], 0
    for route in app_routes():
        for pk in sorted(ids) if "<int:" in route else [0]:
            url = concrete(route, pk)
            response = client.get(url)
            walked += 1
            assert response.status_code < 500, url
            if response.get("Content-Type", "").startswith(TEXT_TYPES):
                raw = b"".join(response.streaming_content) if response.streaming else response.content
                body = raw.decode()
                leaks += [(url, mark) for mark in marks if mark in body]
    assert not leaks, leaks[:20]
    assert walked > 300
    print(f"requests walked as the second issuer's secretary: {walked}, marks looked for: {len(marks)}")
    # Its own issuer is there.
    assert "Second Issuer Rights (1st series)" in client.get(reverse("grants:series_list")).content.decode()
    register = client.get(reverse("papers:register_csv")).getvalue().decode()
    assert s["first"].name not in register


def test_the_second_issuers_secretary_cannot_decide_for_the_first(client, two_issuers):
    s = two_issuers
    client.force_login(s["secretary"])
    before = LedgerEvent.objects.count()
    draft, action = s["draft"], s["action"]
    decision = {"resolution_date": "2013-06-26", "resolution_reference": "Board"}
    assert client.post(reverse("grants:series_resolve", args=[draft.pk]), decision).status_code == 404
    assert (
        client.post(reverse("grants:corporate_action_approve", args=[action.pk]), decision).status_code == 404
    )
    valuation = Valuation.objects.filter(series__company=s["first"]).first()
    if valuation is not None:
        assert (
            client.post(reverse("valuations:valuation_approve", args=[valuation.pk]), decision).status_code
            == 404
        )
    transfer = TransferRequest.objects.filter(series__company=s["first"]).first()
    if transfer is not None:
        assert (
            client.post(reverse("grants:transfer_approve", args=[transfer.pk]), decision).status_code == 404
        )
    assert LedgerEvent.objects.count() == before
    assert Series.objects.get(pk=draft.pk).status == Series.Status.DRAFT
    # The same decision by a secretary with no limit goes through.
    client.force_login(s["demo"]["secretary"])
    assert client.post(reverse("grants:series_resolve", args=[draft.pk]), decision).status_code == 302
    assert Series.objects.get(pk=draft.pk).status == Series.Status.RESOLVED


def test_the_decision_queue_and_dashboard_keep_to_the_users_companies(
    client, two_issuers, django_assert_max_num_queries
):
    s = two_issuers
    client.force_login(s["secretary"])
    for url in (reverse("grants:decision_queue"), reverse("papers:dashboard"), reverse("papers:audit")):
        body = client.get(url).content.decode()
        assert "First Issuer Draft" not in body, url
    client.force_login(s["demo"]["secretary"])
    assert "First Issuer Draft" in client.get(reverse("grants:decision_queue")).content.decode()


def test_forms_offer_only_the_users_companies(client, two_issuers):
    s = two_issuers
    second_legal = type(s["secretary"]).objects.get(username="second_legal")
    client.force_login(second_legal)
    for url in (reverse("grants:series_create"), reverse("holders:holder_create")):
        form = client.get(url).context["form"]
        assert list(form.fields["company"].queryset) == [s["second"]], url
    before = Series.objects.count()
    response = client.post(
        reverse("grants:series_create"), {"company": s["first"].pk, "number": 20, "name": "X"}
    )
    assert response.status_code == 200 and "company" in response.context["form"].errors
    assert Series.objects.count() == before
