"""The project's one set of date and number fields (equityplan/forms.py, docs/domain.md R48 to R51)."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django import forms

from equityplan.forms import (
    AsciiIntegerField,
    BoundedDateField,
    BoundedDecimalField,
    QuickSelect,
    check_days,
    fraction_field,
    page_number,
    whole_number,
)
from tests.hostile import REFUSED

FORM_MODULES = [
    "grants.forms.acquisitions",
    "grants.forms.allotments",
    "grants.forms.corporate_actions",
    "grants.forms.decisions",
    "grants.forms.exercises",
    "grants.forms.holders",
    "grants.forms.inheritance",
    "grants.forms.restructuring",
    "grants.forms.series",
    "grants.forms.transfers",
    "holders.forms",
    "valuations.forms",
    "papers.forms",
]
PLAIN = (forms.DateField, forms.IntegerField, forms.DecimalField, forms.FloatField, forms.DateTimeField)
OURS = (BoundedDateField, AsciiIntegerField, BoundedDecimalField)


def project_forms() -> list[type[forms.BaseForm]]:
    for name in FORM_MODULES:
        importlib.import_module(name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in (
                "grants",
                "holders",
                "valuations",
                "papers",
                "jobs",
                "companies",
            ):
                found.append(sub)
    return found


def test_every_date_and_number_field_of_every_form_is_one_of_ours():
    from valuations.forms import ValuationRunForm

    classes = project_forms()
    assert len(classes) >= 25
    fields = [(cls.__name__, name, f) for cls in classes for name, f in cls.base_fields.items()]
    fields += [("ValuationRunForm()", name, f) for name, f in ValuationRunForm().fields.items()]
    plain = [
        (c, n, type(f).__name__) for c, n, f in fields if isinstance(f, PLAIN) and not isinstance(f, OURS)
    ]
    assert not plain
    assert sum(isinstance(f, OURS) for _, _, f in fields) >= 60


def test_grants_forms_fields_still_offers_its_names():
    from grants.forms import fields

    assert fields.date_field is not None and fields.AsciiIntegerField is AsciiIntegerField
    assert (
        isinstance(fields.date_field("x"), BoundedDateField)
        and fields.StepForm
        and fields.MAX_INT == 2**31 - 1
    )


@pytest.mark.parametrize("value", REFUSED)
def test_every_refused_value_is_refused_by_every_kind_of_field(value):
    for field in (
        BoundedDateField(),
        AsciiIntegerField(),
        BoundedDecimalField(max_digits=14, decimal_places=2, min_value=0, max_value=10**12),
    ):
        with pytest.raises(forms.ValidationError):
            field.clean(value)


@pytest.mark.parametrize(
    "field, text, value",
    [
        (BoundedDateField(), "２０１３-０７-１１", date(2013, 7, 11)),
        (BoundedDateField(), " 2013-07-11\u3000", date(2013, 7, 11)),
        (AsciiIntegerField(), "１２３", 123),
        (AsciiIntegerField(), "－５", -5),
        (
            BoundedDecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=9999),
            "１２.５",
            Decimal("12.5"),
        ),
    ],
)
def test_full_width_digits_read_as_the_digits_they_show(field, text, value):
    assert field.clean(text) == value


def test_the_bounds_of_dates_and_numbers():
    field = BoundedDateField()
    assert field.clean("1990-01-01") == date(1990, 1, 1) and field.clean("2100-12-31") == date(2100, 12, 31)
    for text in ("1989-12-31", "2101-01-01"):
        with pytest.raises(forms.ValidationError, match="between 1990-01-01 and 2100-12-31"):
            field.clean(text)
    assert AsciiIntegerField().clean(str(2**31 - 1)) == 2**31 - 1
    with pytest.raises(forms.ValidationError):
        AsciiIntegerField().clean(str(2**31))
    with pytest.raises(forms.ValidationError):
        AsciiIntegerField(max_value=10**12).clean(str(2**31))  # never above the column


@pytest.mark.parametrize(
    "low, high, open_low, good, bad",
    [
        ("0", "5", True, ["0.000000000001", "0.27", "5"], ["0", "-0.1", "5.000000000001", "1000"]),
        ("-0.05", "0.2", False, ["-0.05", "0", "0.2"], ["-1", "-0.050000000001", "0.21"]),
    ],
)
def test_fractions_of_a_valuation(low, high, open_low, good, bad):
    field = fraction_field("x", low=low, high=high, min_exclusive=open_low)
    for text in good:
        assert field.clean(text) == Decimal(text)
    for text in bad:
        with pytest.raises(forms.ValidationError):
            field.clean(text)


@pytest.mark.parametrize(
    "text, last, page",
    [
        ("9223372036854775808", 3, 3),
        ("-1", 3, 1),
        ("0", 3, 1),
        ("2", 3, 2),
        ("２", 3, 2),
        ("٣", 3, 1),
        ("²", 3, 2),  # NFKC reads it as 2, as everywhere (R49)
        ("abc", 3, 1),
        (None, 3, 1),
        ("5", 0, 1),
        ("1" * 10_000, 3, 3),
    ],
)
def test_page_numbers_are_pages_that_exist(text, last, page):
    assert page_number(text, last=last) == page


def test_ids_in_query_strings():
    assert whole_number("12") == 12 and whole_number("１２") == 12
    assert whole_number("٣") is None and whole_number(str(2**63)) is None and whole_number("0") is None


def test_the_services_fence():
    check_days(on=date(1900, 1, 1), other=None)
    with pytest.raises(forms.ValidationError) as refused:
        check_days(on=date(9999, 12, 31), ok=date(2020, 1, 1), early=date(1, 1, 1))
    assert set(refused.value.error_dict) == {"on", "early"}


def test_search_text_drops_control_characters_and_reads_full_width():
    from equityplan.forms import search_text

    assert search_text("ﾀﾛｳ\x00 ") == "タロウ"  # PostgreSQL refuses NUL in text: dropped, not sent
    assert search_text("a\u200bb\u202e") == "ab"
    assert search_text(None) == "" and len(search_text("x" * 500)) == 100


QUICK_CHOICES = [
    ("", "All <series>"),
    (1, 'A & "B"'),
    (2, "x"),
    ("Group <g>", [(3, "in group"), (4, "also")]),
]


@pytest.mark.parametrize("value", [None, "", 2, "3", [2], "<script>"])
@pytest.mark.parametrize(
    "attrs", [{}, {"class": "form-select", "required": True, "disabled": False, "data-x": 'a"b'}]
)
def test_the_quick_drop_down_writes_what_djangos_select_writes(value, attrs):
    django_select = forms.Select(choices=QUICK_CHOICES, attrs=attrs).render("series", value)
    assert QuickSelect(choices=QUICK_CHOICES, attrs=attrs).render("series", value) == django_select


def test_the_register_and_audit_filters_use_the_quick_drop_down(db):
    from papers.forms import AuditFilterForm, RegisterForm

    assert isinstance(RegisterForm().fields["series"].widget, QuickSelect)
    audit = AuditFilterForm()
    assert all(isinstance(audit.fields[n].widget, QuickSelect) for n in ("series", "user", "event_type"))
    assert 'name="event_type"' in str(audit["event_type"]) and "<option" in str(audit["event_type"])
