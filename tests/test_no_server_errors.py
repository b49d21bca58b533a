"""Every page of the app, with real and unknown ids and hostile query strings, answers without a 500."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from grants import demo

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "i18n/", "logout/")
HOSTILE_QUERIES = [
    "",
    "?as_of=2013-02-29",
    "?as_of=H25.7.11",
    "?as_of=9999-12-31",
    "?as_of=0001-01-01",
    "?page=-1",
    "?series=abc",
    "?holder=%00",
    "?q=%3Cscript%3E",
    "?lang=xx",
    "?status=%E2%80%AE",
]


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def concrete(route: str, pk: int) -> str:
    return "/" + re.sub(r"<int:\w+>", str(pk), route).replace("^", "").replace("$", "")


def app_routes():
    routes = []
    for route in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "<" in re.sub(r"<int:\w+>", "", route):
            continue
        routes.append(route)
    return sorted(set(routes))


@pytest.fixture
def demo_data():
    users = demo.ensure_demo_users()
    series = demo.load_seed_series(users=users)
    for step in demo.EXTRA_STEPS:
        step(users=users, series=series)
    return users


@pytest.mark.slow
@pytest.mark.parametrize("username", ["legal", "secretary", "auditor"])
def test_no_page_answers_500(client, demo_data, username, each_pdf_rendered_once):
    client.force_login(demo_data[username])
    failures = []
    for route in app_routes():
        for pk in (1, 999_999):
            for query in HOSTILE_QUERIES if pk == 1 else [""]:
                url = concrete(route, pk) + query
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append((url, response.status_code))
    assert not failures, failures


def test_posts_of_garbage_never_answer_500(client, demo_data):
    client.force_login(demo_data["legal"])
    failures = []
    garbage = {
        "rights": "1e3",
        "as_of": "R1.4.30",
        "status": "approved",
        "approved_by": "1",
        "amount": "¥1,000",
    }
    for route in app_routes():
        if "<int:" not in route and not route.endswith(("new/",)):
            continue
        for pk in (1, 999_999):
            url = concrete(route, pk)
            response = client.post(url, garbage)
            if response.status_code >= 500:
                failures.append((url, response.status_code))
    assert not failures, failures
