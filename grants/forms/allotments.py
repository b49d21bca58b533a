"""Allotting rights of a series to a holder."""

from typing import cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import AllotmentCategory
from holders.picker import HolderChoiceField

from .fields import rights_field


class AllotmentForm(forms.Form):
    """Allot rights of a series to a holder. The service re-checks everything under a lock."""

    holder = HolderChoiceField(label=_("Holder"))
    category = forms.ChoiceField(label=_("Category"), choices=AllotmentCategory.choices)
    rights = rights_field(_("Number of rights"))

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        cast(HolderChoiceField, self.fields["holder"]).queryset = holders
        self.helper = FormHelper()
        self.helper.form_tag = False
