"""What every grants form is made of: ASCII whole numbers, date inputs, the step form base."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

MAX_INT = 2_147_483_647


RIGHTS_ERRORS = {"invalid": _("Enter a whole number of rights, such as 10.")}


class AsciiIntegerField(forms.IntegerField):
    """Whole numbers in ASCII digits only: full-width digits or "1,000" are refused, not guessed at."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"-?[0-9]+", str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(format="%Y-%m-%d"), **kwargs)


class StepForm(forms.Form):
    """A form laid out by crispy inside the page's own <form> tag: every step form of the workflows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
