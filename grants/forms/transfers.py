"""Transfer requests, the board's decision with its notification (Art 265(2)), and the entry in the
register, notice (7)."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import TransferRequest
from holders.models import Holder
from holders.picker import HolderChoiceField

from .decisions import DecisionForm
from .fields import MAX_INT, RIGHTS_ERRORS, AsciiIntegerField, StepForm, date_field


class TransferRequestForm(StepForm):
    transferee = HolderChoiceField(label=_("Transferee"))
    rights = AsciiIntegerField(
        label=_("Rights"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    requested_on = date_field(_("Request received on"))

    def __init__(self, *args, holder, **kwargs):
        super().__init__(*args, **kwargs)
        cast(HolderChoiceField, self.fields["transferee"]).queryset = Holder.objects.filter(
            died_on__isnull=True
        ).exclude(pk=holder.pk)


class TransferDecisionForm(DecisionForm):
    """The board's decision and when and how it was notified to the requester: Art 266 counts the
    notification, not the resolution (docs/domain.md reading R21)."""

    notified_on = date_field(_("Decision notified to the requester on"))
    notified_how = forms.ChoiceField(
        label=_("Notified"), choices=[("", "---------"), *TransferRequest.Notification.choices]
    )


class TransferRejectForm(TransferDecisionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RegisterForm(StepForm):
    registered_on = date_field(_("Register with effect from"))
