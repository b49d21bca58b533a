"""Filter forms for the papers' pages (all GET: they only choose what to show)."""

from collections.abc import Collection
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from equityplan.forms import BoundedDateField, QuickSelect
from grants.models import Series
from holders.models import Holder

from . import audit

# The filters take the project's date field (docs/domain.md R48): the register holds no day outside it.


class RegisterForm(forms.Form):
    as_of = BoundedDateField(label=_("As of"), required=False)
    known_on = BoundedDateField(
        label=_("As known on"),
        required=False,
        help_text=_("Empty: as known today. A conditional split is known from the day after its meeting."),
    )
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("All series"),
        widget=QuickSelect,
    )

    def __init__(self, *args, companies: Collection[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        series = Series.objects.select_related("company").order_by("company", "number")
        if companies is not None:  # the reader's companies only (docs/domain.md reading R47)
            series = series.filter(company_id__in=companies)
        cast(forms.ModelChoiceField, self.fields["series"]).queryset = series


class AsOfForm(forms.Form):
    as_of = BoundedDateField(label=_("As of"), required=False)


class DisclosureForm(forms.Form):
    fiscal_year_end = BoundedDateField(label=_("Fiscal year end"))
    filing_month_end = BoundedDateField(label=_("End of the month before filing"))

    def clean(self):
        cleaned = super().clean() or {}
        fye, fme = cleaned.get("fiscal_year_end"), cleaned.get("filing_month_end")
        if fye and fme and fme < fye:
            raise forms.ValidationError(
                _("The end of the month before filing must not be before the fiscal year end."), code="order"
            )
        return cleaned


class UserChoiceField(forms.ModelChoiceField):
    """Users by their username, the name the trail shows."""

    def label_from_instance(self, obj) -> str:
        return obj.get_username()


class AuditFilterForm(forms.Form):
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=_("All series"),
        widget=QuickSelect,
    )
    # A name search, not a drop-down: a drop-down of every holder grows with the register.
    holder_name = forms.CharField(label=_("Holder name contains"), max_length=200, required=False)
    # One holder by id, from links such as the holder page's "audit trail" link.
    holder = forms.ModelChoiceField(queryset=Holder.objects.all(), required=False, widget=forms.HiddenInput)
    user = UserChoiceField(
        label=_("User"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("All users"),
        widget=QuickSelect,
    )
    event_type = forms.ChoiceField(label=_("Type"), required=False, widget=QuickSelect)
    date_from = BoundedDateField(label=_("Effective from"), required=False)
    date_to = BoundedDateField(label=_("Effective to"), required=False)

    def __init__(self, *args, companies: Collection[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        series = Series.objects.select_related("company").order_by("company", "number")
        if companies is not None:  # the reader's companies only (docs/domain.md reading R47)
            series = series.filter(company_id__in=companies)
        cast(forms.ModelChoiceField, self.fields["series"]).queryset = series
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = audit.audit_users()
        types: list[tuple[str, Any]] = [("", _("All types")), *audit.audit_type_choices()]
        cast(forms.ChoiceField, self.fields["event_type"]).choices = types

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the range is before its start."), code="order")
        return cleaned

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "series": data.get("series"),
            "holder": data.get("holder"),
            "holder_name": (data.get("holder_name") or "").strip(),
            "user": data.get("user"),
            "event_type": data.get("event_type") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class AuditJumpForm(forms.Form):
    """A jump into the trail: the entries recorded on or before a day (the site's time zone)."""

    on_or_before = BoundedDateField(label=_("Recorded on or before"), required=False)


class NoticeHeaderForm(forms.Form):
    """The head of a disclosure: the date the notice goes out and whom to ask (not kept anywhere)."""

    notice_date = BoundedDateField(label=_("Date of the notice"), required=False)
    contact = forms.CharField(
        label=_("Contact person"),
        required=False,
        max_length=200,
        help_text=_(
            "Printed under the company's name, e.g. the general manager of the legal department and a telephone number."
        ),
    )
