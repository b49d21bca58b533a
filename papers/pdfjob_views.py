"""Pages of the register PDFs prepared in the background: ask (POST), follow, download, ask again.

Only the person who asked sees a job, and only while they may still read every company it covers;
anyone else gets a 404, as for a job that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.access import company_ids
from equityplan.clock import today
from equityplan.views import ReadPermissionMixin

from . import pdfjobs
from .forms import RegisterForm
from .models import RegisterPdfJob

REFRESH_SECONDS = 3
RECENT_JOBS = 10


def _recent_jobs(user) -> list[RegisterPdfJob]:
    return list(RegisterPdfJob.objects.filter(requested_by=user).select_related("series")[:RECENT_JOBS])


def start_page(request: HttpRequest, data: dict, *, status: int = 200) -> HttpResponse:
    """The register is too big to lay out in the request: offer to prepare it in the background."""
    return TemplateResponse(
        request,
        "papers/register_pdf_job_start.html",
        {
            "form": data["form"],
            "as_of": data.get("as_of"),
            "known_on": data.get("known_on"),
            "series": data.get("series"),
            "row_count": len(data.get("rows") or []),
            "limit": pdfjobs.sync_max_rows(),
            "jobs": _recent_jobs(request.user),
        },
        status=status,
    )


def _see_other(job: RegisterPdfJob) -> HttpResponse:
    """After a POST, the job's page (303: the browser follows with a GET)."""
    response = HttpResponseRedirect(reverse("papers:register_pdf_job", args=[job.pk]))
    response.status_code = 303
    return response


def own_job(request: HttpRequest, pk: int) -> RegisterPdfJob:
    job = RegisterPdfJob.objects.select_related("series", "requested_by").filter(pk=pk).first()
    if job is None or job.requested_by_id != request.user.pk:
        raise Http404(_("There is no such register PDF."))
    allowed = company_ids(request.user)
    if allowed is not None and (job.companies is None or not set(job.companies) <= allowed):
        raise Http404(_("There is no such register PDF."))  # the reader's companies have changed since
    return job


class RegisterPdfJobStartView(ReadPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = RegisterForm(request.POST, companies=company_ids(request.user))
        if not form.is_valid():
            return start_page(request, {"form": form}, status=400)
        job, joined = pdfjobs.register_pdf_request(
            user=request.user,
            as_of=form.cleaned_data.get("as_of") or today(),
            known_on=form.cleaned_data.get("known_on"),
            series=form.cleaned_data.get("series"),
            language=(get_language() or "en")[:8],
        )
        if joined:
            messages.info(request, _("This register PDF is already being prepared: here it is."))
        return _see_other(job)


class RegisterPdfJobView(ReadPermissionMixin, TemplateView):
    template_name = "papers/register_pdf_job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = own_job(self.request, kwargs["pk"])
        context.update(job=job, can_send_again=pdfjobs.can_send_again(job), refresh=REFRESH_SECONDS)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["job"].is_open:  # the page follows the job without a script (docs/reliability.md fact 17)
            response["Refresh"] = str(REFRESH_SECONDS)
        return response


class RegisterPdfJobDownloadView(ReadPermissionMixin, View):
    def get(self, request, pk: int):
        job = own_job(request, pk)
        if job.status != RegisterPdfJob.Status.SUCCEEDED or not job.file:
            raise Http404(_("This register PDF is not ready."))
        try:
            handle = default_storage.open(job.file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404(_("This register PDF is no longer kept; ask for it again.")) from exc
        response = FileResponse(
            handle, as_attachment=True, filename=job.filename, content_type="application/pdf"
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class RegisterPdfJobRetryView(ReadPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = own_job(request, pk)
        if pdfjobs.register_pdf_retry(job=job):
            messages.success(request, _("The register PDF is asked for again."))
        else:
            messages.warning(request, _("This register PDF cannot be asked for again now."))
        return _see_other(job)
