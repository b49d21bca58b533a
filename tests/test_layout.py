"""House rules of the layout: modules stay small enough to read, and comments cite the project's own
documents in docs/, by sections that exist there."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["equityplan", "companies", "holders", "grants", "valuations", "jobs", "papers", "accounting"]
MAX_MODULE_LINES = 500
CITING_DIRS = [*APPS, "templates", "tests", "scripts", "benchmarks"]
CITING_SUFFIXES = {".py", ".html", ".sh", ".txt"}


def app_modules() -> list[Path]:
    return [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def citing_files() -> list[Path]:
    files = [p for d in CITING_DIRS for p in (ROOT / d).rglob("*") if p.suffix in CITING_SUFFIXES]
    return [p for p in files if p.is_file() and "vendor" not in p.parts] + [ROOT / "README.md"]


def test_no_module_of_the_apps_is_longer_than_500_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in app_modules()
        if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


OUTSIDE = re.compile(r"\b(DOMAIN|RELIABILITY|STYLE|DESIGN)(\.md\b|\s+(§|facts?\b|habits?\b))")


def test_nothing_cites_a_document_outside_the_repository():
    hits = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in citing_files()
        if p.name != "test_layout.py"
        for i, line in enumerate(p.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert hits == []


def headings(name: str) -> str:
    return "\n".join(line for line in (ROOT / "docs" / name).read_text().splitlines() if line.startswith("#"))


CITATIONS = [
    # (pattern in a comment, document, how the cited heading starts)
    (re.compile(r"docs/domain\.md §(\d+(?:\.\d+)?(?: \((?:\w+)\))?)"), "domain.md", "§{}"),
    (re.compile(r"docs/domain\.md,? reading (R\d+)"), "domain.md", "{} "),
    (re.compile(r"docs/reliability\.md facts? (\d+)"), "reliability.md", "Fact {}"),
    (re.compile(r"docs/style\.md habits? (\d+)"), "style.md", "Habit {}"),
]


@pytest.mark.parametrize("pattern,document,heading", CITATIONS)
def test_every_cited_section_exists(pattern, document, heading):
    text = headings(document)
    missing = sorted(
        {
            f"{p.relative_to(ROOT)}: {m.group(0)}"
            for p in citing_files()
            for m in pattern.finditer(p.read_text(errors="replace"))
            if heading.format(m.group(1)) not in text
        }
    )
    assert missing == []


def test_every_cited_document_exists():
    cited = {
        m.group(0)
        for p in citing_files()
        for m in re.finditer(r"docs/[\w/.-]+\.md", p.read_text(errors="replace"))
    }
    assert cited and sorted(c for c in cited if not (ROOT / c).is_file()) == []
