"""A board secretary's first sign-in in Chromium: password, enrolment of an authenticator app from the
page's key, the recovery codes once, then the pages, under the strict CSP without a violation."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP

from tests.factories import secretary_user
from tests.infra.signing_in import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_enrols_the_app_and_the_pages_work_under_the_policy(live_server, page):
    secretary_user("secretary")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", "pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/login/second-factor/enrol/**")
    assert page.locator("[data-testid=otp-qr] svg").count() == 1
    key = b32decode(page.get_by_test_id("otp-secret").inner_text())
    page.fill("#id_token", f"{TOTP(key).token():06d}")  # what the app shows for this key now
    page.get_by_role("button", name="Confirm").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    assert codes.count() == 10
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/dashboard/")

    # The language switch is script from a static file: it runs under the policy.
    page.select_option(".language-select", "ja")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert not violations, violations


def test_the_admin_after_the_second_factor_runs_under_the_policy(live_server, page):
    User.objects.create_superuser("root", "root@example.invalid", "pw")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    browser_log_in(page, live_server.url, "root", "pw")
    for path in (
        "/admin/",
        "/admin/auth/user/",
        "/admin/auth/user/1/change/",
        "/admin/companies/companyaccess/add/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert not violations, violations
