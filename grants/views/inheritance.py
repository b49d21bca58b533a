"""Inheritance: the case for a deceased holder, the one heir (11)3 and the board's approval (Art 261)."""

from django.db import transaction
from django.utils.translation import gettext as _

from equityplan.views import ReadPermissionMixin, ServiceActionView
from grants import services
from grants.forms.inheritance import HeirForm, InheritanceApproveForm, InheritanceRejectForm
from grants.models import Holding, InheritanceCase
from holders import services as holder_services
from holders.models import Heir, Holder
from holders.picker import HolderPickMixin

from .base import DECIDE, RECORD, ObjectMixin, RequestActionView, RequestDetailView, date_initial


class InheritanceDetailView(HolderPickMixin, RequestDetailView):
    model = InheritanceCase
    select_related = ("deceased", "heir", "requested_by", "heir_designated_by", "decided_by")
    template_name = "grants/inheritance_detail.html"
    actions = {"designate": HeirForm, "approve": InheritanceApproveForm, "reject": InheritanceRejectForm}
    event_key = "inheritance_case_id"

    def pick_form(self):
        return self.make_form("designate")

    def make_form(self, name, data=None):
        if name == "designate":  # the deceased is left out of the heir choices
            return HeirForm(data, initial=date_initial(HeirForm), deceased=self.get_object().deceased)
        return super().make_form(name, data)

    def get_context_data(self, bound=None, **kwargs):
        obj = self.get_object()
        context = super().get_context_data(bound=bound, **kwargs)
        context["holdings"] = list(
            Holding.objects.filter(holder=obj.deceased, rights__gt=0).select_related("series")
        )
        designation = Heir.objects.filter(deceased=obj.deceased).first() if obj.heir_id else None
        context["relationship"] = designation.relationship if designation else ""
        return context


class InheritanceOpenView(ReadPermissionMixin, ObjectMixin, ServiceActionView):
    """Open the case for a deceased holder, then go to it."""

    model = Holder
    permission_required = RECORD

    def get_back_url(self) -> str:
        return self.get_object().get_absolute_url()

    def perform(self, data):
        case = services.inheritance_open(deceased=self.get_object(), actor=self.actor)
        return case.get_absolute_url(), _("The inheritance case is open: designate the heir.")


class HeirDesignateView(RequestActionView, InheritanceDetailView):
    permission_required = RECORD
    action = "designate"

    def perform(self, obj, data):
        with transaction.atomic():
            heir = data["heir"] or holder_services.holder_create(
                name=data["new_name"],
                address=data["new_address"],
                address_from=data["designated_on"],
                actor=self.actor,
            )
            services.heir_designate(
                case=obj,
                heir=heir,
                designated_on=data["designated_on"],
                relationship=data["relationship"],
                actor=self.actor,
            )
        return _("The heir is designated; the case awaits approval.")


class InheritanceApproveView(RequestActionView, InheritanceDetailView):
    permission_required = DECIDE
    action = "approve"

    def perform(self, obj, data):
        services.inheritance_approve(case=obj, actor=self.actor, **data)
        return _("The succession was approved; the rights passed to the heir.")


class InheritanceRejectView(RequestActionView, InheritanceDetailView):
    permission_required = DECIDE
    action = "reject"

    def perform(self, obj, data):
        services.inheritance_reject(case=obj, actor=self.actor, **data)
        return _("The succession was refused; no right passed.")
