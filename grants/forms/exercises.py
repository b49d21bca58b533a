"""Exercise requests, payment and withdrawal, notice (4), (5) and (11)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import MAX_INT, RIGHTS_ERRORS, AsciiIntegerField, StepForm, date_field


class ExerciseRequestForm(StepForm):
    rights = AsciiIntegerField(
        label=_("Rights"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    requested_on = date_field(_("Requested on"))


class PaymentForm(StepForm):
    received_on = date_field(_("Payment received on"))


class WithdrawForm(StepForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
