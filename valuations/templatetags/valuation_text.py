"""Descriptions stored with a valuation, shown in the reader's language.

Each filter takes one entry of ``Valuation.sources`` (a dict) and gives its text translated when the
page is rendered, or the English stored with older rows that have no message.
"""

from django import template

from valuations.models import source_detail_text, source_method_text, stored_text

register = template.Library()


@register.filter
def source_detail(source: object) -> str:
    """``{{ source|source_detail }}``: where the input came from."""
    return source_detail_text(source)


@register.filter
def source_method(source: object) -> str:
    """``{{ source|source_method }}``: how the input was computed ("" when not recorded)."""
    return source_method_text(source)


@register.filter
def message(stored: object, fallback: str = "") -> str:
    """``{{ stored|message:fallback }}``: any stored {"template", "params"} message."""
    return stored_text(stored, fallback)
