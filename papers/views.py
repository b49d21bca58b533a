"""Pages for the notices, the disclosure table and the dashboard: all read-only (the register is in
registerviews, the audit trail in auditviews)."""

from datetime import date, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from equityplan.clock import today
from equityplan.exports import pdf_response
from equityplan.views import ReadPermissionMixin
from grants import selectors as grant_selectors
from grants.access import check_visible, visible_items
from grants.models import Series
from holders.access import own_holder

from . import notices, selectors
from .charts import deadline_calendar
from .forms import DisclosureForm, NoticeHeaderForm

# --- Notices -------------------------------------------------------------------------------------


class SeriesNoticeMixin(ReadPermissionMixin):
    request: HttpRequest  # set by the View it is mixed into
    kwargs: dict[str, Any]

    def get_series(self) -> Series:
        try:
            series = grant_selectors.series_detail(pk=self.kwargs["pk"])
        except Series.DoesNotExist as exc:
            raise Http404(_("There is no such series.")) from exc
        check_visible(self.request.user, series)
        return series

    def notice_language(self) -> str:
        lang = self.request.GET.get("lang") or (get_language() or "en")[:2]
        return lang if lang in notices.LANGUAGES else "en"

    def header_query(self) -> str:
        query = self.request.GET.copy()
        query.pop("lang", None)
        return query.urlencode()

    def notice_header(self) -> tuple[NoticeHeaderForm, notices.NoticeHeader]:
        """The disclosure's head from the page's form; a bad date falls back to today, with its error shown."""
        form = NoticeHeaderForm(self.request.GET or None)
        on, contact = today(), ""
        if form.is_bound and form.is_valid():
            on = form.cleaned_data.get("notice_date") or on
            contact = form.cleaned_data.get("contact") or ""
        return form, notices.NoticeHeader(on=on, contact=contact)


class IssuanceNoticeView(SeriesNoticeMixin, TemplateView):
    template_name = "papers/notice_issuance.html"
    pdf = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = self.get_series()
        lang = self.notice_language()
        header_form, header = self.notice_header()
        context.update(
            series=series,
            notice=notices.issuance_notice(series, lang, header),
            notice_lang=lang,
            header_form=header_form,
            header_query=self.header_query(),
        )
        return context

    def render_to_response(self, context, **kwargs):
        if self.pdf:
            series = context["series"]
            with override(context["notice_lang"]):
                return pdf_response(
                    template_name="papers/notice_pdf.html",
                    context=context,
                    request=self.request,
                    filename=f"notice-issuance-series-{series.number}-{context['notice_lang']}.pdf",
                )
        return super().render_to_response(context, **kwargs)


class AmountNoticeView(SeriesNoticeMixin, TemplateView):
    """The notice of the amount paid per right, once the valuation is final (clause (12))."""

    template_name = "papers/notice_amount.html"
    pdf = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = self.get_series()
        lang = self.notice_language()
        valuation = selectors.final_valuation(series)
        header_form, header = self.notice_header()
        context.update(
            series=series,
            notice_lang=lang,
            valuation=valuation,
            amount=notices.amount_notice(series, valuation, lang, header) if valuation is not None else None,
            header_form=header_form,
            header_query=self.header_query(),
        )
        return context

    def render_to_response(self, context, **kwargs):
        if self.pdf and context["amount"] is not None:
            with override(context["notice_lang"]):
                return pdf_response(
                    template_name="papers/notice_pdf.html",
                    context={**context, "notice": context["amount"]},
                    request=self.request,
                    filename=f"notice-amount-series-{context['series'].number}-{context['notice_lang']}.pdf",
                )
        return super().render_to_response(context, **kwargs)


# --- Annual securities report table ------------------------------------------------------------


def _default_disclosure_dates(on: date) -> tuple[date, date]:
    """Last 31 March, and the end of the month before this one."""
    fye = date(on.year if on.month > 3 else on.year - 1, 3, 31)
    fme = on.replace(day=1) - timedelta(days=1)
    return fye, max(fme, fye)


class DisclosureView(ReadPermissionMixin, TemplateView):
    template_name = "papers/disclosure.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET:
            form = DisclosureForm(self.request.GET)
        else:
            fye, fme = _default_disclosure_dates(today())
            form = DisclosureForm({"fiscal_year_end": fye.isoformat(), "filing_month_end": fme.isoformat()})
        rows = []
        if form.is_valid():
            rows = visible_items(
                self.request.user,
                selectors.disclosure_table(
                    fiscal_year_end=form.cleaned_data["fiscal_year_end"],
                    filing_month_end=form.cleaned_data["filing_month_end"],
                ),
            )
        context.update(form=form, rows=rows, movement_keys=list(selectors.MOVEMENT_TYPES))
        return context


# --- Dashboard ---------------------------------------------------------------------------------


class DashboardView(ReadPermissionMixin, TemplateView):
    template_name = "papers/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        # Where sign-in leads: a holder's is their own view (docs/domain.md reading R54).
        if own_holder(request.user) is not None:
            return redirect("grants:portal_home")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        user = self.request.user
        windows = grant_selectors.lots_with_windows(
            closing_from=on
        )  # read once: the deadlines and the open windows
        deadlines = visible_items(
            user, grant_selectors.upcoming_deadlines(as_of=on, days=30, windows=windows)
        )
        context.update(
            today=on,
            deadlines=deadlines,
            deadline_calendar=deadline_calendar(deadlines, today=on, days=30),
            decisions=visible_items(user, grant_selectors.pending_decisions()),
            deaths_without_heir=visible_items(user, grant_selectors.deaths_without_heir()),
            open_windows=visible_items(user, grant_selectors.open_windows(as_of=on, windows=windows)),
            summary=visible_items(user, selectors.series_summary()),
            decision_queue_first=self.request.user.has_perm("grants.decide"),
        )
        return context
