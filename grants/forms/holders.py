"""Events in a holder's life that matter to their rights: losing a position, death."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from holders.models import Position

from .fields import StepForm, date_field


class PositionEndForm(StepForm):
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    ended_on = date_field(_("Ended on"))
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[c for c in Position.EndReason.choices if c[0] != Position.EndReason.DEATH]
    )

    def __init__(self, *args, holder, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["position"]).queryset = Position.objects.filter(
            holder=holder, ended_on__isnull=True
        )


class DeathForm(StepForm):
    died_on = date_field(_("Date of death"))
