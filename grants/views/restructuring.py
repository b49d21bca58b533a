"""Organizational restructuring into successor rights of the restructured company (9)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.access import limit_company_choices
from grants import services
from grants.forms.restructuring import RestructuringForm
from grants.models import Series

from .base import DECIDE, RecordFormView


class RestructuringView(RecordFormView):
    model = Series
    select_related = ("company",)
    permission_required = DECIDE
    form_class = RestructuringForm

    def get_form(self, form_class=None):
        return limit_company_choices(super().get_form(form_class), self.request.user)

    title = gettext_lazy("Organizational restructuring (9)")
    intro = gettext_lazy(
        "The remaining rights are extinguished and the same number of successor rights delivered; the "
        "successor's exercise period starts on the later of the original start and the effective date."
    )

    def perform(self, data):
        record = services.restructuring_apply(series=self.get_object(), actor=self.actor, **data)
        return record.successor_series.get_absolute_url(), _("The successor series was created.")
