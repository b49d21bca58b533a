"""The second factor (docs/domain.md reading R46): board secretaries and administrators enrol an authenticator
app and give its code after the password; recovery codes work once; legal staff are not asked.
Codes are computed here as the app would (RFC 6238, django_otp.oath.TOTP)."""

import time

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import legal_user, secretary_user
from tests.infra.signing_in import current_code, fresh_code

pytestmark = pytest.mark.django_db

THROTTLE_AFTER_ONE_FAILURE = 1.1  # seconds

DASHBOARD = reverse("papers:dashboard")


def sign_in(client, username, password="pw"):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    return response


def test_a_secretary_without_a_device_is_sent_to_enrol_and_reaches_nothing_else(client):
    secretary_user("secretary")
    sign_in(client, "secretary")
    for url in (DASHBOARD, reverse("grants:decision_queue"), reverse("papers:register_csv")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("otp_enrol")), url


def test_enrolment_with_a_real_code_then_recovery_codes_shown_once(client):
    user = secretary_user("secretary")
    sign_in(client, "secretary")
    page = client.get(reverse("otp_enrol") + "?next=/decisions/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'data-testid="otp-secret"' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # A wrong code is refused and confirms nothing.
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("otp_enrol"), {"token": wrong, "next": "/decisions/"})
    assert response.status_code == 400 and "not right" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    time.sleep(THROTTLE_AFTER_ONE_FAILURE)
    response = client.post(reverse("otp_enrol"), {"token": current_code(device), "next": "/decisions/"})
    assert response.status_code == 200
    codes = [t.token for t in StaticToken.objects.filter(device__user=user)]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(DASHBOARD).status_code == 200
    # Enrolled: the enrolment page no longer shows a key, it asks for the code.
    assert client.get(reverse("otp_enrol"))["Location"].startswith(reverse("otp_verify"))


def test_each_sign_in_asks_for_the_code_after_the_password(client):
    user = secretary_user("secretary")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, "secretary")
    response = client.get("/decisions/")
    assert response["Location"] == reverse("otp_verify") + "?next=%2Fdecisions%2F"
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    assert client.post(reverse("otp_verify"), {"token": wrong}).status_code == 400
    # Right after a wrong code even the right one waits (django-otp's throttle: 1 s, then 2 s, 4 s...).
    assert client.post(reverse("otp_verify"), {"token": current_code(device)}).status_code == 400
    time.sleep(THROTTLE_AFTER_ONE_FAILURE)
    response = client.post(reverse("otp_verify"), {"token": fresh_code(device), "next": "/decisions/"})
    assert response.status_code == 302 and response["Location"] == "/decisions/"
    assert client.get("/decisions/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = secretary_user("secretary")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    from equityplan.second_factor import issue_recovery_codes

    code = issue_recovery_codes(user)[0]
    sign_in(client, "secretary")
    assert client.post(reverse("otp_verify"), {"token": code}).status_code == 302
    client.logout()
    sign_in(client, "secretary")
    assert client.post(reverse("otp_verify"), {"token": code}).status_code == 400
    assert client.get(DASHBOARD).status_code == 302


def test_the_next_address_never_leaves_the_site(client):
    user = secretary_user("secretary")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, "secretary")
    response = client.post(
        reverse("otp_verify"), {"token": fresh_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == DASHBOARD


def test_legal_staff_are_not_asked(client):
    legal_user("legal")
    sign_in(client, "legal")
    assert client.get(DASHBOARD).status_code == 200


def test_the_admin_is_behind_the_second_factor(client):
    User.objects.create_superuser("root", "root@example.invalid", "a-long-passphrase-for-root")
    sign_in(client, "root", "a-long-passphrase-for-root")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_enrol"))
