from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from equityplan.forms import BoundedDecimalField, date_field, fraction_field
from grants.models import Company
from valuations.domain.marketdata import MAX_IMPORT_BYTES

from .models import Valuation


class CsvUploadForm(forms.Form):
    """One CSV file; the size limit is checked before anything reads it."""

    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args, with_company: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_company:
            self.fields = {
                "company": forms.ModelChoiceField(
                    label=_("Company"), queryset=Company.objects.order_by("name")
                ),
                **self.fields,
            }
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(max)s."),
                code="too_large",
                params={"size": f"{upload.size:,}", "max": f"{MAX_IMPORT_BYTES:,}"},
            )
        return upload


OVERRIDE_LABELS = {
    "spot_yen": _("Share price S (yen)"),
    "volatility": _("Volatility σ (fraction, 0.27 for 27%)"),
    "rate": _("Risk-free rate r (fraction)"),
    "dividend_yield": _("Dividend yield q (fraction)"),
}


# R50: what a provisional valuation may be given by hand. A volatility of 0 prices nothing and one
# above 500% a year is a typing error; a rate of -5% or 20% is beyond any JGB yield on record; a
# dividend yield of half the price is beyond any listed share; a share price above 100 million yen
# is beyond any ever quoted in Tokyo.
MAX_SPOT_YEN = 100_000_000


def override_field(name: str) -> BoundedDecimalField:
    label = OVERRIDE_LABELS[name]
    if name == "spot_yen":
        return BoundedDecimalField(
            label=label,
            required=False,
            max_digits=20,
            decimal_places=6,
            min_value=0,
            max_value=MAX_SPOT_YEN,
            min_exclusive=True,
        )
    low, high, open_low = {
        "volatility": ("0", "5", True),
        "rate": ("-0.05", "0.2", False),
        "dividend_yield": ("0", "0.5", False),
    }[name]
    return fraction_field(label, low=low, high=high, min_exclusive=open_low, required=False)


class ValuationRunForm(forms.Form):
    """Compute a valuation; any derived input may be replaced by hand, with a reason."""

    valuation_date = date_field(_("Valuation date"))
    final = forms.BooleanField(
        label=_("Final (strictly by the series' rules; one per series and date)"), required=False
    )

    # A refusal of an input by the service is shown under the field where it was entered by hand.
    service_fields = {name: f"{name}_override" for name in Valuation.OVERRIDABLE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Valuation.OVERRIDABLE:
            self.fields[f"{name}_override"] = override_field(name)
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Reason for entering it by hand"), required=False, max_length=500
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean() or {}
        for name in Valuation.OVERRIDABLE:
            value, reason = cleaned.get(f"{name}_override"), (cleaned.get(f"{name}_reason") or "").strip()
            if value is not None and not reason:
                self.add_error(f"{name}_reason", _("Give the reason for entering this value by hand."))
            if value is None and reason:
                self.add_error(f"{name}_override", _("Enter the value, or leave the reason empty."))
        return cleaned

    @staticmethod
    def overrides_from(cleaned_data: dict) -> dict:
        """The inputs entered by hand, with their reasons, as valuation_run takes them."""
        return {
            name: {"value": cleaned_data[f"{name}_override"], "reason": cleaned_data[f"{name}_reason"]}
            for name in Valuation.OVERRIDABLE
            if cleaned_data.get(f"{name}_override") is not None
        }


class ValuationApproveForm(forms.Form):
    resolution_date = date_field(_("Board resolution date"), required=False)
    resolution_reference = forms.CharField(label=_("Board minutes reference"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ValuationRejectForm(forms.Form):
    """The board's rejection of a final valuation: the reason is required (the ledger keeps it)."""

    reason = forms.CharField(
        label=_("Reason for the rejection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
