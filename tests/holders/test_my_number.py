"""My Number: the check digit, encrypted at rest, masked everywhere, revealed only deliberately and
on the trail; the clear number never in a page, a CSV, a log line or the database (docs/domain.md §7.5)."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from grants.roles import AUDITOR, BOARD_SECRETARY, LEGAL_STAFF
from holders import my_number, services
from holders.models import HolderEvent
from tests.factories import auditor_user, legal_user, secretary_user
from tests.factories.books import build_books

pytestmark = pytest.mark.django_db

NUMBER = "123456789018"


@pytest.fixture
def books(db):
    return build_books(legal_user(), secretary_user())


@pytest.mark.parametrize(
    "value,valid",
    [
        ("123456789018", True),
        ("1234 5678 9018", True),
        ("1234-5678-9018", True),
        ("123456789017", False),  # wrong check digit
        ("12345678901", False),
        ("１２３４５６７８９０１８", False),  # full-width digits are not read
        ("12345678901a", False),
        ("", False),
    ],
)
def test_check_digit(value, valid):
    assert my_number.is_valid(value) is valid


def test_check_digit_when_the_remainder_is_at_most_one():
    # weighted sum 0 and 12 (6 x 2: remainder 1) both take 0; 6 (1 x 6) takes 11 - 6
    assert my_number.check_digit("00000000000") == 0
    assert my_number.check_digit("00000000006") == 0
    assert my_number.check_digit("10000000000") == 5


def test_roles_only_legal_staff_may_reveal():
    from django.contrib.auth.models import Group

    from grants.roles import ensure_roles

    ensure_roles()
    holders = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert "view_my_number" in holders[LEGAL_STAFF]
    assert "view_my_number" not in holders[AUDITOR]
    assert "view_my_number" not in holders[BOARD_SECRETARY]
    assert "view_holder" in holders[AUDITOR]


def test_set_refuses_a_bad_number_and_writes_nothing(books):
    holder = books.scenario.officer
    with pytest.raises(ValidationError) as excinfo:
        services.holder_my_number_set(holder=holder, number="123456789017", actor=books.legal)
    assert excinfo.value.error_dict["number"][0].code == "my_number"
    assert not HolderEvent.objects.filter(holder=holder, event_type=HolderEvent.Type.MY_NUMBER_SET).exists()


def test_the_clear_number_never_appears(client, books, caplog):
    caplog.set_level(logging.DEBUG)
    holder = books.scenario.officer
    client.force_login(books.legal)
    response = client.post(reverse("holders:my_number_set", args=[holder.pk]), {"number": NUMBER})
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.my_number_masked == "**** **** 9018"
    assert NUMBER not in holder.my_number_encrypted
    assert my_number.decrypt(holder.my_number_encrypted) == NUMBER

    # the database holds it nowhere in clear: every text column of every table
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                assert not any(NUMBER in str(cell) for cell in row), table

    # pages and files (the holder, the tax page, the audit trail, the annual report CSV)
    query = f"?company={books.company.pk}&year=2013"
    for url in (
        holder.get_absolute_url(),
        reverse("accounting:tax") + query,
        reverse("accounting:annual_csv") + query,
        reverse("accounting:payroll_csv") + query + "&month=7",
        reverse("papers:audit"),
    ):
        body = client.get(url).content.decode("utf-8-sig")
        assert NUMBER not in body, url
    assert "**** **** 9018" in client.get(reverse("accounting:annual_csv") + query).content.decode(
        "utf-8-sig"
    )
    # a refused form is not echoed back
    body = client.post(reverse("holders:my_number_set", args=[holder.pk]), {"number": "123456789017"}).content
    assert b"123456789017" not in body
    assert NUMBER not in caplog.text and "123456789017" not in caplog.text


def test_reveal_needs_the_permission_and_a_purpose_and_is_on_the_trail(client, books, caplog):
    caplog.set_level(logging.DEBUG)
    holder = books.scenario.officer
    services.holder_my_number_set(holder=holder, number=NUMBER, actor=books.legal)
    url = reverse("holders:my_number_reveal", args=[holder.pk])
    for user in (auditor_user(), secretary_user("another_secretary")):
        client.force_login(user)
        assert client.post(url, {"purpose": "curious"}).status_code == 403
    client.force_login(books.legal)
    assert client.get(url).status_code == 405  # never by a link
    response = client.post(url, {"purpose": ""})
    assert response.status_code == 302
    assert not HolderEvent.objects.filter(event_type=HolderEvent.Type.MY_NUMBER_READ).exists()
    response = client.post(url, {"purpose": "report on exercises 2013"})
    assert response.status_code == 200 and NUMBER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = HolderEvent.objects.get(event_type=HolderEvent.Type.MY_NUMBER_READ)
    assert event.recorded_by == books.legal and event.after["purpose"] == "report on exercises 2013"
    assert NUMBER not in str(event.after)
    assert NUMBER not in caplog.text


def test_service_read_refuses_without_the_permission(books):
    holder = books.scenario.officer
    services.holder_my_number_set(holder=holder, number=NUMBER, actor=books.legal)
    with pytest.raises(ValidationError) as excinfo:
        services.holder_my_number_read(holder=holder, purpose="x", actor=auditor_user())
    assert excinfo.value.code == "permission"
    assert not HolderEvent.objects.filter(event_type=HolderEvent.Type.MY_NUMBER_READ).exists()
