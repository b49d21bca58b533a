"""Every model of the app has an admin that lists, searches and shows records; ledger fields cannot be changed there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from grants.models import LedgerEvent
from tests.factories import allot, legal_user, make_holder, make_series
from tests.infra.shared_data import built_once

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("admin")]

APPS = ("companies", "grants", "holders", "valuations", "jobs")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "pw")


def build_records():
    legal = legal_user()
    series = make_series(actor=legal)
    for _ in range(3):
        allot(series=series, holder=make_holder(actor=legal), rights=2, actor=legal)
    return series


@pytest.fixture(scope="class")
def records(django_db_setup, django_db_blocker):
    """A superuser and a series with three allotments, built once for the class's tests (which only
    read them; each runs in its own savepoint) on one xdist worker (tests/README.md)."""

    def build():
        from django.contrib.auth import get_user_model

        root = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw")
        return root, build_records()

    with built_once(django_db_blocker, build) as built:
        yield built


def registered_models():
    return [m for m in admin.site._registry if m._meta.app_label in APPS]


def test_every_grants_and_holders_model_is_registered():
    from django.apps import apps

    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            assert model in admin.site._registry, f"{model.__name__} has no admin"


class TestOnSharedRecords:
    @pytest.fixture
    def superuser(self, db, records):
        return records[0]

    @pytest.fixture
    def data(self, db, records):
        return records[1]

    @pytest.mark.parametrize("model", registered_models(), ids=lambda m: m.__name__)
    def test_changelist_search_and_detail_render(
        self, client, superuser, data, model, django_assert_max_num_queries
    ):
        client.force_login(superuser)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
        assert client.get(url, {"q": "Holder"}).status_code == 200
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200

    def test_ledger_events_cannot_be_changed_or_deleted_in_admin(self, client, superuser, data):
        client.force_login(superuser)
        event = LedgerEvent.objects.filter(event_type="allotted").first()
        change = reverse("admin:grants_ledgerevent_change", args=[event.pk])
        response = client.post(change, {"rights_delta": "999"})
        assert response.status_code == 403
        delete = reverse("admin:grants_ledgerevent_delete", args=[event.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        event.refresh_from_db()
        assert event.rights_delta == 2


def _company_form(**values):
    data = {
        "name": "",
        "name_ja": "",
        "securities_code": "",
        "address": "",
        "representative": "",
        "successor_of": "",
        "accounting_standard": "jgaap",
        "fiscal_year_end_month": "3",
    }
    data.update(values)
    return data


def test_company_added_in_admin_goes_through_the_service(client, superuser):
    from equityplan.clock import today
    from grants.models import Company

    client.force_login(superuser)
    response = client.post(
        reverse("admin:companies_company_add"),
        _company_form(name="Admin Added Inc. ", securities_code="8888"),
    )
    assert response.status_code == 302, response.content[:2000]
    company = Company.objects.get()
    assert (company.name, company.securities_code) == ("Admin Added Inc.", "8888")
    assert response.url == reverse("admin:companies_company_changelist")
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.COMPANY_CREATED)
    assert (event.recorded_by, event.effective_date) == (superuser, today())
    assert event.payload["company_id"] == company.pk and event.payload["name"] == "Admin Added Inc."


def test_company_changed_in_admin_goes_through_the_service(client, superuser):
    from grants.models import Company
    from tests.factories import CompanyFactory

    company = CompanyFactory(name="Before Inc.", securities_code="7777")
    client.force_login(superuser)
    change = reverse("admin:companies_company_change", args=[company.pk])
    response = client.post(change, _company_form(name="After Inc.", securities_code="7777"))
    assert response.status_code == 302, response.content[:2000]
    assert Company.objects.get(pk=company.pk).name == "After Inc."
    event = LedgerEvent.objects.get(event_type=LedgerEvent.Type.COMPANY_CHANGED)
    assert event.recorded_by == superuser
    assert event.payload == {
        "company_id": company.pk,
        "before": {"name": "Before Inc."},
        "after": {"name": "After Inc."},
    }
    client.post(change, _company_form(name="After Inc.", securities_code="7777"))  # nothing changed
    assert LedgerEvent.objects.filter(event_type=LedgerEvent.Type.COMPANY_CHANGED).count() == 1
    delete = reverse("admin:companies_company_delete", args=[company.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Company.objects.filter(pk=company.pk).exists()
