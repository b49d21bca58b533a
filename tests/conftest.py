"""Test infrastructure shared by the whole suite: the PostgreSQL guard, Chromium, Redis.

The role fixtures (legal, secretary, auditor) are here too; other domain fixtures live beside their tests.
"""

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in the main thread; Django's ORM (live_server, fixtures)
# refuses to run there unless told the loop is not ours to worry about.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.infra.redis_server import RedisServer  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# --- the append-only guard and the test runner's flush ---------------------------------------


def _allow_flush_of_append_only_tables() -> None:
    """Transactional tests end with a flush (DELETE on SQLite, TRUNCATE on PostgreSQL) that the
    append-only triggers refuse; only here, around that flush, is the connection's switch on."""
    from django.test import TransactionTestCase

    from equityplan.appendonly import flush_allowed

    original = TransactionTestCase._fixture_teardown
    if getattr(original, "_allows_flush", False):
        return

    def _fixture_teardown(self):
        with flush_allowed(list(self._databases_names(include_mirrors=False))):
            original(self)

    _fixture_teardown._allows_flush = True  # type: ignore[attr-defined]
    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]


_allow_flush_of_append_only_tables()


# --- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _postgres_marker_requires_postgresql(request):
    """A test marked ``postgres`` fails (never skips) when the database is not PostgreSQL."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail(
            f"this test is marked 'postgres' and needs PostgreSQL, but the database is "
            f"{connection.vendor}: set DATABASE_URL=postgres://USER@HOST:PORT/NAME "
            f"(`make test` starts a throwaway PostgreSQL and does this)",
            pytrace=False,
        )


# --- Which step runs a test (tests/README.md, "Which step runs what") ------------------------

# A test reaches the database only through one of these (pytest-django refuses any other access);
# a module-scoped data set opens the database through django_db_setup. django_db_blocker is in every
# test's fixtures (pytest-django's own autouse ones ask for it), so it tells nothing.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
    }
)


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="deselect the tests that cannot reach the database (the PostgreSQL step: the SQLite "
        "step has run them already)",
    )


def uses_database(item) -> bool:
    """True when the test can reach the database: a ``django_db`` marker, a database fixture, or a
    ``postgres`` marker (those check the server itself)."""
    if any(item.get_closest_marker(m) for m in ("django_db", "postgres", "restarts_postgres")):
        return True
    return not DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config, items):
    # The sweeps over every page take minutes each: first in line, so that under xdist the other
    # worker fills in around them instead of waiting for the last one at the end.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if not config.getoption("--database-tests-only"):
        return
    keep = [item for item in items if uses_database(item)]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
        items[:] = keep


# --- PDFs in the sweeps ----------------------------------------------------------------------

_PDF_BY_HTML: dict[tuple, bytes] = {}


@pytest.fixture
def each_pdf_rendered_once(monkeypatch):
    """WeasyPrint renders a given HTML once per test process; the same HTML again gets the bytes of
    the first rendering. For the sweeps that read every PDF route with a dozen query strings: a query
    the view ignores gives the same HTML, and rendering it again checks nothing the first did not
    (a different HTML, e.g. another date, is rendered for real)."""
    import weasyprint

    real = weasyprint.HTML

    class RenderedOnce:
        def __init__(self, *args, **kwargs):
            self.args, self.kwargs = args, kwargs

        def write_pdf(self, *args, **kwargs):
            key = (self.kwargs.get("string"), self.args, repr(args), repr(sorted(kwargs.items())))
            if key[0] is None or key not in _PDF_BY_HTML:
                pdf = real(*self.args, **self.kwargs).write_pdf(*args, **kwargs)
                if key[0] is None:
                    return pdf
                _PDF_BY_HTML[key] = pdf
            return _PDF_BY_HTML[key]

    monkeypatch.setattr(weasyprint, "HTML", RenderedOnce)


# --- Chromium through Playwright -------------------------------------------------------------


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (``item.rep_setup``, ``rep_call``) for fixtures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium, headless, launched once per test session (per xdist worker)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: Debian `apt-get install chromium` (`make test` does)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(chromium_browser, request):
    """A fresh browser context and page per test; a screenshot lands in test-artifacts/ on failure."""
    context = chromium_browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", timezone_id="Asia/Tokyo"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-180:]
            try:
                page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)
                (ARTIFACTS_DIR / f"{name}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # the page may be gone; the test's own failure matters more
                print(f"could not save a screenshot for {request.node.nodeid}: {exc}")
        context.close()


# --- Redis -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real redis-server on a free loopback port with appendonly on (one per xdist worker).

    ``.url``, ``.port``, ``.dir``, ``.pid``; ``.stop(kill=False)``, ``.start()``, ``.restart()``
    bring it down and back on the same port and directory, for fault tests.
    """
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server):
    """The URL of the session's Redis, running and empty at the start of the test."""
    import redis

    redis_server.start()  # an earlier fault test may have left it stopped
    client = redis.Redis.from_url(redis_server.url)
    try:
        client.flushall()
    finally:
        client.close()
    return redis_server.url


# --- The three roles -------------------------------------------------------------------------


@pytest.fixture
def legal(db):
    from tests.factories import legal_user

    return legal_user()


@pytest.fixture
def secretary(db):
    from tests.factories import secretary_user

    return secretary_user()


@pytest.fixture
def auditor(db):
    from tests.factories import auditor_user

    return auditor_user()


# --- Signing in ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor_too(monkeypatch):
    """``client.force_login`` skips the password; here it skips the second factor too, so tests of a
    page need not sign in twice. The sign-in itself is tested with real passwords and TOTP codes
    (tests/test_second_factor.py), through ``client.login`` and the browser."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from tests.infra.signing_in import verify_session

        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts and ends in the site's language: a request in Japanese (Accept-Language)
    leaves the thread's translation active after the response, and the next test would read it."""
    from django.utils import translation

    yield
    translation.deactivate()
