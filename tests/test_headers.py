"""Every route, signed in, carries the strict Content-Security-Policy and Cache-Control: no-store
(docs/reliability.md fact 15); templates have no inline script, handler or style attribute."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_no_server_errors import app_routes, concrete, demo_data  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

TEMPLATES = settings.BASE_DIR / "templates"


def assert_strict_csp(response, url):
    policy = response.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == ["'self'"], (url, policy)
    assert directives.get("script-src") == ["'self'"], (url, policy)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, (url, policy)


def assert_no_store(response, url):
    assert "no-store" in response.get("Cache-Control", ""), (url, response.get("Cache-Control"))


def test_every_route_signed_in_has_the_policy_and_no_store(client, demo_data):  # noqa: F811
    client.force_login(demo_data["secretary"])
    routes = app_routes()
    urls = [concrete(route, 1) for route in routes] + [reverse("admin:index")]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert_strict_csp(response, url)
        assert_no_store(response, url)
    assert len(routes) >= 60  # the walk covers the whole app, not a handful
    print(f"routes walked: {len(routes)} + admin")


def test_exports_are_not_stored_and_the_login_page_has_the_policy(client, demo_data):  # noqa: F811
    response = client.get(reverse("login"))
    assert_strict_csp(response, "login")
    client.force_login(demo_data["auditor"])
    for url in (reverse("papers:register_csv"), reverse("papers:audit_csv")):
        response = client.get(url)
        assert response.status_code == 200 and response.has_header("Content-Disposition"), url
        assert_no_store(response, url)


def test_no_template_has_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "_pdf" in path.name or "pdf" in path.parent.name or path.name.endswith("_pdf.html"):
            continue  # rendered to PDF by WeasyPrint, never served as a page
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text):
            offenders.append((path.name, "inline <script>"))
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append((path.name, "on* handler"))
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append((path.name, "inline style"))
    assert not offenders, offenders
