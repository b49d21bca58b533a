"""Allotting rights of a series, clause (15)."""

from django.utils.translation import gettext as _

from equityplan.views import RecordPermissionMixin, ServiceFormView
from grants import selectors, services
from grants.forms.allotments import AllotmentForm
from holders.picker import HolderPickMixin

from .base import SeriesMixin


class AllotmentCreateView(HolderPickMixin, RecordPermissionMixin, SeriesMixin, ServiceFormView):
    template_name = "grants/allotment_form.html"
    form_class = AllotmentForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        series = self.get_series()
        kwargs["holders"] = selectors.holders_for_allotment(series=series, on=series.allotment_date)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = self.get_series()
        return context

    def perform(self, data):
        series = self.get_series()
        allotment = services.allotment_create(
            series=series,
            holder=data["holder"],
            rights=data["rights"],
            category=data["category"],
            actor=self.actor,
        )
        return series.get_absolute_url(), _("Allotted %(rights)d rights to %(holder)s.") % {
            "rights": allotment.rights,
            "holder": allotment.holder,
        }
