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


# --- Behind a proxy: the client's address is X-Forwarded-For's only as far as TRUSTED_PROXY_COUNT says.

PROXY = "10.0.0.1"


def via_proxy(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_with_no_trusted_proxy_a_forged_header_changes_nothing(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    legal_user("legal")
    # Each attempt forges another address; they all count against the one the connection came from.
    for n in range(4):
        assert via_proxy(client, "legal", "wrong", f"203.0.113.{n}").status_code == 200
    assert via_proxy(client, "legal", "wrong", "203.0.113.99").status_code == 429
    assert attempt(client, "legal", "pw", ip="10.0.0.2")["Location"] == reverse("papers:dashboard")


def test_with_one_trusted_proxy_the_address_it_saw_is_the_key(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    legal_user("legal")
    attacker = "203.0.113.5"
    # The attacker forges the left of the header; the proxy appends the address it saw.
    for n in range(4):
        assert via_proxy(client, "legal", "wrong", f"198.51.100.{n}, {attacker}").status_code == 200
    assert via_proxy(client, "legal", "wrong", f"198.51.100.77, {attacker}").status_code == 429
    # The user, through the same proxy from their own address, is not locked out.
    response = via_proxy(client, "legal", "pw", "192.0.2.44")
    assert response.status_code == 302 and response["Location"] == reverse("papers:dashboard")


def test_the_client_address_function(rf, settings):
    from equityplan.client_ip import client_ip

    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 3.3.3.3")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "3.3.3.3"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "2.2.2.2"
    settings.TRUSTED_PROXY_COUNT = 4  # fewer hops than proxies: not the proxies' header
    assert client_ip(request) == PROXY
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")) == PROXY
