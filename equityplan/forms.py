"""The one set of date and number fields every form of the project uses (docs/domain.md R48 to R51).

Input is normalised by NFKC before it is read, so full-width digits and signs ("１２３", "２０１３-０７-１１",
"－５") read as the ASCII characters they show; after that only ASCII digits are accepted. Dates lie
within ``EARLIEST_DAY`` .. ``LATEST_DAY`` (facts about persons from ``PERSON_EARLIEST_DAY``); whole
numbers fit their column; decimals have a fixed number of digits and places and a documented range.
Nothing out of these bounds reaches a service, date arithmetic or the database.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

__all__ = [
    "EARLIEST_DAY",
    "LATEST_DAY",
    "MAX_INT",
    "MAX_SMALL_INT",
    "PERSON_EARLIEST_DAY",
    "QuickSelect",
    "RIGHTS_ERRORS",
    "AsciiIntegerField",
    "BoundedDateField",
    "BoundedDecimalField",
    "DateInput",
    "StepForm",
    "check_days",
    "date_field",
    "fraction_field",
    "model_formfield",
    "nfkc",
    "page_number",
    "refuse_outside",
    "whole_number",
    "rights_field",
    "yen_field",
]

# R48: the ledger's dates. Stock acquisition rights exist since the 2002 Commercial Code (stock
# options since 1997); a ledger date before 1990 or after 2100 is a typing error, and every date
# computed from one (windows, deadlines, T years back) stays far from year 1 and year 9999.
EARLIEST_DAY = date(1990, 1, 1)
LATEST_DAY = date(2100, 12, 31)
# Facts about persons (in office since, address registered from) may be older than any right.
PERSON_EARLIEST_DAY = date(1900, 1, 1)

# R50: the columns. PositiveIntegerField is a 32-bit integer on PostgreSQL.
MAX_INT = 2_147_483_647
MAX_SMALL_INT = 32_767
MAX_PAGE = 1_000_000

RIGHTS_ERRORS = {"invalid": _("Enter a whole number of rights, such as 10.")}

_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def nfkc(value: object) -> str:
    """The text as read (R49): NFKC, then surrounding whitespace (ideographic space too) removed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


class AsciiIntegerField(forms.IntegerField):
    """A whole number in digits 0-9 after NFKC; "1,000", "1.0" and "1e3" are refused, not guessed at.

    Without explicit bounds it is bounded by the integer column (R50)."""

    widget = forms.NumberInput

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        min_value = -MAX_INT - 1 if min_value is None else max(min_value, -MAX_INT - 1)
        max_value = MAX_INT if max_value is None else min(max_value, MAX_INT)
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {
            "invalid": _("Enter a whole number, such as 10."),
            **kwargs["error_messages"],
        }
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = nfkc(value)
        if text in self.empty_values:
            return None
        if len(text) > 20 or not _WHOLE.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class BoundedDecimalField(forms.DecimalField):
    """A decimal in digits 0-9 after NFKC, with its digits, places and range fixed (R50).

    ``min_exclusive`` refuses the lower bound itself (a volatility of 0 prices nothing)."""

    def __init__(self, *, max_digits, decimal_places, min_value, max_value, min_exclusive=False, **kwargs):
        self.min_exclusive = min_exclusive
        super().__init__(
            max_digits=max_digits,
            decimal_places=decimal_places,
            min_value=None if min_exclusive else Decimal(min_value),
            max_value=Decimal(max_value),
            **kwargs,
        )
        self.lower = Decimal(min_value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = nfkc(value)
        if text in self.empty_values:
            return None
        if len(text) > 40 or not _DECIMAL.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text)

    def validate(self, value):
        super().validate(value)
        if value is not None and self.min_exclusive and value <= self.lower:
            raise forms.ValidationError(
                _("Ensure this value is greater than %(limit_value)s."),
                code="min_value",
                params={"limit_value": self.lower},
            )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class QuickSelect(forms.Select):
    """A drop-down written here rather than through the form renderer, which renders each option
    through two templates (some 100 µs an option): a list of every series has hundreds of options,
    on pages that are read all day. The HTML is that of Django's select.html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), mark_safe(">")]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for o in options:
                parts += [format_html('\n  <option value="{}"', str(o["value"])), _attrs(o["attrs"])]
                parts.append(format_html(">{}</option>\n", o["label"]))
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped or a fixed tag)


def _attrs(attrs: dict) -> str:
    """Attributes as Django's attrs.html writes them: in order, True as a bare name, False left out."""
    return "".join(
        format_html(" {}", k) if v is True else format_html(' {}="{}"', k, str(v))
        for k, v in attrs.items()
        if v is not False
    )


class BoundedDateField(forms.DateField):
    """A day written YYYY-MM-DD (after NFKC) between ``earliest`` and ``latest`` (R48).

    The field knows only these bounds; a form that knows the series checks its period with
    ``refuse_outside`` in ``clean()``, and the services check it again (R51)."""

    widget = DateInput

    def __init__(self, *, earliest: date = EARLIEST_DAY, latest: date = LATEST_DAY, **kwargs):
        self.earliest, self.latest = earliest, latest
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", earliest.isoformat())
        self.widget.attrs.setdefault("max", latest.isoformat())

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            day = value
        else:
            text = nfkc(value)
            if text in self.empty_values:
                return None
            try:
                if not _ISO_DAY.fullmatch(text):
                    raise ValueError(text)
                day = date.fromisoformat(text)
            except ValueError:
                raise forms.ValidationError(
                    _("Enter a valid date, such as 2024-04-01."), code="invalid"
                ) from None
        if not self.earliest <= day <= self.latest:
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": self.earliest.isoformat(), "latest": self.latest.isoformat()},
            )
        return day


