"""Exercise requests, payment and withdrawal, notice (4), (5) and (11)."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from equityplan.forms import refuse_outside
from grants.models import Lot

from .fields import MAX_INT, RIGHTS_ERRORS, AsciiIntegerField, StepForm, date_field


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class ExerciseRequestForm(StepForm):
    """An exercise of rights of one lot: its conditions decide (11)."""

    lot = LotChoiceField(
        label=_("Lot"),
        queryset=Lot.objects.none(),
        required=False,
        help_text=_("Needed where the rights came in lots with their own conditions."),
    )
    rights = AsciiIntegerField(
        label=_("Rights"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )
    requested_on = date_field(_("Requested on"))

    def __init__(self, *args, holding, **kwargs):
        super().__init__(*args, **kwargs)
        lots = Lot.objects.filter(holding=holding, rights__gt=0).order_by("acquired_on", "pk")
        field = cast(forms.ModelChoiceField, self.fields["lot"])
        field.queryset = lots
        if len(lots) == 1:
            self.initial.setdefault("lot", lots[0].pk)
        self.series = holding.series

    def clean(self):
        cleaned = super().clean()
        # R51: no request before the rights existed; the service checks the period and window again.
        refuse_outside(
            self,
            "requested_on",
            start=self.series.allotment_date,
            end=None,
            message=_("An exercise cannot be requested before the allotment date (%(date)s).")
            % {"date": self.series.allotment_date.isoformat()},
        )
        return cleaned


class PaymentForm(StepForm):
    received_on = date_field(_("Payment received on"))


class WithdrawForm(StepForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
