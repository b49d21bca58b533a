"""The board's decision, as every decision form asks for it: resolution date and minutes reference."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import StepForm, date_field


class DecisionForm(StepForm):
    resolution_date = date_field(_("Board resolution date"))
    resolution_reference = forms.CharField(label=_("Board minutes reference"), max_length=200)


class RejectForm(DecisionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
