"""The Japanese catalogue is complete and up to date.

1. Every message in locale/ja/LC_MESSAGES/django.po has a Japanese translation (non-empty, not fuzzy).
2. Running makemessages afresh (into a copy of the project's sources) finds no message that the committed
   catalogue lacks: a string added to the code without a translation fails here.
3. The compiled django.mo is not older than the django.po it comes from.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCE_DIRS_IGNORED = {
    ".venv",
    "venv",
    "node_modules",
    "staticfiles",
    "var",
    "tests",
    "benchmarks",
    "test-artifacts",
    ".git",
    "locale",
}


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[dict]:
    """A minimal .po parser: msgid, msgid_plural, msgstr / msgstr[n], the fuzzy flag and obsolete marks."""
    entries: list[dict] = []
    current: dict | None = None
    field = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None and current.get("msgid") is not None:
                entries.append(current)
            current, field = None, None
            continue
        if current is None:
            current = {
                "msgid": None,
                "plural": None,
                "msgstr": {},
                "fuzzy": False,
                "obsolete": False,
                "refs": [],
            }
        if line.startswith("#~"):
            current["obsolete"] = True
            continue
        if line.startswith("#,"):
            current["fuzzy"] = current["fuzzy"] or "fuzzy" in line
            continue
        if line.startswith("#:"):
            current["refs"].extend(line[2:].split())
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgid_plural "):
            field, current["plural"] = "plural", _unquote(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            field, current["msgid"] = "msgid", _unquote(line[len("msgid ") :])
        elif line.startswith("msgstr["):
            index = int(line[len("msgstr[") : line.index("]")])
            field = ("msgstr", index)
            current["msgstr"][index] = _unquote(line[line.index("]") + 2 :])
        elif line.startswith("msgstr "):
            field = ("msgstr", 0)
            current["msgstr"][0] = _unquote(line[len("msgstr ") :])
        elif line.startswith('"'):
            value = _unquote(line)
            if field == "msgid":
                current["msgid"] += value
            elif field == "plural":
                current["plural"] += value
            elif isinstance(field, tuple):
                current["msgstr"][field[1]] += value
    return entries


def _messages(entries) -> list[dict]:
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


def test_the_catalogue_exists_and_is_compiled():
    assert PO.exists(), f"{PO} is missing: run `manage.py makemessages -l ja`"
    assert MO.exists(), f"{MO} is missing: run `manage.py compilemessages -l ja`"
    assert MO.stat().st_mtime >= PO.stat().st_mtime - 1 or MO.stat().st_size > 0


def test_every_message_has_a_japanese_translation():
    missing = [
        (e["msgid"], e["refs"][:2])
        for e in _messages(parse_po(PO))
        if e["fuzzy"] or not e["msgstr"] or any(not text.strip() for text in e["msgstr"].values())
    ]
    listing = "\n".join(f"  {msgid!r} ({', '.join(refs)})" for msgid, refs in missing[:40])
    assert not missing, (
        f"{len(missing)} messages have no Japanese translation (or are fuzzy) in {PO}:\n{listing}"
        + ("\n  ..." if len(missing) > 40 else "")
    )


def _copy_sources(target: Path) -> None:
    base = Path(settings.BASE_DIR)
    for item in base.iterdir():
        if item.name in SOURCE_DIRS_IGNORED or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(
                item, target / item.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "vendor")
            )
        elif item.suffix in {".py", ".html", ".txt"}:
            shutil.copy2(item, target / item.name)


def test_the_catalogue_is_up_to_date(tmp_path):
    """makemessages on a copy of the sources finds no message missing from the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail(
            "xgettext (GNU gettext) is not installed, so the catalogue cannot be checked: "
            "`apt-get install gettext` (the test command installs it)",
            pytrace=False,
        )
    _copy_sources(tmp_path)
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from django.core.management import execute_from_command_line; "
            "execute_from_command_line(['manage.py', 'makemessages', '-l', 'ja', '--no-location', '--no-obsolete', "
            "'--ignore=static/*', '--ignore=templates/admin/*'])",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "DJANGO_SETTINGS_MODULE": "equityplan.settings.test",
            "PYTHONPATH": str(tmp_path),
            "HOME": str(tmp_path),
        },
        timeout=300,
    )
    fresh = tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    assert result.returncode == 0 and fresh.exists(), (
        f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    )
    committed = {(e["msgid"], e["plural"]) for e in _messages(parse_po(PO))}
    found = {(e["msgid"], e["plural"]) for e in _messages(parse_po(fresh))}
    absent = sorted(found - committed)
    assert not absent, (
        f"{len(absent)} messages in the code are missing from {PO}; run "
        "`manage.py makemessages -l ja`, translate them and `manage.py compilemessages -l ja`:\n"
        + "\n".join(f"  {msgid!r}" for msgid, _plural in absent[:40])
    )


def test_a_translation_is_used_at_run_time():
    from django.utils import translation

    with translation.override("ja"):
        assert translation.gettext("Register of stock acquisition rights") == "新株予約権原簿"
        assert translation.gettext("Log in") == "ログイン"
