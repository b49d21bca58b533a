"""The task-run page and the series page's "Re-run now". Views only read (selectors) or call a service."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from equityplan.views import ReadPermissionMixin, RecordPermissionMixin, RolePermissionMixin
from grants.access import visible_items
from grants.views.base import SeriesMixin

from . import selectors, services
from .broker import broker_available
from .models import OutboxJob


class JobListView(ReadPermissionMixin, TemplateView):
    template_name = "jobs/job_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status") or None
        if status not in OutboxJob.Status.values:
            status = None
        context.update(
            jobs=visible_items(self.request.user, selectors.recent_jobs(status=status)),
            status=status,
            statuses=OutboxJob.Status.choices,
            broker_up=broker_available(),
            ledger_checks=selectors.recent_ledger_checks(),
        )
        return context


class ReminderListView(RolePermissionMixin, TemplateView):
    """The reminders recorded and sent: the user's own digests and those to holders they may see."""

    permission_required = "jobs.view_reminder"
    template_name = "jobs/reminder_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reminders"] = selectors.visible_reminders(self.request.user)
        return context


class RecomputeRunView(RecordPermissionMixin, SeriesMixin, View):
    """Legal staff ask for the allotment-date recomputation now. POST only."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        series = self.get_series()
        job = services.allotment_recompute_request(series=series, actor=request.user)
        if broker_available():
            messages.success(
                request,
                _("The recomputation as of %(date)s is queued (job %(job)s).")
                % {"date": series.allotment_date.isoformat(), "job": job.pk},
            )
        else:
            messages.warning(
                request,
                _(
                    "Background work is paused: the recomputation (job %(job)s) is saved and will run when the queue is back."
                )
                % {"job": job.pk},
            )
        return redirect(series.get_absolute_url())
