"""Holders' master data through the pages: every change is on the trail with its before and after."""

from datetime import date

import pytest
from django.urls import reverse

from holders.models import Holder, HolderEvent, Position
from tests.factories import issuer, make_holder

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Saburo Newcomer (fictional)",
    "name_kana": "サブロウ",
    "email": "saburo@example.invalid",
    "phone": "",
    "address": "3-3 Fictional-cho, Tokyo",
    "address_from": "2020-04-01",
    "title": "executive_officer",
    "started_on": "2020-06-26",
}


def test_legal_staff_add_a_holder_in_office(client, legal):
    company = issuer()
    client.force_login(legal)
    form = client.get(reverse("holders:holder_create")).context["form"]
    assert form.initial["company"] == company.pk  # the only company is preselected
    response = client.post(reverse("holders:holder_create"), {**NEW, "company": company.pk})
    holder = Holder.objects.get(name="Saburo Newcomer (fictional)")
    assert response.status_code == 302 and response["Location"] == holder.get_absolute_url()
    assert holder.address_on(date(2020, 4, 1)) == "3-3 Fictional-cho, Tokyo"
    position = holder.positions.get()
    assert (position.title, position.company) == (Position.Title.EXECUTIVE_OFFICER, company)
    assert list(holder.events.order_by("pk").values_list("event_type", flat=True)) == [
        HolderEvent.Type.CREATED,
        HolderEvent.Type.POSITION_STARTED,
    ]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "This field is required"),
        ("name", "x" * 201, "at most 200 characters"),
        ("address_from", "2021-02-29", "Enter a valid date"),
        ("email", "not-an-email", "Enter a valid email address"),
        ("name", "nul\x00byte", "Null characters are not allowed"),
    ],
)
def test_bad_input_writes_nothing(client, legal, field, value, message):
    client.force_login(legal)
    response = client.post(reverse("holders:holder_create"), {**NEW, field: value})
    assert response.status_code == 200 and message in response.text
    assert not Holder.objects.exists() and not HolderEvent.objects.exists()


def test_auditor_cannot_add_or_change(client, legal, auditor):
    holder = make_holder(actor=legal)
    client.force_login(auditor)
    assert client.post(reverse("holders:holder_create"), NEW).status_code == 403
    for name in ("holders:holder_details", "holders:address_change", "holders:position_start"):
        assert client.get(reverse(name, args=[holder.pk])).status_code == 403
    assert Holder.objects.count() == 1


def test_name_change_is_on_the_trail_with_before_and_after(client, legal):
    holder = make_holder(actor=legal, name="Old Name (test)")
    client.force_login(legal)
    url = reverse("holders:holder_details", args=[holder.pk])
    assert 'value="Old Name (test)"' in client.get(url).text
    response = client.post(
        url,
        {
            "name": "New Name (test)",
            "name_kana": "",
            "email": "",
            "phone": "",
            "effective_date": "2021-01-05",
        },
    )
    assert response.status_code == 302
    event = HolderEvent.objects.get(holder=holder, event_type=HolderEvent.Type.DETAILS_CHANGED)
    assert (event.before, event.after) == ({"name": "Old Name (test)"}, {"name": "New Name (test)"})
    assert event.effective_date == date(2021, 1, 5) and event.recorded_by == legal
    # Posting the same values again changes nothing and says so.
    again = client.post(
        url,
        {
            "name": "New Name (test)",
            "name_kana": "",
            "email": "",
            "phone": "",
            "effective_date": "2021-01-05",
        },
    )
    assert "Nothing was changed" in again.text
    assert HolderEvent.objects.filter(event_type=HolderEvent.Type.DETAILS_CHANGED).count() == 1


def test_new_address_and_a_second_position(client, legal):
    holder = make_holder(actor=legal)
    client.force_login(legal)
    client.post(
        reverse("holders:address_change", args=[holder.pk]),
        {"address": "9-9 Moved", "valid_from": "2022-01-01"},
    )
    assert holder.address_on(date(2022, 1, 1)) == "9-9 Moved"
    response = client.post(
        reverse("holders:position_start", args=[holder.pk]),
        {"company": issuer().pk, "title": "director", "started_on": "2022-06-01"},
    )
    assert "already holds that position" in response.text
    client.post(
        reverse("holders:position_start", args=[holder.pk]),
        {"company": issuer().pk, "title": "executive_officer", "started_on": "2022-06-01"},
    )
    assert holder.positions.count() == 2


def test_admin_changes_go_through_the_service(client, legal, django_user_model):
    holder = make_holder(actor=legal, name="Admin Edited (test)")
    root = django_user_model.objects.create_superuser("root", "root@example.invalid", "pw")
    client.force_login(root)
    url = reverse("admin:holders_holder_change", args=[holder.pk])
    data = {
        "name": "Admin Corrected (test)",
        "name_kana": "",
        "email": "",
        "phone": "",
        "language": "ja",
        "addresses-TOTAL_FORMS": "1",
        "addresses-INITIAL_FORMS": "1",
        "addresses-MIN_NUM_FORMS": "0",
        "addresses-MAX_NUM_FORMS": "1000",
        "addresses-0-id": str(holder.addresses.get().pk),
        "addresses-0-holder": str(holder.pk),
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "1",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        "positions-0-id": str(holder.positions.get().pk),
        "positions-0-holder": str(holder.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    holder.refresh_from_db()
    assert holder.name == "Admin Corrected (test)"
    event = HolderEvent.objects.get(holder=holder, event_type=HolderEvent.Type.DETAILS_CHANGED)
    assert event.recorded_by == root and event.after == {"name": "Admin Corrected (test)"}
    assert client.get(reverse("admin:holders_holder_add")).status_code == 403
