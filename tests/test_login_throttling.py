"""Five wrong passwords for one username from one address lock that pair out; others are unaffected."""

import pytest
from django.urls import reverse

from tests.factories import legal_user, secretary_user

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_from_that_address(client):
    legal_user("legal")
    secretary_user("secretary")
    for _ in range(4):
        response = attempt(client, "legal", "wrong")
        assert response.status_code == 200 and "Please enter a correct username and password" in response.text
    response = attempt(client, "legal", "wrong")
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    # Even the right password is refused while locked out.
    assert attempt(client, "legal", "pw").status_code == 429
    # Another user, and the same user from another address, can still log in.
    assert attempt(client, "secretary", "pw")["Location"] == reverse("papers:dashboard")
    client.logout()
    assert attempt(client, "legal", "pw", ip="10.0.0.2")["Location"] == reverse("papers:dashboard")


def test_a_success_resets_the_count(client):
    legal_user("legal")
    for _ in range(4):
        attempt(client, "legal", "wrong")
    assert attempt(client, "legal", "pw").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "legal", "wrong").status_code == 200
