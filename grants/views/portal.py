"""The holder's own view (docs/domain.md reading R54): a signed-in holder or heir sees their own lots,
windows and requests, and may request an exercise within an open window. Staff pages refuse them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from equityplan.clock import today
from equityplan.views import add_service_errors
from grants import services
from grants.forms.fields import MAX_INT, RIGHTS_ERRORS, AsciiIntegerField
from grants.models import Lot
from grants.selectors.portal import holder_portal
from holders.access import own_holder
from holders.models import Holder


class HolderOnlyMixin:
    """Only a user linked to a holder; anyone else signed in gets a 403, anonymous users the login."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        holder = own_holder(request.user)
        if holder is None:
            raise PermissionDenied
        self.holder: Holder = holder
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class PortalExerciseForm(forms.Form):
    rights = AsciiIntegerField(
        label=gettext_lazy("Rights to exercise"), min_value=1, max_value=MAX_INT, error_messages=RIGHTS_ERRORS
    )


class PortalHomeView(HolderOnlyMixin, TemplateView):
    template_name = "grants/portal_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        context.update(holder=self.holder, today=on, **holder_portal(holder=self.holder, on=on))
        forms_by_lot = kwargs.get("forms_by_lot", {})
        for row in context["rows"]:
            row["form"] = forms_by_lot.get(row["lot"].pk) or PortalExerciseForm(
                initial={"rights": row["lot"].rights}, prefix=f"lot{row['lot'].pk}"
            )
        return context


class PortalExerciseView(HolderOnlyMixin, View):
    """POST: request the exercise of rights of one of the holder's own lots, today; legal staff then
    confirm it on payment as for any request (the same service, the holder's user as the actor)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        lot = (
            Lot.objects.filter(pk=pk, holding__holder=self.holder, rights__gt=0)
            .select_related("holding__series", "holding__holder")
            .first()
        )
        if lot is None:
            raise Http404(_("Not found."))
        form = PortalExerciseForm(request.POST, prefix=f"lot{lot.pk}")
        if form.is_valid():
            try:
                services.exercise_request(
                    holding=lot.holding,
                    lot=lot,
                    rights=form.cleaned_data["rights"],
                    requested_on=today(),
                    actor=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your request is recorded. The rights are exercised when your payment arrives."),
                )
                return HttpResponseRedirect(reverse("grants:portal_home"))
        view = PortalHomeView()
        view.setup(request)
        view.holder = self.holder
        response = view.render_to_response(view.get_context_data(forms_by_lot={lot.pk: form}))
        response.status_code = 400
        return response
