"""Forms for holders' master data; the services check everything again under a lock."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from equityplan.forms import PERSON_EARLIEST_DAY, BoundedDateField

from .models import LANGUAGE_CHOICES, Holder, Position


def _person_date(label) -> BoundedDateField:
    """Facts about a person (in office since, address from) may be older than any right (R48)."""
    return BoundedDateField(label=label, earliest=PERSON_EARLIEST_DAY)


def _preselect_only_company(form: forms.Form) -> None:
    """Where there is one company, it is the answer: preselect it."""
    companies = list(Company.objects.all()[:2])
    if len(companies) == 1 and not form.is_bound:
        form.initial.setdefault("company", companies[0].pk)


class _NoTagForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class HolderCreateForm(_NoTagForm):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("Full name as in the register."))
    name_kana = forms.CharField(label=_("Name (kana)"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=LANGUAGE_CHOICES, required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    address_from = _person_date(_("Address registered from"))
    company = forms.ModelChoiceField(
        label=_("At the company"),
        queryset=Company.objects.all(),
        help_text=_("Only an office at a series' issuer counts for its rights."),
    )
    title = forms.ChoiceField(label=_("Position"), choices=Position.Title.choices)
    started_on = _person_date(_("In office since"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _preselect_only_company(self)


class HolderDetailsForm(_NoTagForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_kana = forms.CharField(label=_("Name (kana)"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=LANGUAGE_CHOICES, required=False)
    effective_date = _person_date(_("Applies from"))

    def clean(self):
        cleaned = super().clean() or {}
        if not cleaned.get("language"):
            cleaned.pop("language", None)  # not given: left as it is
        return cleaned

    @classmethod
    def for_holder(cls, holder: Holder, **kwargs) -> "HolderDetailsForm":
        initial = {
            field: getattr(holder, field) for field in ("name", "name_kana", "email", "phone", "language")
        }
        return cls(initial=initial, **kwargs)


class AddressChangeForm(_NoTagForm):
    address = forms.CharField(label=_("New address"), max_length=300)
    valid_from = _person_date(_("Registered from"))


class PositionStartForm(_NoTagForm):
    company = forms.ModelChoiceField(
        label=_("At the company"),
        queryset=Company.objects.all(),
        help_text=_("Only an office at a series' issuer counts for its rights."),
    )
    title = forms.ChoiceField(label=_("Position"), choices=Position.Title.choices)
    started_on = _person_date(_("Started on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _preselect_only_company(self)


class MyNumberSetForm(forms.Form):
    """The number is never echoed back: a refused form comes back empty (docs/domain.md §7.5)."""

    number = forms.CharField(
        label=_("My Number (12 digits)"),
        max_length=20,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class MyNumberRevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the reveal"),
        max_length=200,
        help_text=_("E.g. the report on exercises for 2013. It is written to the trail."),
    )


class HolderLoginForm(_NoTagForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("First password"),
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the holder in person; it is never shown again."),
    )
