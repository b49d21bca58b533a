"""Choosing a person on a form by typing, not from a list of everyone.

A ``<select>`` of every person who may be chosen is 50,000 options at a company that grants to all
its staff: megabytes on every form page and no way to find anyone. The field is a text box; the page
suggests matching people as one types (``static/js/holder_picker.js`` asks the page itself,
``?pick=<field>&q=<text>``, and fills a ``<datalist>``), and accepts a suggestion
("Name [#12]"), a holder number ("12") or an exact name held by one person only. The form's
queryset still decides who may be chosen: the suggestions come from it, and so does the check.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.http import Http404, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from equityplan.forms import nfkc, search_text
from holders.models import Holder
from holders.selectors.holder_list import holder_search_q

SUGGESTIONS = 20
MAX_QUERY = 100
# "Name [#12]" (a suggestion) or "12" (a holder number), spaces around allowed.
NUMBERED = re.compile(r"(?:.*\[#\s*(\d{1,18})\s*\]|#?\s*(\d{1,18}))")


def pick_label(holder: Holder) -> str:
    return f"{holder.name} [#{holder.pk}]"


class HolderPickerInput(forms.TextInput):
    """A text box with its (empty) list of suggestions, filled by static/js/holder_picker.js."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-choices"
        widget_attrs["data-holder-pick"] = name
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id', name)}-choices"
        return html + format_html('<datalist id="{}"></datalist>', list_id)


class HolderChoiceField(forms.ModelChoiceField):
    """A person from ``queryset``, typed (module docstring)."""

    widget = HolderPickerInput
    default_error_messages = {
        "invalid_choice": _(
            "Choose a person from the suggestions, or enter their holder number (on their page)."
        ),
        "not_eligible": _("Holder number %(number)s cannot be chosen here."),
        "ambiguous": _(
            "Several people are named %(name)s: choose one from the suggestions, which show their "
            "holder numbers."
        ),
    }

    def __init__(self, queryset=None, **kwargs):
        super().__init__(Holder.objects.none() if queryset is None else queryset, **kwargs)

    @property
    def choosable(self):
        assert self.queryset is not None  # set by __init__, replaced by the form
        return self.queryset

    def prepare_value(self, value):
        if isinstance(value, Holder):
            return pick_label(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = " ".join(nfkc(value).split())[: MAX_QUERY * 4]
        if not text:
            return None
        if any(unicodedata.category(c)[0] == "C" for c in text):  # NUL among them: no name holds one
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        numbered = NUMBERED.fullmatch(text)
        if numbered:
            number = numbered[1] or numbered[2]
            found = self.choosable.filter(pk=int(number)).first()
            if found is None:
                raise forms.ValidationError(
                    self.error_messages["not_eligible"], code="not_eligible", params={"number": number}
                )
            return found
        named = list(self.choosable.filter(name=text)[:2])
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"name": text}
            )
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")

    def validate(self, value):
        forms.Field.validate(self, value)  # the queryset was checked in to_python

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial) or "") != str(data or "")

    def suggestions(self, query: str) -> list[str]:
        """Who matches what was typed, among those who may be chosen: by name, kana or e-mail."""
        query = " ".join(search_text(query, limit=MAX_QUERY).split())
        if not query:
            return []
        matching = self.choosable.filter(holder_search_q(query)).order_by("name", "pk")[:SUGGESTIONS]
        return [pick_label(h) for h in matching]


class HolderPickMixin:
    """A form page that answers its picker's ``?pick=<field>&q=<text>`` with the suggestions, as JSON.
    ``pick_form()``: the unbound form whose field is asked (``get_form()`` by default)."""

    def pick_form(self) -> forms.Form:
        return self.get_form()  # type: ignore[attr-defined]

    def get(self, request, *args, **kwargs):
        name = request.GET.get("pick")
        if name is None:
            return super().get(request, *args, **kwargs)  # type: ignore[misc]
        field = self.pick_form().fields.get(name)
        if not isinstance(field, HolderChoiceField):
            raise Http404("no such field")
        return JsonResponse({"suggestions": field.suggestions(request.GET.get("q", ""))})
