"""Pages and files for the register, notices, disclosure and dashboard: all read-only (the audit trail
is papers.auditviews)."""

from datetime import date, timedelta
from itertools import chain
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.access import company_ids
from equityplan.clock import today
from equityplan.exports import csv_response, pdf_response
from equityplan.views import ReadPermissionMixin
from grants import selectors as grant_selectors
from grants.access import check_visible, visible_items
from grants.models import Series
from grants.selectors.register import RegisterRow, RegisterSeriesTotal, register_with_totals_as_of
from holders.access import own_holder
from holders.models import Holder

from . import notices, selectors
from .charts import deadline_calendar
from .forms import DisclosureForm, NoticeHeaderForm, RegisterForm
from .registerdoc import RegisterSection, issuers, register_sections
from .registerpage import PAGE_PARAMETERS, read_query, read_sort, register_page, without

# --- Register (Art 249) and the holder's extract (Art 250) --------------------------------------


class RegisterMixin(ReadPermissionMixin):
    request: HttpRequest  # set by the View it is mixed into

    def get_register(self) -> dict:
        companies = company_ids(self.request.user)
        form = RegisterForm(self.request.GET or None, companies=companies)
        as_of, series, known_on = today(), None, None
        if form.is_bound and not form.is_valid():
            return {"form": form, "as_of": None, "series": None, "rows": [], "valid": False}
        if form.is_bound:
            as_of = form.cleaned_data.get("as_of") or as_of
            series = form.cleaned_data.get("series")
            known_on = form.cleaned_data.get("known_on")
        register = register_with_totals_as_of(
            as_of=as_of, series=series, known_on=known_on, companies=companies
        )
        rows, totals = list(register.rows), list(register.totals)
        sections = register_sections(rows, totals)
        return {
            "form": form,
            "as_of": as_of,
            "known_on": known_on,
            "series": series,
            "rows": rows,
            "totals": totals,
            "sections": sections,
            "issuers": issuers(sections),
            "prepared_at": timezone.localtime(),
            "balanced": all(t.balanced for t in totals),
            "valid": True,
            "total_rights": sum(r.rights for r in rows),
            "total_shares": sum(r.shares for r in rows),
            "holders": _holders_of(rows),
            "holder_count": len(_holders_of(rows)),
            "company_rights": sum(r.rights for r in rows if r.company_held),
        }


def _holders_of(rows: list[RegisterRow]) -> list[Holder]:
    """The holders with an entry, each once, in the register's order (the company is not one)."""
    seen: dict[int, Holder] = {}
    for row in rows:
        if row.holder is not None:
            seen.setdefault(row.holder.pk, row.holder)
    return list(seen.values())


class RegisterView(RegisterMixin, TemplateView):
    template_name = "papers/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.get_register())
        params = self.request.GET
        # The files are always the whole register: the page's search, sort and page stay here.
        context["query"] = without(params, *PAGE_PARAMETERS)
        context["page_query"] = without(params, "page")
        context["q"], context["sort"] = read_query(params.get("q")), read_sort(params.get("sort"))
        if context["valid"]:
            page = register_page(
                context["sections"], query=context["q"], sort=context["sort"], page=params.get("page")
            )
            context.update(page=page, page_sections=page.sections, sort_query=without(params, "sort", "page"))
        return context


def _register_header() -> list[str]:
    return [
        _("Series"),
        _("Holder"),
        _("Address"),
        _("Rights"),
        _("Class of shares"),
        _("Shares per right"),
        _("Shares"),
        _("Exercise price per share (yen)"),
        _("Exercise period: first day"),
        _("Exercise period: last day"),
        _("Acquired on"),
        _("Certificate numbers"),
        _("Entry"),
    ]


def _register_csv_row(r: RegisterRow) -> list:
    return [
        r.series.name,
        r.holder_name,
        r.address,
        r.rights,
        r.share_class,
        r.shares_per_right,
        r.shares,
        r.exercise_price_per_share_yen,
        r.exercise_period_start,  # a date: text in the CSV (ISO), a date cell in Excel
        r.exercise_period_end,
        r.acquired_on,
        r.certificate_numbers,
        _("The company's own rights") if r.company_held else _("Holder"),
    ]


