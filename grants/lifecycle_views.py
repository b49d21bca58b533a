"""Pages of the lifecycle workflows. Views parse a form and call one service; services decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from equityplan.clock import today
from holders import services as holder_services
from holders.models import Holder

from . import lifecycle_forms as f
from . import selectors, services
from .models import (
    CompanyAcquisition,
    CorporateAction,
    ExerciseRequest,
    Holding,
    InheritanceCase,
    LedgerEvent,
    Series,
    TransferRequest,
)
from .views import ReadPermissionMixin

RECORD = "grants.record_events"
DECIDE = "grants.decide"


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: field errors where the form has the field, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _date_initial(form_class) -> dict:
    on = today()
    return {
        name: on for name, field in form_class.base_fields.items() if isinstance(field.widget, f.DateInput)
    }


class ObjectMixin:
    model: type[Model] | None = None  # each page sets it
    select_related: tuple = ()

    def get_object(self):
        if not hasattr(self, "_object"):
            try:
                self._object = self.model.objects.select_related(*self.select_related).get(
                    pk=self.kwargs["pk"]
                )
            except self.model.DoesNotExist as exc:
                raise Http404(_("Not found.")) from exc
        return self._object


# --- form pages --------------------------------------------------------------------------------


class ServiceFormView(ReadPermissionMixin, ObjectMixin, FormView):
    """A page with one form whose valid input goes to one service; refusals come back as form errors."""

    permission_required = RECORD
    template_name = "grants/lifecycle/form.html"
    title: str | Promise = ""
    intro: str | Promise = ""
    submit_label: str | Promise = gettext_lazy("Save")

    def get_initial(self):
        return {**_date_initial(self.form_class), **super().get_initial()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title, intro=self.intro, object=self.get_object(), submit_label=self.submit_label
        )
        context["back_url"] = self.get_back_url()
        return context

    def get_back_url(self) -> str:
        return self.get_object().get_absolute_url()

    def perform(self, form):  # returns (url, message)
        raise NotImplementedError

    def form_valid(self, form):
        try:
            url, message = self.perform(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(url)


class HolderFormView(ServiceFormView):
    model = Holder


class PositionEndView(HolderFormView):
    form_class = f.PositionEndForm
    title = gettext_lazy("End a position")
    intro = gettext_lazy(
        "Ending the holder's last qualifying position opens the window of (11)2. Moving from director to "
        "executive officer is not a loss of position: start the new position first."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "holder": self.get_object()}

    def perform(self, data):
        holder_services.position_end(
            position=data["position"],
            ended_on=data["ended_on"],
            reason=data["reason"],
            actor=self.request.user,
        )
        return self.get_object().get_absolute_url(), _("The position was ended.")


class DeathRecordView(HolderFormView):
    form_class = f.DeathForm
    title = gettext_lazy("Record a death")
    intro = gettext_lazy("Open positions end with reason death; no departure window opens (11)2.")
    submit_label = gettext_lazy("Record the death")

    def perform(self, data):
        services.death_record(holder=self.get_object(), died_on=data["died_on"], actor=self.request.user)
        return self.get_object().get_absolute_url(), _("The death was recorded.")


class HoldingFormView(ServiceFormView):
    model = Holding
    select_related = ("series", "holder")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holding"] = self.get_object()
        return context

    def get_back_url(self) -> str:
        return self.get_object().holder.get_absolute_url()


class TransferRequestCreateView(HoldingFormView):
    form_class = f.TransferRequestForm
    title = gettext_lazy("Request a transfer")
    submit_label = gettext_lazy("Record the request")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "holder": self.get_object().holder}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.get_object().series.transfer_prohibited_by_allotment_terms:
            context["warning"] = _(
                "The allotment terms forbid transfer, pledge or disposal of these rights (11)4."
            )
        return context

    def perform(self, data):
        request = services.transfer_request(
            holding=self.get_object(),
            transferee=data["transferee"],
            rights=data["rights"],
            requested_on=data["requested_on"],
            actor=self.request.user,
        )
        return request.get_absolute_url(), _("The transfer request was recorded for the board's decision.")


class ExerciseRequestCreateView(HoldingFormView):
    form_class = f.ExerciseRequestForm
    title = gettext_lazy("Request an exercise")
    submit_label = gettext_lazy("Request the exercise")

    def get_initial(self):
        return {**super().get_initial(), "rights": self.get_object().rights}

    def perform(self, data):
        request = services.exercise_request(
            holding=self.get_object(),
            rights=data["rights"],
            requested_on=data["requested_on"],
            actor=self.request.user,
        )
        return request.get_absolute_url(), _(
            "The exercise was requested; it is exercised when the payment arrives."
        )


class SeriesFormView(ServiceFormView):
    model = Series
    select_related = ("company",)


class CorporateActionCreateView(SeriesFormView):
    form_class = f.CorporateActionForm
    title = gettext_lazy("Record a corporate action")
    intro = gettext_lazy(
        "Applies to every series of the company with rights outstanding, once the board secretary approves it (3)."
    )

    def perform(self, data):
        action = services.corporate_action_record(
            company=self.get_object().company, actor=self.request.user, **data
        )
        return action.get_absolute_url(), _("The corporate action awaits the board's decision.")


class AcquisitionResolveView(SeriesFormView):
    permission_required = DECIDE
    form_class = f.AcquisitionForm
    title = gettext_lazy("Acquisition by the company without contribution (8)")

    def perform(self, data):
        services.company_acquisition_resolve(series=self.get_object(), actor=self.request.user, **data)
        return self.get_object().get_absolute_url(), _("The board's acquisition date is recorded.")


class AcquisitionExecuteView(ServiceFormView):
    model = CompanyAcquisition
    select_related = ("series",)
    form_class = f.ExecuteForm
    title = gettext_lazy("Execute the acquisition by the company")
    submit_label = gettext_lazy("Acquire the rights")

    def perform(self, data):
        services.company_acquisition_execute(
            acquisition=self.get_object(), as_of=data["as_of"], actor=self.request.user
        )
        return self.get_object().series.get_absolute_url(), _("The rights are now held by the company.")


class RightsCancelView(SeriesFormView):
    form_class = f.CancelForm
    title = gettext_lazy("Cancel rights held by the company (Art 276)")

    def perform(self, data):
        services.rights_cancel(series=self.get_object(), actor=self.request.user, **data)
        return self.get_object().get_absolute_url(), _("The rights were cancelled.")


class RestructuringView(SeriesFormView):
    permission_required = DECIDE
    form_class = f.RestructuringForm
    title = gettext_lazy("Organizational restructuring (9)")
    intro = gettext_lazy(
        "The remaining rights are extinguished and the same number of successor rights delivered; the "
        "successor's exercise period starts on the later of the original start and the effective date."
    )

    def perform(self, data):
        record = services.restructuring_apply(series=self.get_object(), actor=self.request.user, **data)
        return record.successor_series.get_absolute_url(), _("The successor series was created.")


# --- request pages with their decision buttons (POST only) ----------------------------------------


class RequestDetailView(ReadPermissionMixin, ObjectMixin, TemplateView):
    actions: dict = {}

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
        return cls(data, initial=_date_initial(cls))

    def get_events(self, obj):
        key = self.event_key
        return (
            LedgerEvent.objects.filter(**{f"payload__{key}": obj.pk})
            .select_related("series", "holder", "recorded_by", "approved_by")
            .order_by("recorded_at", "pk")
        )


class RequestActionView(RequestDetailView):
    http_method_names = ["post"]
    action = ""

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.make_form(self.action, request.POST)
        if form.is_valid():
            try:
                message = self.perform(obj, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(obj.get_absolute_url())
        return self.render_to_response(self.get_context_data(bound=(self.action, form)))


class TransferDetailView(RequestDetailView):
    model = TransferRequest
    select_related = ("series", "transferor", "transferee", "requested_by", "decided_by", "registered_by")
    template_name = "grants/lifecycle/transfer_detail.html"
    actions = {"approve": f.DecisionForm, "reject": f.RejectForm, "register": f.RegisterForm}
    event_key = "transfer_request_id"


class TransferApproveView(RequestActionView, TransferDetailView):
    permission_required = DECIDE
    action = "approve"

    def perform(self, obj, data):
        services.transfer_approve(request=obj, actor=self.request.user, **data)
        return _("The transfer was approved.")


class TransferRejectView(RequestActionView, TransferDetailView):
    permission_required = DECIDE
    action = "reject"

    def perform(self, obj, data):
        services.transfer_reject(request=obj, actor=self.request.user, **data)
        return _("The transfer was rejected.")


class TransferRegisterView(RequestActionView, TransferDetailView):
    permission_required = RECORD
    action = "register"

    def perform(self, obj, data):
        services.transfer_register(request=obj, actor=self.request.user, **data)
        return _("The transfer was entered in the register.")


class InheritanceDetailView(RequestDetailView):
    model = InheritanceCase
    select_related = ("deceased", "heir", "requested_by", "heir_designated_by", "decided_by")
    template_name = "grants/lifecycle/inheritance_detail.html"
    actions = {"designate": f.HeirForm, "approve": f.InheritanceApproveForm}
    event_key = "inheritance_case_id"

    def make_form(self, name, data=None):
        if name == "designate":  # the deceased is left out of the heir choices
            return f.HeirForm(data, initial=_date_initial(f.HeirForm), deceased=self.get_object().deceased)
        return super().make_form(name, data)

    def get_context_data(self, bound=None, **kwargs):
        obj = self.get_object()
        context = super().get_context_data(bound=bound, **kwargs)
        context["holdings"] = list(
            Holding.objects.filter(holder=obj.deceased, rights__gt=0).select_related("series")
        )
        return context


class InheritanceOpenView(ReadPermissionMixin, ObjectMixin, TemplateView):
    """POST only: open the case for a deceased holder, then go to it."""

    model = Holder
    permission_required = RECORD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            case = services.inheritance_open(deceased=self.get_object(), actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.get_object().get_absolute_url())
        messages.success(request, _("The inheritance case is open: designate the heir."))
        return redirect(case.get_absolute_url())


class HeirDesignateView(RequestActionView, InheritanceDetailView):
    permission_required = RECORD
    action = "designate"

    def perform(self, obj, data):
        with transaction.atomic():
            heir = data["heir"] or holder_services.holder_create(
                name=data["new_name"],
                address=data["new_address"],
                address_from=data["designated_on"],
                actor=self.request.user,
            )
            services.heir_designate(
                case=obj,
                heir=heir,
                designated_on=data["designated_on"],
                relationship=data["relationship"],
                actor=self.request.user,
            )
        return _("The heir is designated; the case awaits approval.")


class InheritanceApproveView(RequestActionView, InheritanceDetailView):
    permission_required = DECIDE
    action = "approve"

    def perform(self, obj, data):
        services.inheritance_approve(case=obj, actor=self.request.user, **data)
        return _("The succession was approved; the rights passed to the heir.")


class ExerciseDetailView(RequestDetailView):
    model = ExerciseRequest
    select_related = ("series", "holder", "requested_by", "confirmed_by")
    template_name = "grants/lifecycle/exercise_detail.html"
    actions = {"confirm": f.PaymentForm, "withdraw": f.WithdrawForm}
    event_key = "exercise_request_id"


class ExerciseConfirmView(RequestActionView, ExerciseDetailView):
    permission_required = RECORD
    action = "confirm"

    def perform(self, obj, data):
        services.exercise_confirm_payment(request=obj, actor=self.request.user, **data)
        return _("Payment received: the rights are exercised.")


class ExerciseWithdrawView(RequestActionView, ExerciseDetailView):
    permission_required = RECORD
    action = "withdraw"

    def perform(self, obj, data):
        services.exercise_withdraw(request=obj, actor=self.request.user, **data)
        return _("The exercise request was withdrawn.")


class CorporateActionDetailView(RequestDetailView):
    model = CorporateAction
    select_related = ("company", "requested_by", "decided_by")
    template_name = "grants/lifecycle/corporate_action_detail.html"
    actions = {"approve": f.DecisionForm, "reject": f.DecisionForm}
    event_key = "corporate_action_id"


class CorporateActionApproveView(RequestActionView, CorporateActionDetailView):
    permission_required = DECIDE
    action = "approve"

    def perform(self, obj, data):
        services.corporate_action_approve(action=obj, actor=self.request.user, **data)
        return _("Approved: the shares per right of every affected series are adjusted.")


class CorporateActionRejectView(RequestActionView, CorporateActionDetailView):
    permission_required = DECIDE
    action = "reject"

    def perform(self, obj, data):
        services.corporate_action_reject(action=obj, actor=self.request.user, **data)
        return _("The corporate action was rejected.")


class DecisionQueueView(ReadPermissionMixin, TemplateView):
    template_name = "grants/lifecycle/decisions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        context.update(
            today=on,
            decisions=selectors.pending_decisions(),
            deadlines=selectors.upcoming_deadlines(as_of=on, days=30),
            deaths_without_heir=selectors.deaths_without_heir(),
            open_windows=selectors.open_windows(as_of=on),
        )
        return context
