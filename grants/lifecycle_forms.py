"""Forms for each step of the lifecycle workflows. They only parse input: the services decide."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from holders.models import Holder, Position

from .models import CompanyAcquisition, CorporateAction, Restructuring
from .models.company import Company

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


class LifecycleForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PositionEndForm(LifecycleForm):
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    ended_on = date_field(_("Ended on"))
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[c for c in Position.EndReason.choices if c[0] != Position.EndReason.DEATH]
    )

    def __init__(self, *args, holder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.filter(holder=holder, ended_on__isnull=True)


class DeathForm(LifecycleForm):
    died_on = date_field(_("Date of death"))


class HeirForm(LifecycleForm):
    heir = forms.ModelChoiceField(
        label=_("Heir (an existing person)"), queryset=Holder.objects.none(), required=False
    )
    new_name = forms.CharField(label=_("…or the heir's name (new person)"), max_length=200, required=False)
    new_address = forms.CharField(label=_("New person's address"), max_length=300, required=False)
    relationship = forms.CharField(label=_("Relationship"), max_length=100, required=False)
    designated_on = date_field(_("Designated on"))

    def __init__(self, *args, deceased, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heir"].queryset = Holder.objects.filter(died_on__isnull=True).exclude(pk=deceased.pk)

    def clean(self):
        data = super().clean()
        if bool(data.get("heir")) == bool((data.get("new_name") or "").strip()):
            raise forms.ValidationError(_("Choose an existing person or enter a new name (one of the two)."))
        if data.get("new_name") and not (data.get("new_address") or "").strip():
            self.add_error("new_address", _("Enter the new person's address."))
        return data


class DecisionForm(LifecycleForm):
    resolution_date = date_field(_("Board resolution date"))
    resolution_reference = forms.CharField(label=_("Board minutes reference"), max_length=200)


class RejectForm(DecisionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InheritanceApproveForm(DecisionForm):
    succeeded_on = date_field(_("Succession effective on"))


class TransferRequestForm(LifecycleForm):
    transferee = forms.ModelChoiceField(label=_("Transferee"), queryset=Holder.objects.none())
    rights = AsciiIntegerField(
        label=_("Rights"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    requested_on = date_field(_("Request received on"))

    def __init__(self, *args, holder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transferee"].queryset = Holder.objects.filter(died_on__isnull=True).exclude(pk=holder.pk)


class RegisterForm(LifecycleForm):
    registered_on = date_field(_("Register with effect from"))


class ExerciseRequestForm(LifecycleForm):
    rights = AsciiIntegerField(
        label=_("Rights"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    requested_on = date_field(_("Requested on"))


class PaymentForm(LifecycleForm):
    received_on = date_field(_("Payment received on"))


class WithdrawForm(LifecycleForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CorporateActionForm(LifecycleForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CorporateAction.Kind.choices)
    ratio_numerator = AsciiIntegerField(label=_("Ratio: shares after"), min_value=1, max_value=MAX_INT)
    ratio_denominator = AsciiIntegerField(label=_("Ratio: shares before"), min_value=1, max_value=MAX_INT)
    record_date = date_field(_("Record date (split)"), required=False)
    effective_date = date_field(_("Effective date (consolidation, reasonable adjustment)"), required=False)
    meeting_closed_on = date_field(_("Shareholders' meeting closed on (conditional split)"), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AcquisitionForm(DecisionForm):
    trigger = forms.ChoiceField(label=_("Approved proposal"), choices=CompanyAcquisition.Trigger.choices)
    proposal_approved_on = date_field(_("Proposal approved on"))
    acquisition_date = date_field(_("Acquisition date fixed by the board"))


class ExecuteForm(LifecycleForm):
    as_of = date_field(_("Today's date"))


class CancelForm(DecisionForm):
    rights = AsciiIntegerField(
        label=_("Rights to cancel"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    cancelled_on = date_field(_("Cancelled on"))


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
    exercise_price_per_share_yen = forms.DecimalField(
        label=_("Exercise price per share (yen)"), min_value=0, max_digits=14, decimal_places=2, initial=1
    )
