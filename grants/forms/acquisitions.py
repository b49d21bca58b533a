"""Acquisition by the company without contribution and cancellation, notice (8), Art 276."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import CompanyAcquisition

from .decisions import DecisionForm
from .fields import MAX_INT, RIGHTS_ERRORS, AsciiIntegerField, StepForm, date_field


class AcquisitionForm(DecisionForm):
    trigger = forms.ChoiceField(label=_("Approved proposal"), choices=CompanyAcquisition.Trigger.choices)
    proposal_approved_on = date_field(_("Proposal approved on"))
    acquisition_date = date_field(_("Acquisition date fixed by the board"))


class ExecuteForm(StepForm):
    as_of = date_field(_("Today's date"))


class CancelForm(DecisionForm):
    rights = AsciiIntegerField(
        label=_("Rights to cancel"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    cancelled_on = date_field(_("Cancelled on"))
