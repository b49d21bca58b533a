"""The holder's extract of the register (Art 250) as a PDF: for staff, of any holder they may see; for
a signed-in holder or heir, of themselves only (docs/domain.md reading R54)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views import View

from companies.access import visible_companies
from companies.models import Company
from equityplan.clock import today
from equityplan.exports import pdf_response
from equityplan.views import ReadPermissionMixin
from grants import selectors as grant_selectors
from holders.access import own_holder, visible_holders
from holders.models import Holder

from . import notices
from .forms import AsOfForm
from .registerviews import RegisterView


def _extract_pdf(request, *, holder: Holder, viewer_companies):
    """The Art 250 extract of ``holder`` as of ?as_of (today by default), within ``viewer_companies``
    (a queryset of companies, or None for every issuer of the holder's own entries)."""
    form = AsOfForm(request.GET or None)
    as_of = today()
    if form.is_bound:
        if not form.is_valid():
            return None
        as_of = form.cleaned_data.get("as_of") or as_of
    allowed = None if viewer_companies is None else set(viewer_companies.values_list("pk", flat=True))
    # Only the holder's own entries, read for that holder alone: never another holder's, nor the
    # company's own rights, and the cost is the holder's lines, not the register's.
    rows = [
        r
        for r in grant_selectors.register_as_of(as_of=as_of, companies=allowed, holder=holder)
        # the holder's events also give the company's line the rights it acquired from them
        if r.holder is not None and r.holder.pk == holder.pk
    ]
    # The issuer signs; with no entry (nothing held on the date) the companies the holder served.
    served = (viewer_companies if viewer_companies is not None else Company.objects.all()).filter(
        series__ledger_events__holder=holder
    )
    companies = list({r.series.company_id: r.series.company for r in rows}.values()) or list(
        served.distinct()
    )
    lang = request.GET.get("lang")
    with override(lang if lang in notices.LANGUAGES else get_language()):
        return pdf_response(
            template_name="papers/extract_pdf.html",
            context={
                "holder": holder,
                "rows": rows,
                "as_of": as_of,
                "generated_on": today(),
                "address": holder.address_on(as_of),
                "issuers": companies,
            },
            request=request,
            filename=f"register-extract-{holder.pk}-{as_of.isoformat()}.pdf",
        )


class HolderExtractPdfView(ReadPermissionMixin, View):
    """Art 250: the holder may ask for a document of the register's entries about them."""

    def get(self, request, pk: int):
        try:
            holder = visible_holders(request.user).get(pk=pk)
        except Holder.DoesNotExist as exc:
            raise Http404(_("There is no such holder.")) from exc
        response = _extract_pdf(request, holder=holder, viewer_companies=visible_companies(request.user))
        if response is None:  # the register page shows what is wrong with the date
            return RegisterView.as_view()(request)
        return response


class OwnExtractPdfView(View):
    """Art 250 for the signed-in holder or heir: their own extract, whoever's id is asked for
    (docs/domain.md reading R54)."""

    def get(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        holder = own_holder(request.user)
        if holder is None:
            raise PermissionDenied
        response = _extract_pdf(request, holder=holder, viewer_companies=None)
        if response is None:
            return HttpResponseBadRequest(_("The date is not valid."))
        return response
