"""Transfer requests and their entry in the register, notice (7)."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from holders.models import Holder

from .fields import MAX_INT, RIGHTS_ERRORS, AsciiIntegerField, StepForm, date_field


class TransferRequestForm(StepForm):
    transferee = forms.ModelChoiceField(label=_("Transferee"), queryset=Holder.objects.none())
    rights = AsciiIntegerField(
        label=_("Rights"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    requested_on = date_field(_("Request received on"))

    def __init__(self, *args, holder, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["transferee"]).queryset = Holder.objects.filter(
            died_on__isnull=True
        ).exclude(pk=holder.pk)


class RegisterForm(StepForm):
    registered_on = date_field(_("Register with effect from"))
