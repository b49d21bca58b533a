"""What the grants pages share: looking up their record, date fields filled with today, and the request
pages whose decision buttons post back to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from equityplan.clock import today
from equityplan.views import Message, ReadPermissionMixin, ServiceFormView, add_service_errors, refusal_status
from grants import selectors
from grants.access import check_visible
from grants.forms.fields import DateInput
from grants.models import LedgerEvent, Series

RECORD = "grants.record_events"
DECIDE = "grants.decide"


def date_initial(form_class) -> dict:
    """Today in every date field of a form: most steps are recorded on the day they happen."""
    on = today()
    return {name: on for name, field in form_class.base_fields.items() if isinstance(field.widget, DateInput)}


class SeriesMixin:
    kwargs: dict[str, Any]  # set by the View it is mixed into
    request: Any

    def get_series(self) -> Series:
        if not hasattr(self, "_series"):
            try:
                self._series = selectors.series_detail(pk=self.kwargs["pk"])
            except Series.DoesNotExist as exc:
                raise Http404(_("There is no such series.")) from exc
            check_visible(self.request.user, self._series)  # another company's series: not found
        return self._series


class ObjectMixin:
    """The page's record by the ``pk`` in its URL; a 404 where there is none."""

    model: type[Model]
    select_related: tuple[str, ...] = ()
    kwargs: dict[str, Any]
    request: Any

    def get_object(self) -> Any:
        if not hasattr(self, "_object"):
            try:
                self._object = self.model._default_manager.select_related(*self.select_related).get(
                    pk=self.kwargs["pk"]
                )
            except ObjectDoesNotExist as exc:
                raise Http404(_("Not found.")) from exc
            check_visible(self.request.user, self._object)  # another company's record: not found
        return self._object


class RecordFormView(ReadPermissionMixin, ObjectMixin, ServiceFormView):
    """A step recorded on one record (a holder, a holding, a series): a form page and one service."""

    permission_required = RECORD
    template_name = "grants/form.html"

    def get_initial(self):
        return {**date_initial(self.form_class), **super().get_initial()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.get_object(), back_url=self.get_back_url())
        return context

    def get_back_url(self) -> str:
        return self.get_object().get_absolute_url()


class RequestDetailView(ReadPermissionMixin, ObjectMixin, TemplateView):
    """A workflow request's page: its state, its ledger events and the forms of the steps it allows."""

    actions: dict[str, Any] = {}
    event_key = ""  # the payload key under which the ledger events name this request

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = {name: self.make_form(name) for name in self.actions}
        if bound is not None:
            forms[bound[0]] = bound[1]
        obj = self.get_object()
        context.update(object=obj, forms=forms, today=today())
        context["events"] = self.get_events(obj)
        return context

    def make_form(self, name, data=None):
        cls = self.actions[name]
        return cls(data, initial=date_initial(cls))

    def get_events(self, obj):
        return (
            LedgerEvent.objects.filter(**{f"payload__{self.event_key}": obj.pk})
            .select_related("series", "holder", "recorded_by", "approved_by")
            .order_by("recorded_at", "pk")
        )


class RequestActionView(RequestDetailView):
    """One step on a request (POST only): a refusal re-renders the request's page with the form's errors."""

    http_method_names = ["post"]
    action = ""

    perform: Callable[[Any, dict[str, Any]], Message]  # each step: call its service, say what happened

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.make_form(self.action, request.POST)
        status = 200
        if form.is_valid():
            try:
                message = self.perform(obj, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = refusal_status(exc)
            else:
                messages.success(request, message)
                return redirect(obj.get_absolute_url())
        return self.render_to_response(self.get_context_data(bound=(self.action, form)), status=status)
