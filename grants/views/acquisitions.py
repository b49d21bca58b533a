"""The company's acquisition of rights without contribution (8) and their cancellation (Art 276)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import services
from grants.forms.acquisitions import AcquisitionForm, CancelForm, ExecuteForm
from grants.models import CompanyAcquisition, Series

from .base import DECIDE, RecordFormView


class AcquisitionResolveView(RecordFormView):
    model = Series
    select_related = ("company",)
    permission_required = DECIDE
    form_class = AcquisitionForm
    title = gettext_lazy("Acquisition by the company without contribution (8)")

    def perform(self, data):
        services.company_acquisition_resolve(series=self.get_object(), actor=self.actor, **data)
        return self.get_object().get_absolute_url(), _("The board's acquisition date is recorded.")


class AcquisitionExecuteView(RecordFormView):
    model = CompanyAcquisition
    select_related = ("series",)
    form_class = ExecuteForm
    title = gettext_lazy("Execute the acquisition by the company")
    submit_label = gettext_lazy("Acquire the rights")

    def perform(self, data):
        services.company_acquisition_execute(
            acquisition=self.get_object(), as_of=data["as_of"], actor=self.actor
        )
        return self.get_object().series.get_absolute_url(), _("The rights are now held by the company.")


class RightsCancelView(RecordFormView):
    model = Series
    select_related = ("company",)
    form_class = CancelForm
    title = gettext_lazy("Cancel rights held by the company (Art 276)")

    def perform(self, data):
        services.rights_cancel(series=self.get_object(), actor=self.actor, **data)
        return self.get_object().get_absolute_url(), _("The rights were cancelled.")
