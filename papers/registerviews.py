"""The register's page and files (Art 249): the page reads one page of entries and the totals, the
CSV and Excel stream the entries, the PDF is rendered here or, when big, by the worker."""

from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.access import company_ids
from equityplan.clock import today
from equityplan.exports import pdf_response, stream_csv_response
from equityplan.views import ReadPermissionMixin
from grants.selectors.register import (
    RegisterRow,
    RegisterScope,
    RegisterSeriesTotal,
    register_entries,
    register_totals,
    register_with_totals_as_of,
)
from grants.selectors.register_paged import register_holder_count
from holders.models import Holder

from . import pdfjobs
from .forms import RegisterForm
from .pdfjob_views import start_page
from .registerdoc import RegisterSection, issuers, register_sections
from .registerpage import PAGE_PARAMETERS, read_query, read_sort, register_page_of, without


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


def _register_csv_row(r: RegisterRow, kinds: tuple[str, str]) -> list:
    """``kinds``: the entry's kind in the reader's language, the company's own rights and a holder's."""
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
        kinds[0] if r.company_held else kinds[1],
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
    kinds = (_("The company's own rights"), _("Holder"))  # once, not a lookup per row
    yield from (_register_csv_row(r, kinds) for r in (section.rows if entries is None else entries))
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
