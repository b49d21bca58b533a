"""Pages for legal staff, board secretaries and auditors. Views only read (selectors) or call a service."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from equityplan.clock import today
from equityplan.permissions import RolePermissionMixin

from . import selectors, services
from .forms import AllotmentDateForm, AllotmentForm, SeriesForm, SeriesResolveForm
from .models import Series


class ReadPermissionMixin(RolePermissionMixin):
    """Every role (legal staff, board secretary, auditor) can read; writes need more."""

    permission_required = "grants.view_series"


class RecordPermissionMixin(ReadPermissionMixin):
    permission_required = "grants.record_events"


class DecidePermissionMixin(ReadPermissionMixin):
    permission_required = "grants.decide"


class SeriesMixin:
    kwargs: dict[str, Any]  # set by the View it is mixed into

    def get_series(self) -> Series:
        if not hasattr(self, "_series"):
            try:
                self._series = selectors.series_detail(pk=self.kwargs["pk"])
            except Series.DoesNotExist as exc:
                raise Http404(_("There is no such series.")) from exc
        return self._series


class SeriesListView(ReadPermissionMixin, ListView):
    template_name = "grants/series_list.html"
    context_object_name = "series_list"

    def get_queryset(self):
        return selectors.series_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        context["rows"] = [
            (
                s,
                s.shares_per_right_on(on)
                if on >= s.allotment_date
                else s.shares_per_right_on(s.allotment_date),
            )
            for s in context["series_list"]
        ]
        return context


class SeriesDetailView(ReadPermissionMixin, SeriesMixin, TemplateView):
    template_name = "grants/series_detail.html"
    # Other apps add panels without grants importing them: each provider takes (series=, on=) and
    # returns context, with the templates to include under "panels" (see valuations/apps.py).
    extra_context_providers: list = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = self.get_series()
        on = today()
        shares_on = max(on, series.allotment_date)
        holdings = list(selectors.series_holdings(series=series))
        context.update(
            series=series,
            today=on,
            shares_per_right_today=series.shares_per_right_on(shares_on),
            holdings=holdings,
            rights_held=sum(h.rights for h in holdings),
            allotted_percent=round(100 * series.allotted_rights / series.max_rights)
            if series.max_rights
            else 0,
            events=selectors.series_recent_events(series=series),
            adjustments=list(series.share_adjustments.all()),
            planned=list(series.planned_allotments.all()),
        )
        context["extra_panels"] = []
        for provider in self.extra_context_providers:
            extra = dict(provider(series=series, on=on))
            context["extra_panels"].extend(extra.pop("panels", []))
            context.update(extra)
        return context


class AllotmentCreateView(RecordPermissionMixin, SeriesMixin, FormView):
    template_name = "grants/allotment_form.html"
    form_class = AllotmentForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        series = self.get_series()
        kwargs["holders"] = selectors.holders_for_allotment(series=series, on=series.allotment_date)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = self.get_series()
        return context

    def form_valid(self, form):
        series = self.get_series()
        try:
            allotment = services.allotment_create(
                series=series,
                holder=form.cleaned_data["holder"],
                rights=form.cleaned_data["rights"],
                category=form.cleaned_data["category"],
                actor=self.request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Allotted %(rights)d rights to %(holder)s.")
            % {"rights": allotment.rights, "holder": allotment.holder},
        )
        return redirect(series.get_absolute_url())


class SeriesCreateView(RecordPermissionMixin, FormView):
    """Legal staff enter a series clause by clause from the board notice; it starts as a draft."""

    template_name = "grants/series_form.html"
    form_class = SeriesForm

    def form_valid(self, form):
        try:
            series = services.series_create(actor=self.request.user, **form.terms())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Series created as a draft. A board secretary records the resolution.")
        )
        return redirect(series.get_absolute_url())


class SeriesDecisionView(DecidePermissionMixin, SeriesMixin, FormView):
    """A board decision on a series' terms, posted from the series page (POST only)."""

    http_method_names = ["post"]
    success_message: str | Promise = ""  # subclasses set it and define decide(series, data)

    def form_valid(self, form):
        series = self.get_series()
        try:
            self.decide(series, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
        else:
            messages.success(self.request, self.success_message)
        return redirect(series.get_absolute_url())

    def form_invalid(self, form):
        for errors in form.errors.values():
            for message in errors:
                messages.error(self.request, message)
        return redirect(self.get_series().get_absolute_url())


class SeriesResolveView(SeriesDecisionView):
    """The board secretary records the board's resolution of the terms."""

    form_class = SeriesResolveForm
    success_message = gettext_lazy("The board resolution is recorded; rights can now be allotted.")

    def decide(self, series, data):
        services.series_resolve(series=series, actor=self.request.user, **data)


class SeriesAllotmentDateView(SeriesDecisionView):
    """The board secretary records the board's change of the allotment date; the schedule follows."""

    form_class = AllotmentDateForm
    success_message = gettext_lazy("The allotment date is changed; the recomputation moves with it.")

    def decide(self, series, data):
        services.series_change_allotment_date(series=series, actor=self.request.user, **data)


class SeriesCloseAllotmentView(RecordPermissionMixin, SeriesMixin, View):
    """Legal staff close the allotment once every allottee has subscribed (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        series = self.get_series()
        try:
            services.series_close_allotment(series=series, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Allotment closed: no more rights of this series can be allotted."))
        return redirect(series.get_absolute_url())
