"""Tax data at exercise: the page, the payroll hand-off per month (CSV) and the data of the annual
report on exercises per year (CSV), docs/domain.md §7.4."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounting.forms import TaxForm
from accounting.selectors.tax import annual_report_rows, exercise_taxes, month_bounds, year_bounds
from equityplan.clock import today
from equityplan.exports import csv_response
from equityplan.views import ReadPermissionMixin

TAX_HEADER = [
    "holder",
    "series",
    "exercised_on",
    "rights",
    "shares",
    "market_price_yen",
    "market_price_date",
    "exercise_price_yen",
    "payment_yen",
    "benefit_yen",
    "income_category",
    "reason",
]
ANNUAL_HEADER = [
    "holder",
    "address",
    "my_number",
    "series",
    "resolution_date",
    "grant_date",
    "exercised_on",
    "rights",
    "shares",
    "exercise_price_yen",
    "payment_yen",
    "market_price_yen",
    "benefit_yen",
    "income_category",
]


class TaxMixin(ReadPermissionMixin):
    def chosen(self):
        form = TaxForm(self.request.GET or None, user=self.request.user)
        if form.is_bound and not form.is_valid():
            return form, None, None, None
        data = form.cleaned_data if form.is_bound else {}
        if not form.is_bound:
            form.cleaned_data = {}
        return form, form.chosen_company(), data.get("year") or today().year - 1, data.get("month")

    def bad_request(self, form):
        text = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(text or _("Choose a company."))


class TaxView(TaxMixin, TemplateView):
    template_name = "accounting/tax.html"

    def get(self, request, *args, **kwargs):
        form, company, year, _month = self.chosen()
        context = self.get_context_data(form=form, company=company, year=year)
        if company is not None:
            start, end = year_bounds(year)
            taxes = exercise_taxes(company=company, start=start, end=end)
            months = sorted({t.exercise.exercised_on.month for t in taxes if t.exercise.exercised_on})
            context.update(taxes=taxes, months=months, query=f"company={company.pk}&year={year}")
        return self.render_to_response(context, status=400 if form.errors else 200)


class PayrollCsvView(TaxMixin, View):
    """The payroll hand-off: the month's exercises with the benefit and its category."""

    def get(self, request, *args, **kwargs):
        form, company, year, month = self.chosen()
        if company is None or month is None:
            if form.is_valid() and month is None:
                return HttpResponseBadRequest(_("Choose the month of the payroll hand-off (1 to 12)."))
            return self.bad_request(form)
        start, end = month_bounds(year, month)
        rows = [t.as_row() for t in exercise_taxes(company=company, start=start, end=end)]
        return csv_response(
            filename=f"payroll-exercises-{year}-{month:02d}.csv",
            header=TAX_HEADER,
            rows=[[r[k] for k in TAX_HEADER] for r in rows],
        )


class AnnualReportCsvView(TaxMixin, View):
    """新株予約権の行使に関する調書 data for a year; My Number stays masked (reveal it on the holder page)."""

    def get(self, request, *args, **kwargs):
        form, company, year, _month = self.chosen()
        if company is None:
            return self.bad_request(form)
        start, end = year_bounds(year)
        rows = annual_report_rows(exercise_taxes(company=company, start=start, end=end))
        return csv_response(
            filename=f"exercise-report-{year}.csv",
            header=ANNUAL_HEADER,
            rows=[[r[k] for k in ANNUAL_HEADER] for r in rows],
        )
