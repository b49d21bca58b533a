"""Pages and files for the register, notices, disclosure, dashboard and audit trail: all read-only."""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from itertools import chain, groupby
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.access import company_ids
from equityplan.clock import today
from equityplan.exports import csv_response, pdf_response, stream_csv_response
from equityplan.forms import page_number
from equityplan.views import ReadPermissionMixin
from grants import selectors as grant_selectors
from grants.access import check_visible, visible_items
from grants.models import Series
from grants.selectors.register import RegisterRow, RegisterSeriesTotal, register_with_totals_as_of
from grants.selectors.register_paged import (
    RegisterScope,
    register_entries,
    register_holder_count,
    register_totals,
)
from holders.access import own_holder
from holders.models import Holder

from . import notices, pdfjobs, selectors
from .charts import deadline_calendar
from .forms import AuditFilterForm, DisclosureForm, NoticeHeaderForm, RegisterForm
from .pdfjob_views import start_page
from .registerdoc import RegisterSection, issuers, register_sections
from .registerpage import PAGE_PARAMETERS, read_query, read_sort, register_page_of, without

AUDIT_PAGE_SIZE = 50


# --- Register (Art 249) and the holder's extract (Art 250) --------------------------------------


class RegisterMixin(ReadPermissionMixin):
    request: HttpRequest  # set by the View it is mixed into

    def register_scope(self) -> tuple[RegisterForm, RegisterScope | None]:
        """The form and what it asks for; None when the form is wrong (the page says why)."""
        companies = company_ids(self.request.user)
        form = RegisterForm(self.request.GET or None, companies=companies)
        if form.is_bound and not form.is_valid():
            return form, None
        data = form.cleaned_data if form.is_bound else {}
        return form, RegisterScope(
            as_of=data.get("as_of") or today(),
            known_on=data.get("known_on"),
            series=data.get("series"),
            companies=companies,
        )

    def get_register(self) -> dict:
        """The whole register, for the files."""
        form, scope = self.register_scope()
        if scope is None:
            return {"form": form, "as_of": None, "series": None, "rows": [], "valid": False}
        register = register_with_totals_as_of(
            as_of=scope.as_of, series=scope.series, known_on=scope.known_on, companies=scope.companies
        )
        rows, totals = list(register.rows), list(register.totals)
        sections = register_sections(rows, totals)
        return {
            "form": form,
            "as_of": scope.as_of,
            "known_on": scope.known_on,
            "series": scope.series,
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
    """A page of the register; its totals are the whole register's, each from one aggregate."""

    template_name = "papers/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, scope = self.register_scope()
        params = self.request.GET
        # The files are always the whole register: the page's search, sort and page stay here.
        context.update(
            form=form,
            valid=scope is not None,
            query=without(params, *PAGE_PARAMETERS),
            page_query=without(params, "page"),
            q=read_query(params.get("q")),
            sort=read_sort(params.get("sort")),
        )
        if scope is None:
            return context
        page, totals = register_page_of(
            scope, query=context["q"], sort=context["sort"], page=params.get("page")
        )
        page_rows = [r for section in page.sections for r in section.rows]
        context.update(
            as_of=scope.as_of,
            known_on=scope.known_on,
            series=scope.series,
            totals=totals,
            page=page,
            page_sections=page.sections,
            sort_query=without(params, "sort", "page"),
            issuers=issuers([s.whole for s in page.sections]) if page.sections else _issuers_of(totals),
            balanced=all(t.balanced for t in totals),
            total_rights=sum(t.rights for t in totals),
            total_shares=sum(t.shares for t in totals),
            # A holder counts once however many series they hold: one series needs no distinct count.
            holder_count=totals[0].holders if len(totals) == 1 else register_holder_count(scope),
            company_rights=sum(t.held_by_company for t in totals),
            rows=page_rows,  # this page's
            holders=_holders_of(page_rows),
        )
        return context


def _issuers_of(totals: list[RegisterSeriesTotal]) -> list:
    seen: dict[int, Any] = {}
    for t in totals:
        seen.setdefault(t.series.company_id, t.series.company)
    return list(seen.values())


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


def _section_rows(section: RegisterSection, entries: Iterable[RegisterRow] | None = None) -> Iterator[list]:
    """A series' section: its terms, its holders, the company's own rights (``entries``, else the
    section's rows), the subtotal."""
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
    yield [*terms, *[""] * 9, _("Terms of the series")]
    yield from (_register_csv_row(r) for r in (section.rows if entries is None else entries))
    yield [*subtotal, *[""] * 5, _("Subtotal")]


def register_filename(data: dict, extension: str) -> str:
    suffix = f"-series-{data['series'].number}" if data["series"] else ""
    return f"register-{data['as_of'].isoformat()}{suffix}.{extension}"


def streamed_register(scope: RegisterScope) -> tuple[dict, Iterator[list]]:
    """The register as the CSV and the Excel sheet have it, its entries read one at a time: the
    document's head, and the rows (each series' terms, entries and subtotal): memory stays flat."""
    totals = register_totals(scope)
    sections = register_sections([], totals)  # in the entries' order, each with its total

    def rows() -> Iterator[list]:
        groups = groupby(register_entries(scope, totals=totals), key=lambda r: r.series.pk)
        current = next(groups, None)
        for section in sections:
            if current is not None and current[0] == section.series.pk:
                yield from _section_rows(section, current[1])
                current = next(groups, None)
            else:
                yield from _section_rows(section, ())

    head = {
        "issuers": issuers(sections),
        "as_of": scope.as_of,
        "series": scope.series,
        "prepared_at": timezone.localtime(),
        "totals": totals,
    }
    return head, rows()


class RegisterCsvView(RegisterMixin, View):
    """The document's head; after an empty line each series' terms, entries and subtotal; then,
    after another empty line, the balance of each series. Streamed as the entries are read."""

    def get(self, request, *args, **kwargs):
        _form, scope = self.register_scope()
        if scope is None:
            return RegisterView.as_view()(request, *args, **kwargs)
        head, rows = streamed_register(scope)
        preamble = _register_preamble(head)
        return stream_csv_response(
            preamble[0],
            chain(
                preamble[1:],
                [[], _register_header()],
                rows,
                [[], _balance_header()],
                (_balance_csv_row(t) for t in head["totals"]),
            ),
            register_filename(head, "csv"),
        )


class RegisterPdfView(RegisterMixin, View):
    def get(self, request, *args, **kwargs):
        data = self.get_register()
        if not data["valid"]:
            return RegisterView.as_view()(request, *args, **kwargs)
        if (
            len(data["rows"]) > pdfjobs.sync_max_rows()
        ):  # too big for the request (docs/reliability.md fact 17)
            return start_page(request, data)
        data["generated_on"] = today()
        return pdf_response(
            template_name="papers/register_pdf.html",
            context=pdfjobs.whole_document(data),
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


# --- Audit trail -------------------------------------------------------------------------------


def _json_text(data: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in data.items())


class AuditView(ReadPermissionMixin, TemplateView):
    template_name = "papers/audit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None, companies=company_ids(self.request.user))
        entries: list[selectors.AuditEntry] = []
        total, page_obj = 0, None
        if not form.is_bound or form.is_valid():
            filters = form.filters() if form.is_bound else {}
            number = page_number(self.request.GET.get("page"), last=10_000)
            entries, total = selectors.audit_page(
                page=number, per_page=AUDIT_PAGE_SIZE, viewer=self.request.user, **filters
            )
            paginator = Paginator(range(total), AUDIT_PAGE_SIZE)
            number = min(number, paginator.num_pages)
            page_obj = Page(cast(Any, entries), number, paginator)  # a page of entries, counted by total
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, entries=entries, total=total, page_obj=page_obj, query=query.urlencode())
        return context


def audit_header() -> list[str]:
    return [
        _("Recorded at"),
        _("Recorded by"),
        _("Type"),
        _("Effective date"),
        _("Series"),
        _("Holder"),
        _("Change in rights"),
        _("Approved by"),
        _("Board resolution"),
        _("Before"),
        _("After"),
    ]


class AuditCsvView(ReadPermissionMixin, View):
    def get(self, request):
        form = AuditFilterForm(request.GET or None, companies=company_ids(request.user))
        if form.is_bound and not form.is_valid():
            return AuditView.as_view()(request)
        entries = selectors.audit_all(viewer=request.user, **(form.filters() if form.is_bound else {}))
        header = audit_header()
        rows = (
            [
                e.recorded_at.isoformat(),
                e.recorded_by.get_username() if e.recorded_by else "",
                e.type_label,
                e.effective_date.isoformat(),
                e.series.name if e.series else "",
                e.holder.name if e.holder else "",
                "" if e.rights_delta is None else e.rights_delta,
                e.approved_by.get_username() if e.approved_by else "",
                e.resolution,
                _json_text(e.before),
                _json_text(e.after),
            ]
            for e in entries
        )
        return csv_response(filename=f"audit-trail-{today().isoformat()}.csv", header=header, rows=rows)
