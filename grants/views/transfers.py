"""Transfers of rights: the request, the board's decision (Art 265, 266) and the entry in the register."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import services
from grants.forms.transfers import RegisterForm, TransferDecisionForm, TransferRejectForm, TransferRequestForm
from grants.models import Holding, TransferRequest
from holders.picker import HolderPickMixin

from .base import DECIDE, RECORD, RecordFormView, RequestActionView, RequestDetailView


class TransferRequestCreateView(HolderPickMixin, RecordFormView):
    model = Holding
    select_related = ("series", "holder")
    form_class = TransferRequestForm
    title = gettext_lazy("Request a transfer")
    submit_label = gettext_lazy("Record the request")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "holder": self.get_object().holder}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holding"] = self.get_object()
        if self.get_object().series.transfer_prohibited_by_allotment_terms:
            context["warning"] = _(
                "The allotment terms forbid transfer, pledge or disposal of these rights, notice (11)4: "
                "a transfer request is refused."
            )
        return context

    def get_back_url(self) -> str:
        return self.get_object().holder.get_absolute_url()

    def perform(self, data):
        request = services.transfer_request(
            holding=self.get_object(),
            transferee=data["transferee"],
            rights=data["rights"],
            requested_on=data["requested_on"],
            actor=self.actor,
        )
        return request.get_absolute_url(), _("The transfer request was recorded for the board's decision.")


class TransferDetailView(RequestDetailView):
    model = TransferRequest
    select_related = ("series", "transferor", "transferee", "requested_by", "decided_by", "registered_by")
    template_name = "grants/transfer_detail.html"
    actions = {"approve": TransferDecisionForm, "reject": TransferRejectForm, "register": RegisterForm}
    event_key = "transfer_request_id"

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(bound=bound, **kwargs)
        request = context["object"]
        deemed_on = request.deemed_approved_on
        context["deemed_approved_on"] = deemed_on
        context["decision_due_passed"] = deemed_on is not None and context["today"] >= deemed_on
        return context


class TransferApproveView(RequestActionView, TransferDetailView):
    permission_required = DECIDE
    action = "approve"

    def perform(self, obj, data):
        services.transfer_approve(request=obj, actor=self.actor, **data)
        return _("The transfer was approved.")


class TransferRejectView(RequestActionView, TransferDetailView):
    permission_required = DECIDE
    action = "reject"

    def perform(self, obj, data):
        services.transfer_reject(request=obj, actor=self.actor, **data)
        return _("The transfer was rejected.")


class TransferRegisterView(RequestActionView, TransferDetailView):
    permission_required = RECORD
    action = "register"

    def perform(self, obj, data):
        services.transfer_register(request=obj, actor=self.actor, **data)
        return _("The transfer was entered in the register.")
