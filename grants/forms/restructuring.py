"""Organizational restructuring into successor rights, notice (9)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import Company, Restructuring

from .decisions import DecisionForm
from .fields import MAX_INT, AsciiIntegerField, date_field, yen_field


class RestructuringForm(DecisionForm):
    successor_company = forms.ModelChoiceField(
        label=_("Restructured company"), queryset=Company.objects.all()
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Restructuring.Kind.choices)
    effective_date = date_field(_("Effective date"))
    successor_number = AsciiIntegerField(label=_("Successor series number"), min_value=1, max_value=32767)
    shares_per_right = AsciiIntegerField(
        label=_("Shares per right (successor)"), min_value=1, max_value=MAX_INT
    )
    exercise_price_per_share_yen = yen_field(_("Exercise price per share (yen)"), initial=1)
