"""Designating the one heir and approving the succession, notice (11)3."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from holders.models import Holder
from holders.picker import HolderChoiceField

from .decisions import DecisionForm
from .fields import StepForm, date_field


class HeirForm(StepForm):
    heir = HolderChoiceField(label=_("Heir (an existing person)"), required=False)
    new_name = forms.CharField(label=_("…or the heir's name (new person)"), max_length=200, required=False)
    new_address = forms.CharField(label=_("New person's address"), max_length=300, required=False)
    relationship = forms.CharField(label=_("Relationship"), max_length=100, required=False)
    designated_on = date_field(_("Designated on"))

    def __init__(self, *args, deceased, **kwargs):
        super().__init__(*args, **kwargs)
        cast(HolderChoiceField, self.fields["heir"]).queryset = Holder.objects.filter(
            died_on__isnull=True
        ).exclude(pk=deceased.pk)

    def clean(self):
        data = super().clean() or {}
        if bool(data.get("heir")) == bool((data.get("new_name") or "").strip()):
            raise forms.ValidationError(_("Choose an existing person or enter a new name (one of the two)."))
        if data.get("new_name") and not (data.get("new_address") or "").strip():
            self.add_error("new_address", _("Enter the new person's address."))
        return data


class InheritanceApproveForm(DecisionForm):
    succeeded_on = date_field(_("Succession effective on"))


class InheritanceRejectForm(DecisionForm):
    reason = forms.CharField(
        label=_("Why the succession is refused"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
