"""The bad-input list (tests/hostile.py) fired at every form and every filter of every page
(docs/domain.md R48 to R51): never a 5xx, always a refusal with a message, nothing written.

The forms are found by reading every page as each role (tests/forms_on_pages.py), over a data set
with a record in every state that shows a form: a draft series, a transfer, an exercise and an
inheritance awaiting their next step, a corporate action awaiting the board.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants import demo, services
from grants.models import CompanyAcquisition, CorporateAction
from tests.factories import make_series
from tests.factories.lifecycle import allotted_scenario, end_office, holding
from tests.forms_on_pages import TYPED_KINDS, Discovery, PageForm, discover
from tests.hostile import ALL, REFUSED
from tests.infra.shared_data import built_once
from valuations import services as valuation_services
from valuations.models import Valuation

# Both sweeps read one data set, built once (module scope) on one xdist worker (loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("hostile_input")]

EXAMPLES = settings(
    max_examples=6,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
ERROR_MARKERS = re.compile(r"is-invalid|invalid-feedback|errorlist|alert-danger|alert-error")
PLAUSIBLE = {"date": "2020-07-03", "number": "1", "text": "x", "textarea": "x", "email": "a@example.com"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The data set and the forms and filters its pages show, built once for the module inside a
    transaction rolled back at the end; each test runs in a savepoint inside it (pytest-django's
    ``db``), so what one test writes is gone before the next."""

    def build():
        users = build_data()
        return users, discover(_SigningInClient(), users)

    with built_once(django_db_blocker, build) as built:
        yield built


class _SigningInClient(Client):
    """``force_login`` with the second factor given (tests/conftest.py does this for each test's own
    client; module-scoped fixtures run before that patch)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        from tests.infra.signing_in import verify_session

        verify_session(self, user)


@pytest.fixture
def data(db, world):
    return world[0]


@pytest.fixture
def found(db, world) -> Discovery:
    return world[1]


def build_data():
    users = demo.ensure_demo_users()
    series = demo.load_seed_series(users=users)
    for step in demo.EXTRA_STEPS:
        step(users=users, series=series)
    legal = users["legal"]
    make_series(actor=legal, resolve=False, number=90)  # a draft: the board's resolution form
    s = allotted_scenario(legal=legal, transfer_prohibited_by_allotment_terms=False)
    services.transfer_request(
        holding=holding(s.series, s.director),
        transferee=s.other,
        rights=3,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )
    end_office(s.officer, on=date(2020, 6, 30), actor=legal)
    services.exercise_request(
        holding=holding(s.series, s.officer), rights=1, requested_on=date(2020, 7, 3), actor=legal
    )
    services.death_record(holder=s.other, died_on=date(2020, 8, 20), actor=legal)
    services.inheritance_open(deceased=s.other, actor=legal)
    services.corporate_action_record(
        company=s.series.company,
        kind=CorporateAction.Kind.SPLIT,
        ratio_numerator=2,
        ratio_denominator=1,
        record_date=date(2022, 9, 30),
        actor=legal,
    )
    more_states(legal, series)
    return users


def more_states(legal, seed) -> None:
    """A series open for allotment, a transfer waiting for the register, an heir waiting for the
    board, an acquisition waiting for its day, a final valuation waiting for approval."""
    make_series(actor=legal, number=91)
    free = allotted_scenario(
        legal=legal, transfer_prohibited_by_allotment_terms=False, transfer_requires_board_approval=False
    )
    services.transfer_request(
        holding=holding(free.series, free.director),
        transferee=free.other,
        rights=1,
        requested_on=date(2020, 3, 2),
        actor=legal,
    )
    services.death_record(holder=free.officer, died_on=date(2020, 8, 20), actor=legal)
    case = services.inheritance_open(deceased=free.officer, actor=legal)
    services.heir_designate(case=case, heir=free.other, designated_on=date(2020, 8, 25), actor=legal)
    services.company_acquisition_resolve(
        series=allotted_scenario(legal=legal).series,
        trigger=CompanyAcquisition.Trigger.MERGER,
        proposal_approved_on=date(2021, 5, 1),
        acquisition_date=date(2021, 6, 1),
        resolution_date=date(2021, 4, 20),
        resolution_reference="Board 4/20",
        actor=legal,
    )
    approved = Valuation.objects.get(series=seed)
    again = valuation_services.valuation_run(
        series=seed, valuation_date=approved.valuation_date + timedelta(days=1), actor=legal
    )
    valuation_services.valuation_finalize(valuation=again, actor=legal)


# Sign-in bookkeeping (sessions, the lockout's access log) is not a record of the app.
NOT_RECORDS = ("sessions.Session", "axes.AccessLog", "axes.AccessAttempt", "axes.AccessFailureLog")


def row_counts() -> dict[str, int]:
    """The rows of every table of every model, in one query."""
    models = [m for m in apps.get_models() if m._meta.label not in NOT_RECORDS]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        counts = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, counts, strict=True)}


def refused(response) -> bool:
    """A refusal the person sees: a 4xx, the form again with an error, or a redirect with an error."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200:
        return bool(ERROR_MARKERS.search(response.content.decode()))
    if response.status_code in (301, 302, 303):
        return any(m.level >= constants.WARNING for m in get_messages(response.wsgi_request))
    return False