def _balance_header() -> list[str]:
    return [
        _("Series"),
        _("Allotted"),
        _("Held by holders"),
        _("Held by the company"),
        _("Exercised"),
        _("Lapsed"),
        _("Cancelled"),
        _("Passed to a successor series"),
        _("Balanced"),
    ]


def _balance_csv_row(t: RegisterSeriesTotal) -> list:
    return [
        t.series.name,
        t.allotted,
        t.held_by_holders,
        t.held_by_company,
        t.exercised,
        t.lapsed,
        t.cancelled,
        t.restructured,
        _("Yes") if t.balanced else _("No"),
    ]


def _register_preamble(data: dict) -> list[list]:
    """The document's head: what it is, the issuer, the date it is as of and when it was prepared."""
    lines: list[list] = [[_("Register of stock acquisition rights"), _("Companies Act Art 249")]]
    for company in data["issuers"]:
        lines.append(
            [_("Issuer"), str(company), company.address, _("Representative"), company.representative]
        )
    lines.append([_("As of"), data["as_of"].isoformat()])
    lines.append([_("Prepared at"), data["prepared_at"].strftime("%Y-%m-%d %H:%M")])
    return lines


def _section_rows(section: RegisterSection) -> list[list]:
    """A series' section: its terms, its holders, the company's own rights, the subtotal."""
    terms = [section.series.name, section.terms_text(), " ".join(section.conditions)]
    subtotal = [
        section.series.name,
        _("Subtotal: %(n)d holders") % {"n": section.holder_count},
        _("of which the company's own rights: %(n)s") % {"n": section.company_rights}
        if section.company_rights
        else "",
        section.rights,
        "",
        section.shares_per_right,
        section.shares,
    ]
    return [
        [*terms, *[""] * 9, _("Terms of the series")],
        *(_register_csv_row(r) for r in section.rows),
        [*subtotal, *[""] * 5, _("Subtotal")],
    ]


def register_filename(data: dict, extension: str) -> str:
    suffix = f"-series-{data['series'].number}" if data["series"] else ""
    return f"register-{data['as_of'].isoformat()}{suffix}.{extension}"


class RegisterCsvView(RegisterMixin, View):
    """The document's head; after an empty line each series' terms, entries and subtotal; then,
    after another empty line, the balance of each series."""

    def get(self, request, *args, **kwargs):
        data = self.get_register()
        if not data["valid"]:
            return RegisterView.as_view()(request, *args, **kwargs)
        rows = chain(
            [_register_header()],
            chain.from_iterable(_section_rows(section) for section in data["sections"]),
            [[], _balance_header()],
            (_balance_csv_row(t) for t in data["totals"]),
        )
        preamble = _register_preamble(data)
        return csv_response(
            filename=register_filename(data, "csv"),
            header=preamble[0],
            rows=chain(preamble[1:], [[]], rows),
        )


class RegisterPdfView(RegisterMixin, View):
    def get(self, request, *args, **kwargs):
        data = self.get_register()
        if not data["valid"]:
            return RegisterView.as_view()(request, *args, **kwargs)
        data["generated_on"] = today()
        return pdf_response(
            template_name="papers/register_pdf.html",
            context=data,
            request=request,
            filename=register_filename(data, "pdf"),
        )


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
        deadlines = visible_items(user, grant_selectors.upcoming_deadlines(as_of=on, days=30))
        context.update(
            today=on,
            deadlines=deadlines,
            deadline_calendar=deadline_calendar(deadlines, today=on, days=30),
            decisions=visible_items(user, grant_selectors.pending_decisions()),
            deaths_without_heir=visible_items(user, grant_selectors.deaths_without_heir()),
            open_windows=visible_items(user, grant_selectors.open_windows(as_of=on)),
            summary=visible_items(user, selectors.series_summary()),
            decision_queue_first=self.request.user.has_perm("grants.decide"),
        )
        return context
