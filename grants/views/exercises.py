"""Exercises: the request, the payment that makes it an exercise (Art 281) and withdrawal."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equityplan.forms import whole_number
from grants import services
from grants.forms.exercises import ExerciseRequestForm, PaymentForm, WithdrawForm
from grants.models import ExerciseRequest, Holding

from .base import RECORD, RecordFormView, RequestActionView, RequestDetailView


class ExerciseRequestCreateView(RecordFormView):
    model = Holding
    select_related = ("series", "holder")
    form_class = ExerciseRequestForm
    title = gettext_lazy("Request an exercise")
    submit_label = gettext_lazy("Request the exercise")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "holding": self.get_object()}

    def get_initial(self):
        initial = {**super().get_initial(), "rights": self.get_object().rights}
        wanted = whole_number(self.request.GET.get("lot"))
        lot = self.get_object().lots.filter(pk=wanted, rights__gt=0).first() if wanted is not None else None
        if lot is not None:  # the lot the holder page's button was next to
            initial.update(lot=lot.pk, rights=lot.rights)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holding"] = self.get_object()
        return context

    def get_back_url(self) -> str:
        return self.get_object().holder.get_absolute_url()

    def perform(self, data):
        request = services.exercise_request(
            holding=self.get_object(),
            lot=data["lot"],
            rights=data["rights"],
            requested_on=data["requested_on"],
            actor=self.actor,
        )
        return request.get_absolute_url(), _(
            "The exercise was requested; it is exercised when the payment arrives."
        )


class ExerciseDetailView(RequestDetailView):
    model = ExerciseRequest
    select_related = ("series", "holder", "requested_by", "confirmed_by")
    template_name = "grants/exercise_detail.html"
    actions = {"confirm": PaymentForm, "withdraw": WithdrawForm}
    event_key = "exercise_request_id"


class ExerciseConfirmView(RequestActionView, ExerciseDetailView):
    permission_required = RECORD
    action = "confirm"

    def perform(self, obj, data):
        services.exercise_confirm_payment(request=obj, actor=self.actor, **data)
        return _("Payment received: the rights are exercised.")


class ExerciseWithdrawView(RequestActionView, ExerciseDetailView):
    permission_required = RECORD
    action = "withdraw"

    def perform(self, obj, data):
        services.exercise_withdraw(request=obj, actor=self.actor, **data)
        return _("The exercise request was withdrawn.")
