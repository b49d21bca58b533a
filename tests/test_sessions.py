"""Sessions end after 30 minutes idle and 12 hours after sign-in; passwords have 12 characters at least."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from equityplan.middleware import SIGNED_IN_AT
from grants.demo import DEMO_USERS
from tests.factories import legal_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("papers:dashboard")


def test_each_request_pushes_the_idle_limit_to_30_minutes(client):
    client.force_login(legal_user())
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800


def test_twelve_hours_after_sign_in_the_session_ends_however_active(client):
    client.force_login(legal_user())
    assert client.get(DASHBOARD).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(DASHBOARD).status_code == 302  # signed out, not only redirected once


def test_eleven_hours_in_the_session_goes_on(client):
    client.force_login(legal_user())
    client.get(DASHBOARD)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 11 * 3600
    session.save()
    assert client.get(DASHBOARD).status_code == 200


def test_passwords_need_twelve_characters_and_the_demo_ones_have_them():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3")  # 11 characters
    for user in DEMO_USERS:
        validate_password(user.password)
