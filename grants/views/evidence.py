"""Documents on a record's page: attach one (legal staff or board secretaries), download one (anyone
who may read the record, and nobody else: docs/domain.md reading R56)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from equityplan.views import (
    ReadPermissionMixin,
    RolePermissionMixin,
    message_form_errors,
    message_service_errors,
)
from grants.access import check_visible
from grants.forms.evidence import EvidenceForm
from grants.models import Evidence
from grants.services.evidence import SUBJECTS, evidence_attach


class EvidenceAttachView(RolePermissionMixin, View):
    http_method_names = ["post"]

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm("grants.record_events") or user.has_perm("grants.decide")

    def post(self, request, subject: str, pk: int):
        model = SUBJECTS.get(subject)
        if model is None:
            raise Http404
        record: Any = model._default_manager.filter(pk=pk).first()
        if record is None:
            raise Http404(_("Not found."))
        check_visible(request.user, record)
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            message_form_errors(request, form)
            return redirect(record.get_absolute_url())
        upload = form.cleaned_data["file"]
        try:
            evidence = evidence_attach(
                subject=record,
                kind=form.cleaned_data["kind"],
                data=upload.read(),
                filename=upload.name,
                actor=self.actor,
            )
        except ValidationError as exc:
            message_service_errors(request, exc)
            return redirect(record.get_absolute_url())
        messages.success(
            request,
            _("Attached %(file)s (SHA-256 %(hash)s).")
            % {"file": evidence.filename, "hash": evidence.sha256[:16] + "…"},
        )
        return redirect(record.get_absolute_url())


class EvidenceDownloadView(ReadPermissionMixin, View):
    def get(self, request, pk: int):
        try:
            evidence = Evidence.objects.select_related("subject_type").get(pk=pk)
        except Evidence.DoesNotExist as exc:
            raise Http404(_("Not found.")) from exc
        subject = evidence.subject
        if subject is None:
            raise Http404(_("Not found."))
        check_visible(request.user, subject)
        if not request.user.has_perm("grants.view_series"):
            raise PermissionDenied
        response = FileResponse(
            default_storage.open(evidence.file.name, "rb"),
            as_attachment=True,
            filename=evidence.filename,
            content_type=evidence.media_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store, private"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
