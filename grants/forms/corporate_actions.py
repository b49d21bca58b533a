"""Splits, consolidations and reasonable adjustments, notice (3)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import CorporateAction

from .fields import MAX_INT, AsciiIntegerField, StepForm, date_field


class CorporateActionForm(StepForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CorporateAction.Kind.choices)
    ratio_numerator = AsciiIntegerField(label=_("Ratio: shares after"), min_value=1, max_value=MAX_INT)
    ratio_denominator = AsciiIntegerField(label=_("Ratio: shares before"), min_value=1, max_value=MAX_INT)
    record_date = date_field(_("Record date (split, conditional split)"), required=False)
    effective_date = date_field(_("Effective date (consolidation, reasonable adjustment)"), required=False)
    meeting_closed_on = date_field(_("Shareholders' meeting closed on (conditional split)"), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