def payload(form: PageForm, values: dict[str, str]) -> dict:
    data: dict = {}
    for f in form.fields:
        if f.kind == "file":
            continue
        if f.name in values:
            data[f.name] = values[f.name]
        elif f.kind == "hidden":
            data[f.name] = f.value
        elif f.kind == "select":
            data[f.name] = next((o for o in f.options if o), "")
        elif f.kind in ("checkbox", "radio"):
            continue
        else:
            data[f.name] = f.value or PLAUSIBLE.get(f.kind, "x")
    return data


def login(client, user) -> None:
    if client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)


def fire(client, users, form: PageForm, values: dict[str, str], failures: list, *, must_refuse: bool) -> None:
    login(client, users[form.role])
    before = row_counts()
    response = client.post(form.action, payload(form, values))
    after = row_counts()
    where = (
        form.role,
        form.action,
        values if len(repr(values)) < 300 else {k: v[:40] for k, v in values.items()},
    )
    if response.status_code >= 500:
        failures.append((*where, response.status_code))
    elif must_refuse and not refused(response):
        failures.append((*where, "not refused", response.status_code))
    elif must_refuse and after != before:
        failures.append((*where, "wrote", {k: (before[k], after[k]) for k in after if before[k] != after[k]}))


def mixes(client, users, form: PageForm, failures: list):
    """A property over one form: any fields hostile, one typed field holding a value to refuse."""
    names = [f.name for f in form.fields if f.kind not in ("hidden", "file")]

    @EXAMPLES
    @given(
        target=st.sampled_from([f.name for f in form.typed]),
        bad=st.sampled_from(REFUSED),
        others=st.dictionaries(st.sampled_from(names), st.sampled_from(ALL), max_size=len(names)),
    )
    def check(target, bad, others):
        fire(client, users, form, {**others, target: bad}, failures, must_refuse=True)

    return check


def test_every_form_refuses_hostile_values_with_a_message_and_writes_nothing(client, data, found):
    assert len(found.forms) >= 25, [f.action for f in found.forms]
    failures: list = []
    tried = 0
    for form in found.forms:
        typed = [f for f in form.typed if f.kind in TYPED_KINDS]
        # Every value of the list at least once in every form, and every typed field hit at least
        # once, the other fields plausible.
        for i in range(max(len(typed), len(REFUSED)) if typed else 0):
            target, value = typed[i % len(typed)], REFUSED[i % len(REFUSED)]
            fire(client, data, form, {target.name: value}, failures, must_refuse=True)
            tried += 1
        if not typed:
            continue

        # Then mixes: any field hostile, at least one typed field holding a value that must be refused.
        mixes(client, data, form, failures)()
        tried += EXAMPLES.max_examples
    assert not failures, failures[:20]
    assert tried > 500

    # A name may be "<script>": it is stored and escaped, not refused; a form of text alone may succeed.
    for form in found.forms:
        for f in form.fields:
            if f.kind in ("text", "textarea", "email"):
                for value in (
                    "<script>alert(1)</script>",
                    "x" * 10_000,
                    "a\x00b",
                    "\u202e\u200b",
                    "' OR 1=1 --",
                ):
                    fire(client, data, form, {f.name: value}, failures, must_refuse=False)
                    tried += 1
    assert not failures, failures[:20]

    print(f"{len(found.forms)} forms, {tried} hostile posts")


def test_every_filter_answers_hostile_values_without_a_5xx_or_a_write(client, data, found):
    params: dict[str, set[str]] = {}
    views: set[tuple[str, frozenset[str]]] = set()
    for page, names in found.get_params.items():
        view = (resolve(page).view_name, frozenset(names))
        if names and view not in views:  # one page per view: /holders/2/ and /holders/3/ read alike
            views.add(view)
            params[page] = names
    assert {"as_of", "page", "date_from", "status", "lot", "row"} <= set().union(*params.values())
    failures: list = []
    client.force_login(data["legal"])
    before = row_counts()
    tried = 0
    for page, names in params.items():
        # Every value of the list at least once on every page, every parameter hit at least once.
        ordered = sorted(names)
        for i in range(max(len(ordered), len(ALL))):
            name, value = ordered[i % len(ordered)], ALL[i % len(ALL)]
            response = client.get(page, {name: value})
            tried += 1
            if response.status_code >= 500:
                failures.append((page, name, value[:40], response.status_code))
    print(f"{len(params)} filtered pages, {tried} hostile queries")
    assert not failures, failures[:20]
    assert row_counts() == before
