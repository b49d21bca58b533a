"""The project's shared view base: who may see a page, the one service-form view, and the one way a
service's refusal reaches the person who asked.

Views parse input and call exactly one service; the service decides (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from equityplan.workflow import is_four_eyes_refusal

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

Message: TypeAlias = "str | _StrPromise"
# What a service call on a page returns: where to go next, and what to tell the user.
Outcome = tuple[str, Message]


class RolePermissionMixin(PermissionRequiredMixin):
    """Anonymous users go to the login page; signed-in users without the permission get a 403."""

    raise_exception = True
    request: HttpRequest

    @property
    def actor(self) -> User:
        """The signed-in user who acts: past the permission check there always is one."""
        user = self.request.user
        if not isinstance(user, User):
            raise PermissionDenied
        return user

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return redirect_to_login(
                self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name()
            )
        return super().handle_no_permission()


class ReadPermissionMixin(RolePermissionMixin):
    """Every role (legal staff, board secretary, auditor) can read the rights' pages."""

    permission_required = "grants.view_series"


class RecordPermissionMixin(RolePermissionMixin):
    """Legal staff: record events and prepare requests."""

    permission_required = "grants.record_events"


class DecidePermissionMixin(RolePermissionMixin):
    """Board secretaries: decide board matters."""

    permission_required = "grants.decide"


def service_error_items(exc: ValidationError) -> list[tuple[str | None, list[str]]]:
    """A service's refusal as (field, messages) pairs; the field is None where the refusal names none."""
    if hasattr(exc, "error_dict"):
        return [
            (None if field == NON_FIELD_ERRORS else field, list(errors))
            for field, errors in exc.message_dict.items()
        ]
    return [(None, list(exc.messages))]


def refusal_status(exc: ValidationError) -> int:
    """A page re-shown with a refusal: 403 when the four-eyes rule refused the user, else 200."""
    return 403 if is_four_eyes_refusal(exc) else 200


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a refusal on the form: under the field where the form has it, else at the top.

    A form whose fields are named otherwise than the service's arguments says how in
    ``service_fields`` (service argument -> form field).
    """
    renamed = getattr(form, "service_fields", {})
    for field, errors in service_error_items(exc):
        name = renamed.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def message_service_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show a refusal as messages, for buttons that post from a record's page and go back to it."""
    for _field, errors in service_error_items(exc):
        for error in errors:
            messages.error(request, error)


def message_form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


class ServiceFormView(FormView):
    """A page with one form whose valid input goes to one service.

    Subclasses define ``perform(data) -> (url, message)``; a ``ValidationError`` from the service is
    shown on the form and nothing is saved.
    """

    title: Message = ""
    intro: Message = ""
    submit_label: Message = _("Save")
    perform: Callable[[dict[str, Any]], Outcome]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, intro=self.intro, submit_label=self.submit_label)
        return context

    def form_valid(self, form):
        try:
            url, message = self.perform(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            response = self.form_invalid(form)
            response.status_code = refusal_status(exc)
            return response
        messages.success(self.request, message)
        return redirect(url)


class ServiceActionView(View):
    """A button on a record's page (POST only): an optional small form, one service call, then a
    redirect with the outcome as a message. Subclasses define ``perform(data) -> (url, message)`` and
    ``get_back_url()``, where a refusal returns to."""

    http_method_names = ["post"]
    form_class: Any = None
    perform: Callable[[dict[str, Any]], Outcome]
    get_back_url: Callable[[], str]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        data: dict[str, Any] = {}
        if self.form_class is not None:
            form = self.form_class(request.POST)
            if not form.is_valid():
                message_form_errors(request, form)
                return redirect(self.get_back_url())
            data = form.cleaned_data
        try:
            url, message = self.perform(data)
        except ValidationError as exc:
            if is_four_eyes_refusal(exc):
                return TemplateResponse(
                    request,
                    "403.html",
                    {"refusals": [m for _f, ms in service_error_items(exc) for m in ms]},
                    status=403,
                )
            message_service_errors(request, exc)
            return redirect(self.get_back_url())
        messages.success(request, message)
        return redirect(url)
