"""The year's pages: the overview with the company's settings, the stock-option note (page, PDF, CSV)
and the journal (page, CSV, Excel)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounting.forms import AccountingSettingsForm, YearReportForm
from accounting.selectors.inputs import companies_for
from accounting.selectors.journal import journal_entries
from accounting.selectors.reports import report_dict, year_report
from equityplan.clock import today
from equityplan.excel import Sheet, xlsx_response
from equityplan.exports import csv_response, pdf_response
from equityplan.views import ReadPermissionMixin, RecordPermissionMixin, ServiceActionView
from grants import services
from grants.models import Company


class YearMixin(ReadPermissionMixin):
    """Reads the company, the fiscal year end and the standard from the query; a bad one is a 400."""

    def get_form(self) -> YearReportForm:
        return YearReportForm(self.request.GET or None, user=self.request.user)

    def chosen(self):
        form = self.get_form()
        if form.is_bound and not form.is_valid():
            return form, None, None, None
        if not form.is_bound:
            form.cleaned_data = {}
        company = form.chosen_company()
        return form, company, form.year_end(today()), (form.cleaned_data.get("standard") or None)

    def bad_request(self, form):
        return HttpResponseBadRequest("; ".join(str(e) for errors in form.errors.values() for e in errors))


class OverviewView(YearMixin, TemplateView):
    template_name = "accounting/overview.html"

    def get(self, request, *args, **kwargs):
        form, company, year_end, standard = self.chosen()
        context = self.get_context_data(form=form, company=company)
        if company is not None and year_end is not None:
            report = year_report(company=company, fiscal_year_end=year_end, standard=standard)
            context.update(
                report=report,
                query=f"company={company.pk}&fiscal_year_end={year_end.isoformat()}&standard={report.standard}",
                settings_form=AccountingSettingsForm(
                    initial={
                        "accounting_standard": company.accounting_standard,
                        "fiscal_year_end_month": company.fiscal_year_end_month,
                    }
                ),
            )
        return self.render_to_response(context, status=400 if form.errors else 200)


class NoteView(YearMixin, TemplateView):
    """ストック・オプション等関係: the note of the annual securities report (ASBJ Statement No. 8 para 16)."""

    template_name = "accounting/note.html"
    pdf = False

    def get(self, request, *args, **kwargs):
        form, company, year_end, standard = self.chosen()
        context = self.get_context_data(form=form, company=company)
        if company is None or year_end is None:
            if self.pdf:
                return self.bad_request(form)
            return self.render_to_response(context, status=400 if form.errors else 200)
        report = year_report(company=company, fiscal_year_end=year_end, standard=standard)
        context.update(
            report=report,
            query=f"company={company.pk}&fiscal_year_end={year_end.isoformat()}&standard={report.standard}",
        )
        if self.pdf:
            lang = request.GET.get("lang") or get_language()
            if lang not in ("en", "ja"):
                return HttpResponseBadRequest(_("Choose the language of the PDF: en or ja."))
            with override(lang):
                return pdf_response(
                    template_name="accounting/note_pdf.html",
                    context=context,
                    request=request,
                    filename=f"stock-option-note-{year_end.isoformat()}-{lang}.pdf",
                )
        return self.render_to_response(context)


class NoteCsvView(YearMixin, View):
    def get(self, request, *args, **kwargs):
        form, company, year_end, standard = self.chosen()
        if company is None or year_end is None:
            return self.bad_request(form)
        data = report_dict(year_report(company=company, fiscal_year_end=year_end, standard=standard))
        keys = [
            "outstanding_start",
            "unvested_start",
            "granted",
            "forfeited",
            "vested",
            "unvested_end",
            "vested_start",
            "exercised",
            "lapsed",
            "unexercised_end",
            "outstanding_end",
        ]
        header = [
            "fiscal_year_end",
            "standard",
            "series",
            "name",
            "expense_yen",
            "lapse_gain_yen",
            "equity_transfer_yen",
            "exercise_price_yen",
            "average_price_at_exercise_yen",
            "fair_value_per_share_yen",
            *[f"shares_{k}" for k in keys],
        ]
        rows = [
            [
                data["fiscal_year_end"],
                data["standard"],
                s["series"],
                s["name"],
                s["expense_yen"],
                s["lapse_gain_yen"],
                s["equity_transfer_yen"],
                s["exercise_price_yen"],
                s["average_price_at_exercise_yen"],
                s["fair_value_per_share_yen"],
                *[(s["shares"] or {}).get(k) for k in keys],
            ]
            for s in data["series"]
        ]
        return csv_response(
            filename=f"stock-option-note-{year_end.isoformat()}.csv", header=header, rows=rows
        )


JOURNAL_HEADER = [
    "date",
    "series",
    "kind",
    "description",
    "account_ja",
    "account_en",
    "debit_yen",
    "credit_yen",
]


def _journal_rows(entries):
    return [
        [
            e.on.isoformat(),
            e.series_number,
            e.kind,
            e.description,
            line.account[0],
            line.account[1],
            line.debit_yen or None,
            line.credit_yen or None,
        ]
        for e in entries
        for line in e.lines
    ]


class JournalView(YearMixin, TemplateView):
    template_name = "accounting/journal.html"
    export = ""

    def get(self, request, *args, **kwargs):
        form, company, year_end, standard = self.chosen()
        if company is None or year_end is None:
            if self.export:
                return self.bad_request(form)
            return self.render_to_response(
                self.get_context_data(form=form), status=400 if form.errors else 200
            )
        entries = journal_entries(company=company, fiscal_year_end=year_end, standard=standard)
        chosen = standard or company.accounting_standard
        name = f"journal-{company.securities_code or company.pk}-{year_end.isoformat()}-{chosen}"
        if self.export == "csv":
            return csv_response(filename=f"{name}.csv", header=JOURNAL_HEADER, rows=_journal_rows(entries))
        if self.export == "xlsx":
            return xlsx_response(
                filename=f"{name}.xlsx",
                sheets=[Sheet(title=_("Journal"), header=JOURNAL_HEADER, rows=_journal_rows(entries))],
            )
        context = self.get_context_data(
            form=form,
            company=company,
            year_end=year_end,
            standard=chosen,
            entries=entries,
            query=f"company={company.pk}&fiscal_year_end={year_end.isoformat()}&standard={chosen}",
        )
        return self.render_to_response(context)


class AccountingSettingsView(RecordPermissionMixin, ServiceActionView):
    """Legal staff set the company's accounting standard and fiscal year (with before/after on the ledger)."""

    form_class = AccountingSettingsForm

    def get_company(self) -> Company:
        return get_object_or_404(companies_for(self.request.user), pk=self.kwargs["pk"])

    def get_back_url(self) -> str:
        return reverse("accounting:overview") + f"?company={self.kwargs['pk']}"

    def perform(self, data):
        services.company_update(
            company=self.get_company(),
            accounting_standard=data["accounting_standard"],
            fiscal_year_end_month=data["fiscal_year_end_month"],
            effective_date=today(),
            actor=self.actor,
        )
        return self.get_back_url(), _("Accounting settings saved.")
