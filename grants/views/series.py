"""A series: the list, its page, its creation from the board notice and the board's decisions on its terms."""

from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from companies.access import limit_company_choices
from equityplan.clock import today
from equityplan.views import (
    DecidePermissionMixin,
    ReadPermissionMixin,
    RecordPermissionMixin,
    ServiceActionView,
    ServiceFormView,
)
from grants import hooks, selectors, services
from grants.access import visible_series
from grants.forms.series import AllotmentDateForm, SeriesForm, SeriesResolveForm
from grants.selectors.series import (
    SERIES_HOLDER_FILTERS,
    SERIES_HOLDER_SORTS,
    SeriesHoldersQuery,
    series_holders_page,
)

from .base import SeriesMixin


class SeriesListView(ReadPermissionMixin, ListView):
    template_name = "grants/series_list.html"
    context_object_name = "series_list"

    def get_queryset(self):
        return visible_series(self.request.user, selectors.series_list())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        context["rows"] = [
            (s, s.shares_per_right_on(max(on, s.allotment_date))) for s in context["series_list"]
        ]
        return context


class SeriesDetailView(ReadPermissionMixin, SeriesMixin, TemplateView):
    template_name = "grants/series_detail.html"
    # Other apps add panels without grants importing them: each provider takes (series=, on=) and
    # returns context, with the templates to include under "panels" (docs/adr/0003-hooks.md).
    extra_context_providers: list = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = self.get_series()
        on = today()
        shares_on = max(on, series.allotment_date)
        holders_query = SeriesHoldersQuery.from_params(self.request.GET)
        listing = series_holders_page(
            series=series, query=holders_query, page=self.request.GET.get("holders_page")
        )
        holdings = listing.rows
        context.update(
            series=series,
            today=on,
            shares_per_right_today=series.shares_per_right_on(shares_on),
            holdings=holdings,
            holders_listing=listing,
            holders_totals=listing.totals,
            holders_query=holders_query,
            holders_sorts=[(key, label) for key, (label, _order) in SERIES_HOLDER_SORTS.items()],
            holders_filters=list(SERIES_HOLDER_FILTERS.items()),
            holders_previous_url=urlencode(holders_query.params(holders_page=str(listing.page.number - 1))),
            holders_next_url=urlencode(holders_query.params(holders_page=str(listing.page.number + 1))),
            # Office counts at the issuer only, (11)2: the rows carry their open positions there.
            in_office_ids={h.holder_id for h in holdings if h.holder.issuer_office_now},
            rights_held=listing.totals["all_rights"],
            allotted_percent=round(100 * series.allotted_rights / series.max_rights)
            if series.max_rights
            else 0,
            events=selectors.series_recent_events(series=series),
            adjustments=list(series.share_adjustments.all()),
            planned=list(series.planned_allotments.all()),
        )
        context["extra_panels"] = []
        for provider in [*self.extra_context_providers, *hooks.series_page_panels]:
            extra = dict(provider(series=series, on=on))
            context["extra_panels"].extend(extra.pop("panels", []))
            context.update(extra)
        return context


class SeriesCreateView(RecordPermissionMixin, ServiceFormView):
    """Legal staff enter a series clause by clause from the board notice; it starts as a draft."""

    template_name = "grants/series_form.html"
    form_class = SeriesForm

    def get_form(self, form_class=None):
        return limit_company_choices(super().get_form(form_class), self.request.user)

    def perform(self, data):
        series = services.series_create(actor=self.actor, **SeriesForm.terms_from(data))
        return series.get_absolute_url(), _(
            "Series created as a draft. A board secretary records the resolution."
        )


class SeriesDecisionView(DecidePermissionMixin, SeriesMixin, ServiceActionView):
    """A board decision on a series' terms, posted from the series page."""

    def get_back_url(self) -> str:
        return self.get_series().get_absolute_url()


class SeriesResolveView(SeriesDecisionView):
    """The board secretary records the board's resolution of the terms."""

    form_class = SeriesResolveForm

    def perform(self, data):
        services.series_resolve(series=self.get_series(), actor=self.actor, **data)
        return self.get_back_url(), _("The board resolution is recorded; rights can now be allotted.")


class SeriesAllotmentDateView(SeriesDecisionView):
    """The board secretary records the board's change of the allotment date; the schedule follows."""

    form_class = AllotmentDateForm

    def perform(self, data):
        services.series_change_allotment_date(series=self.get_series(), actor=self.actor, **data)
        return self.get_back_url(), _("The allotment date is changed; the recomputation moves with it.")


class SeriesCloseAllotmentView(RecordPermissionMixin, SeriesMixin, ServiceActionView):
    """Legal staff close the allotment once every allottee has subscribed."""

    def get_back_url(self) -> str:
        return self.get_series().get_absolute_url()

    def perform(self, data):
        services.series_close_allotment(series=self.get_series(), actor=self.actor)
        return self.get_back_url(), _("Allotment closed: no more rights of this series can be allotted.")
