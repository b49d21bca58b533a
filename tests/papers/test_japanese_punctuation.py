"""Japanese text uses Japanese punctuation: 、 and 。, never a semicolon (docs/domain.md R61)."""

from tests.papers.test_translations import PO, parse_po


def test_no_semicolon_in_a_japanese_translation():
    offending = [
        entry["msgid"]
        for entry in parse_po(PO)
        if entry["msgid"] and not entry.get("obsolete")  # the header names its Plural-Forms with ;
        for text in entry["msgstr"].values()
        if ";" in text.replace("&nbsp;", "") or "；" in text
    ]
    assert offending == []
