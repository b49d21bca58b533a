"""Bulk entry pages: upload, the preview of every row, confirm, progress, the template file.

A file of up to ``BULK_IMPORT_INLINE_ROWS`` rows is imported during the confirming request; a larger
one is handed to the background work that ``grants.hooks.holder_import_enqueue`` names (the jobs
outbox), and its page polls the progress (docs/domain.md reading R58).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from companies.access import visible_companies
from equityplan.views import RecordPermissionMixin, add_service_errors, message_service_errors
from grants import hooks
from grants.bulk import progress
from grants.bulk.rows import COLUMNS
from grants.bulk.template_file import template_csv, template_xlsx
from grants.forms.bulk import HolderImportForm
from grants.models import HolderImport
from grants.services.bulk_import import holder_import_claim, holder_import_read, holder_import_run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inline_rows() -> int:
    return int(getattr(settings, "BULK_IMPORT_INLINE_ROWS", 200))


def visible_import(user, pk: int) -> HolderImport:
    try:
        return HolderImport.objects.select_related("company", "series", "uploaded_by").get(
            pk=pk, company__in=visible_companies(user)
        )
    except HolderImport.DoesNotExist as exc:
        raise Http404(_("There is no such import.")) from exc


class HolderImportUploadView(RecordPermissionMixin, FormView):
    template_name = "grants/holder_import_form.html"
    form_class = HolderImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = COLUMNS
        context["recent"] = HolderImport.objects.filter(
            company__in=visible_companies(self.request.user)
        ).select_related("company", "uploaded_by")[:10]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            batch = holder_import_read(
                data=upload.read(),
                filename=upload.name,
                company=form.cleaned_data["company"],
                series=form.cleaned_data["series"],
                actor=self.actor,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(batch.get_absolute_url())


class HolderImportDetailView(RecordPermissionMixin, TemplateView):
    template_name = "grants/holder_import_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = visible_import(self.request.user, kwargs["pk"])
        context.update(
            batch=batch,
            columns=COLUMNS,
            done=progress.read(batch.pk),
            running=batch.status in (HolderImport.Status.QUEUED, HolderImport.Status.RUNNING),
            progress_url=reverse("grants:holder_import_progress", args=[batch.pk]),
        )
        return context


class HolderImportConfirmView(RecordPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        batch = visible_import(request.user, pk)
        try:
            claimed = holder_import_claim(batch=batch)
        except ValidationError as exc:
            message_service_errors(request, exc)
            return redirect(batch.get_absolute_url())
        if not claimed:
            messages.info(request, _("This file has already been confirmed."))
            return redirect(batch.get_absolute_url())
        if batch.row_count > inline_rows() and hooks.holder_import_enqueue:
            for enqueue in hooks.holder_import_enqueue:
                enqueue(batch=batch, actor=self.actor)
            messages.info(request, _("The import runs in the background; this page shows how far it is."))
            return redirect(batch.get_absolute_url())
        batch = holder_import_run(
            batch=batch, actor=self.actor, progress=lambda done, _total: progress.record(pk, done)
        )
        if batch.status == HolderImport.Status.DONE:
            messages.success(
                request,
                _("Imported %(holders)s holders and %(allotments)s allotments.")
                % {"holders": f"{batch.holders_created:,}", "allotments": f"{batch.allotments_created:,}"},
            )
        else:
            messages.error(request, batch.error)
        return redirect(batch.get_absolute_url())


class HolderImportProgressView(RecordPermissionMixin, View):
    """What the progress bar polls: JSON, never cached."""

    def get(self, request, pk: int):
        batch = visible_import(request.user, pk)
        done = batch.row_count if batch.status == HolderImport.Status.DONE else progress.read(batch.pk)
        return JsonResponse(
            {
                "status": batch.status,
                "label": batch.get_status_display(),
                "done": done,
                "total": batch.row_count,
            }
        )


class HolderImportTemplateView(RecordPermissionMixin, View):
    def get(self, request, fmt: str):
        if fmt == "xlsx":
            response = HttpResponse(template_xlsx(), content_type=XLSX)
        elif fmt == "csv":
            response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="holders-template.{fmt}"'
        return response
