"""The forms and filters the pages show, found by reading every page as each role.

Every route of the URL table (``tests/test_no_server_errors.py`` enumerates them) is read as each
demo role; each ``<form>`` is kept with its action, method and fields (kind, and the value or options
the page offers), so a test can post to every form as the role that sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.urls import Resolver404, get_resolver, resolve

from tests.test_no_server_errors import app_routes, concrete

SKIPPED_ACTIONS = ("/i18n/", "/logout/", "/admin/", "/login/")
SKIPPED_SUFFIXES = (".pdf", ".csv")
TYPED_KINDS = ("date", "number", "select")


@dataclass
class FormField:
    name: str
    kind: str  # date, number, select, text, textarea, checkbox, radio, hidden, file, email
    value: str = ""
    options: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class PageForm:
    role: str
    page: str
    action: str
    method: str
    fields: list[FormField] = field(default_factory=list)

    @property
    def typed(self) -> list[FormField]:
        return [f for f in self.fields if f.kind in TYPED_KINDS]

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        """One form per view and set of fields: the same form on another record adds nothing."""
        try:
            view = resolve(self.action).view_name
        except Resolver404:
            view = self.action
        return (self.method, view, tuple(sorted({f.name for f in self.fields})))


class _FormParser(HTMLParser):
    def __init__(self, page: str, role: str):
        super().__init__(convert_charrefs=True)
        self.page, self.role = page, role
        self.forms: list[PageForm] = []
        self.links: set[str] = set()
        self.paths: list[str] = []
        self._form: PageForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith(("/", "?")):
            href = urlsplit(a["href"])
            self.links.update(name for name, _ in parse_qsl(href.query, keep_blank_values=True))
            if href.path.startswith("/"):
                self.paths.append(href.path)
        if tag == "form":
            action = a.get("action") or self.page
            self._form = PageForm(self.role, self.page, urlsplit(action).path, a.get("method", "get").lower())
            return
        if self._form is None or "name" not in a:
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and any(f.name == a["name"] for f in self._form.fields):
                return
            self._form.fields.append(FormField(a["name"], kind, a.get("value", ""), required="required" in a))
        elif tag == "select":
            self._select = FormField(a["name"], "select", required="required" in a)
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = FormField(a["name"], "textarea", required="required" in a)
            self._form.fields.append(self._textarea)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            if not self._form.action.startswith(SKIPPED_ACTIONS):
                self.forms.append(self._form)
            self._form = None


@dataclass
class Discovery:
    forms: list[PageForm]
    pages: list[str]
    get_params: dict[str, set[str]]  # page -> query parameters its filters and links use


def discover(client, users: dict, roles=("legal", "secretary"), limit: int = 400) -> Discovery:
    """Every form of every page as each role, once per (method, action, field names).

    The pages are every route without an id, every route with id 1, and every page their links
    lead to (so the records of the data set are reached whatever their ids)."""
    forms: dict[tuple, PageForm] = {}
    params: dict[str, set[str]] = {}
    resolver = get_resolver()
    for role in roles:
        client.force_login(users[role])
        queue = [concrete(route, 1) for route in app_routes()]
        seen: set[str] = set()
        while queue and len(seen) < limit:
            url = queue.pop(0)
            if url in seen or url.endswith(SKIPPED_SUFFIXES):
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            parser = _FormParser(url, role)
            parser.feed(response.content.decode())
            params.setdefault(url, set()).update(parser.links)
            for form in parser.forms:
                if form.method == "get":
                    params[url].update(f.name for f in form.fields)
                else:
                    forms.setdefault(form.key, form)
            for path in parser.paths:
                try:
                    resolver.resolve(path)
                except Resolver404:
                    continue
                if path not in seen and not path.startswith(SKIPPED_ACTIONS):
                    queue.append(path)
    return Discovery(list(forms.values()), sorted(params), params)