def date_field(label, **kwargs) -> BoundedDateField:
    return BoundedDateField(label=label, **kwargs)


def rights_field(label, **kwargs) -> AsciiIntegerField:
    """A number of rights: at least 1, at most what the column holds."""
    kwargs.setdefault("min_value", 1)
    kwargs.setdefault("error_messages", RIGHTS_ERRORS)
    return AsciiIntegerField(label=label, **kwargs)


def yen_field(label, *, max_digits=14, decimal_places=2, **kwargs) -> BoundedDecimalField:
    """An amount of yen: 0 or more, as many digits as its column (R50)."""
    limit = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", limit)
    return BoundedDecimalField(label=label, max_digits=max_digits, decimal_places=decimal_places, **kwargs)


def fraction_field(label, *, low, high, min_exclusive=False, **kwargs) -> BoundedDecimalField:
    """A fraction (0.27 for 27%) within [low, high], or (low, high] (R50)."""
    return BoundedDecimalField(
        label=label,
        max_digits=20,
        decimal_places=12,
        min_value=Decimal(low),
        max_value=Decimal(high),
        min_exclusive=min_exclusive,
        **kwargs,
    )


_SMALL_INTEGERS = (models.PositiveSmallIntegerField, models.SmallIntegerField)
_BIG_INTEGERS = (models.BigIntegerField, models.PositiveBigIntegerField)


def model_formfield(field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's ``formfield_callback``: model dates and numbers get the project's fields."""
    if isinstance(field, models.DateTimeField) or not field.editable:
        return field.formfield(**kwargs)
    common = {
        "label": field.verbose_name,
        "required": not field.blank,
        "help_text": field.help_text,
        **kwargs,
    }
    if field.has_default() and not callable(field.default):
        common.setdefault("initial", field.default)
    if isinstance(field, models.DateField):
        return BoundedDateField(**common)
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        limit = Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)
        return BoundedDecimalField(
            max_digits=digits, decimal_places=places, min_value=0, max_value=limit, **common
        )
    if isinstance(field, models.IntegerField) and not isinstance(field, _BIG_INTEGERS):
        positive = isinstance(field, (models.PositiveIntegerField, models.PositiveSmallIntegerField))
        top = MAX_SMALL_INT if isinstance(field, _SMALL_INTEGERS) else MAX_INT
        return AsciiIntegerField(min_value=0 if positive else None, max_value=top, **common)
    if isinstance(field, (models.FloatField, *_BIG_INTEGERS)):
        raise TypeError(f"{field.name}: no bounded form field for {type(field).__name__}")
    return field.formfield(**kwargs)


def refuse_outside(form: forms.Form, name: str, *, start: date | None, end: date | None, message) -> None:
    """The hook for "within the series' period" (R51): an error on ``name`` when its cleaned day lies
    before ``start`` or after ``end`` (either may be None: no bound on that side)."""
    day = form.cleaned_data.get(name)
    if isinstance(day, date) and ((start is not None and day < start) or (end is not None and day > end)):
        form.add_error(name, message)


def whole_number(value: object, *, low: int = 1, high: int = MAX_INT) -> int | None:
    """A query string's id or count as the forms read it (R49, R50), or None when it is not one."""
    text = nfkc(value) if value is not None else ""
    if len(text) > 20 or not _WHOLE.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def search_text(value: object, *, limit: int = 100) -> str:
    """A ``?q=`` as the lists search it: NFKC, control characters (NUL among them, which PostgreSQL
    refuses in text) dropped, trimmed and cut to ``limit`` characters (docs/domain.md R49)."""
    text = nfkc(value) if value is not None else ""
    return "".join(c for c in text if unicodedata.category(c)[0] != "C").strip()[:limit]


def page_number(value: object, *, last: int) -> int:
    """A ``?page=`` as a page that exists (R50): text that is not a whole number is page 1, a number
    past the end is the last page, so no offset can overflow the database's integers."""
    text = nfkc(value) if value is not None else ""
    last = max(min(last, MAX_PAGE), 1)
    if not _WHOLE.fullmatch(text):
        return 1
    if text.startswith("-"):
        return 1
    return last if len(text) > 7 else min(max(int(text), 1), last)


class StepForm(forms.Form):
    """A form laid out by crispy inside the page's own <form> tag: every step form of the workflows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def check_days(**days: date | None) -> None:
    """The services' own fence (R51): a day outside R48's bounds is refused on its field, whoever
    called; the forms refuse it first, this keeps a caller that skips them from date arithmetic."""
    errors = {
        name: forms.ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={"earliest": PERSON_EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
        )
        for name, day in days.items()
        if day is not None and not PERSON_EARLIEST_DAY <= day <= LATEST_DAY
    }
    if errors:
        raise forms.ValidationError(errors)
