"""A series from its board notice, and the board's decisions on its terms."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from equityplan.forms import (
    MAX_INT,
    AsciiIntegerField,
    BoundedDecimalField,
    date_field,
    model_formfield,
)
from grants.models import AllotmentCategory, Series

# R50: T is at most the longest exercise period the notices give (30 years) with room to spare.
MAX_TERM_YEARS = 50


class SeriesForm(forms.ModelForm):
    """Every term of a board notice, clause by clause; the service checks them again."""

    shares_per_right = AsciiIntegerField(
        label=_("Shares per right at issue"), min_value=1, max_value=MAX_INT, help_text=_("Clause (3).")
    )
    planned_directors = AsciiIntegerField(label=_("Directors (persons)"), min_value=0, required=False)
    planned_director_rights = AsciiIntegerField(label=_("Rights for directors"), min_value=0, required=False)
    planned_officers = AsciiIntegerField(label=_("Executive officers (persons)"), min_value=0, required=False)
    planned_officer_rights = AsciiIntegerField(
        label=_("Rights for executive officers"), min_value=0, required=False
    )
    valuation_term_years = BoundedDecimalField(
        label=_("expected remaining period T (years)"),
        max_digits=6,
        decimal_places=3,
        min_value=0,
        max_value=MAX_TERM_YEARS,
        min_exclusive=True,
        initial=15,
    )

    class Meta:
        model = Series
        fields = [
            "company",
            "number",
            "name",
            "name_ja",
            "max_rights",
            "share_class",
            "exercise_price_per_share_yen",
            "exercise_period_start",
            "exercise_period_end",
            "allotment_date",
            "payment_date",
            "payment_by_setoff",
            "transfer_requires_board_approval",
            "transfer_prohibited_by_allotment_terms",
            "company_may_acquire_without_contribution",
            "successor_rights_on_restructuring",
            "all_at_once_exercise",
            "departure_window_days",
            "departure_window_shift",
            "heir_allowed",
            "heir_window_months",
            "heir_window_shift",
            "other_conditions",
            "certificates_issued",
            "rounding_rule",
            "valuation_spot_rule",
            "valuation_term_years",
            "volatility_frequency",
            "volatility_window_start",
            "volatility_window_end",
            "rate_rule",
            "dividend_rule",
            "dividend_fiscal_year_end",
        ]
        formfield_callback = model_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("exercise_period_start"), cleaned.get("exercise_period_end")
        if start and end and end < start:
            self.add_error("exercise_period_end", _("The exercise period ends before it starts."))
        return cleaned

    @staticmethod
    def terms_from(cleaned_data: dict) -> dict:
        """The cleaned terms as keyword arguments for services.series_create."""
        data = dict(cleaned_data)
        planned = []
        for category, persons_key, rights_key in (
            (AllotmentCategory.DIRECTOR, "planned_directors", "planned_director_rights"),
            (AllotmentCategory.EXECUTIVE_OFFICER, "planned_officers", "planned_officer_rights"),
        ):
            persons, rights = data.pop(persons_key), data.pop(rights_key)
            if persons or rights:
                planned.append((category, persons or 0, rights or 0))
        data["planned"] = planned
        return data


class SeriesResolveForm(forms.Form):
    resolution_date = date_field(_("Board resolution date"))
    resolution_reference = forms.CharField(label=_("Minutes reference"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AllotmentDateForm(forms.Form):
    """The board moves the allotment and payment dates, clauses (13) and (14)."""

    allotment_date = date_field(_("New allotment date"))
    payment_date = date_field(_("New payment date"))
    resolution_date = date_field(_("Board resolution date"))
    resolution_reference = forms.CharField(label=_("Minutes reference"), max_length=200)
