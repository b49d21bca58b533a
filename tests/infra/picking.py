"""Choosing a person in a form's box (holders/picker.py) as a person does, in the browser tests."""

from __future__ import annotations


def pick_person(page, box: str, name: str, *, typed: int = 4) -> str:
    """Type the first ``typed`` letters of ``name`` into ``box`` (a CSS selector), wait for the page to
    suggest them, and take the suggestion: what the box then holds ("Name [#id]")."""
    page.locator(box).press_sequentially(name[:typed], delay=20)
    list_id = page.locator(box).get_attribute("list")
    suggestion = page.locator(f"datalist#{list_id} option[value^='{name} [#']").first
    suggestion.wait_for(state="attached", timeout=5_000)
    label = suggestion.get_attribute("value") or ""
    page.fill(box, label)
    return label
