"""The upload of a holders file: the company they take office at, the series (if the file allots), the file."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from companies.access import visible_companies
from grants.access import visible_series
from grants.models import Company, Series


def max_import_bytes() -> int:
    return int(getattr(settings, "BULK_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


class HolderImportForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Company.objects.none())
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.none(),
        required=False,
        help_text=_(
            "Where the rights column is allotted (a series resolved by the board). Empty: holders only."
        ),
    )
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        company_field = self.fields["company"]
        series_field = self.fields["series"]
        assert isinstance(company_field, forms.ModelChoiceField)
        assert isinstance(series_field, forms.ModelChoiceField)
        company_field.queryset = visible_companies(user).order_by("name")
        series_field.queryset = visible_series(
            user, Series.objects.filter(status=Series.Status.RESOLVED).select_related("company")
        ).order_by("-allotment_date", "pk")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_import_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(max)s."),
                code="too_large",
                params={"size": f"{upload.size:,}", "max": f"{limit:,}"},
            )
        return upload

    def clean(self):
        data = super().clean() or {}
        series, company = data.get("series"), data.get("company")
        if series is not None and company is not None and series.company_id != company.pk:
            self.add_error("series", _("The series belongs to another company."))
        return data
