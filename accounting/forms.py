"""Forms of the accounting pages: GET forms choose what to show; two POST forms change settings
through grants services."""

from __future__ import annotations

from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounting.domain import periods as fiscal
from companies.access import visible_companies
from companies.models import AccountingStandard, Company
from grants.forms.fields import AsciiIntegerField, StepForm, date_field
from grants.models import Series

MIN_YEAR, MAX_YEAR = 1990, 2199


class CompanyForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Company"), queryset=Company.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible = visible_companies(user).order_by("name")
        cast(forms.ModelChoiceField, self.fields["company"]).queryset = self.visible

    def chosen_company(self):
        return self.cleaned_data.get("company") or self.visible.first()


class YearReportForm(CompanyForm):
    fiscal_year_end = date_field(_("Fiscal year ending"), required=False)
    standard = forms.ChoiceField(
        label=_("Accounting standard"),
        choices=[("", _("The company's standard")), *AccountingStandard.choices],
        required=False,
    )

    def clean(self):
        data = super().clean() or {}
        company, end = self.chosen_company(), data.get("fiscal_year_end")
        if company is not None and end is not None:
            if not MIN_YEAR <= end.year <= MAX_YEAR:
                self.add_error("fiscal_year_end", _("Enter a year between 1990 and 2199."))
                return data
            try:
                fiscal.fiscal_year_ending(end, end_month=company.fiscal_year_end_month)
            except ValueError:
                self.add_error(
                    "fiscal_year_end",
                    _("%(company)s's fiscal year ends on the last day of month %(month)d.")
                    % {"company": company, "month": company.fiscal_year_end_month},
                )
        return data

    def year_end(self, on: date) -> date | None:
        """The chosen year end, or the last one ended before ``on``."""
        company = self.chosen_company()
        if company is None:
            return None
        chosen = self.cleaned_data.get("fiscal_year_end")
        if chosen:
            return chosen
        current = fiscal.fiscal_year_containing(on, end_month=company.fiscal_year_end_month)
        return date.fromordinal(current.start.toordinal() - 1)


class TaxForm(CompanyForm):
    year = AsciiIntegerField(label=_("Calendar year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = AsciiIntegerField(label=_("Month (payroll)"), required=False, min_value=1, max_value=12)


class ServicePeriodForm(StepForm):
    kind = forms.ChoiceField(
        label=_("Service period"),
        choices=[
            (Series.ServicePeriod.PERIOD, _("From a first to a last day")),
            (Series.ServicePeriod.PAST_SERVICE, _("None: past service")),
        ],
    )
    start = date_field(_("First day"), required=False)
    end = date_field(_("Last day"), required=False)
    basis = forms.CharField(label=_("Basis"), max_length=300, required=False)


class AccountingSettingsForm(StepForm):
    accounting_standard = forms.ChoiceField(
        label=_("Accounting standard"), choices=AccountingStandard.choices
    )
    fiscal_year_end_month = AsciiIntegerField(label=_("Fiscal year ends in month"), min_value=1, max_value=12)
