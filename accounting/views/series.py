"""The series page's accounting panel, the service period form, and the expense schedule page."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounting.forms import ServicePeriodForm
from accounting.selectors.inputs import companies_for
from accounting.selectors.reports import company_schedules
from equityplan.views import ReadPermissionMixin, RecordPermissionMixin, ServiceActionView
from grants import services
from grants.models import Series


def series_panel_context(*, series: Series, on: date) -> dict:
    """The series page: its service period, and for legal staff the form that sets it."""
    initial = {
        "kind": series.service_period or Series.ServicePeriod.PERIOD,
        "start": series.service_period_start or series.allotment_date,
        "end": series.service_period_end,
        "basis": series.service_period_basis,
    }
    return {
        "panels": ["accounting/_series_panel.html"],
        "service_period_form": ServicePeriodForm(initial=initial),
    }


class ServicePeriodSetView(RecordPermissionMixin, ServiceActionView):
    form_class = ServicePeriodForm

    def get_series(self) -> Series:
        return get_object_or_404(Series, pk=self.kwargs["pk"])

    def get_back_url(self) -> str:
        return self.get_series().get_absolute_url()

    def perform(self, data):
        series = services.series_set_service_period(
            series=self.get_series(),
            kind=data["kind"],
            start=data.get("start"),
            end=data.get("end"),
            basis=data.get("basis", ""),
            actor=self.actor,
        )
        return series.get_absolute_url(), _("Service period saved.")


class SeriesScheduleView(ReadPermissionMixin, TemplateView):
    """The expense of one series per quarter and per fiscal year, under the chosen standard."""

    template_name = "accounting/schedule.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("standard", "") not in ("", "jgaap", "ifrs"):
            return HttpResponseBadRequest(_("Unknown accounting standard: choose jgaap or ifrs."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = get_object_or_404(
            Series.objects.select_related("company").filter(company__in=companies_for(self.request.user)),
            pk=self.kwargs["pk"],
        )
        standard = self.request.GET.get("standard") or series.company.accounting_standard
        schedules = company_schedules(company=series.company, standard=standard, series=series)
        schedule = schedules[0] if schedules else None
        context.update(
            series=series,
            standard=standard,
            schedule=schedule,
            years=schedule.years(series.company.fiscal_year_end_month) if schedule else [],
            other_standard="ifrs" if standard == "jgaap" else "jgaap",
            schedule_url=reverse("accounting:series_schedule", args=[series.pk]),
        )
        return context
