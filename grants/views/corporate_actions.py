"""Corporate actions that adjust the shares per right: splits, consolidations, reasonable adjustments (3)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants import services
from grants.forms.corporate_actions import CorporateActionForm
from grants.forms.decisions import DecisionForm
from grants.models import CorporateAction, Series

from .base import DECIDE, RecordFormView, RequestActionView, RequestDetailView


class CorporateActionCreateView(RecordFormView):
    model = Series
    select_related = ("company",)
    form_class = CorporateActionForm
    title = gettext_lazy("Record a corporate action")
    intro = gettext_lazy(
        "Applies to every series of the company with rights outstanding, once the board secretary approves it (3)."
    )

    def perform(self, data):
        action = services.corporate_action_record(company=self.get_object().company, actor=self.actor, **data)
        return action.get_absolute_url(), _("The corporate action awaits the board's decision.")


class CorporateActionDetailView(RequestDetailView):
    model = CorporateAction
    select_related = ("company", "requested_by", "decided_by")
    template_name = "grants/corporate_action_detail.html"
    actions = {"approve": DecisionForm, "reject": DecisionForm}
    event_key = "corporate_action_id"


class CorporateActionApproveView(RequestActionView, CorporateActionDetailView):
    permission_required = DECIDE
    action = "approve"

    def perform(self, obj, data):
        services.corporate_action_approve(action=obj, actor=self.actor, **data)
        return _("Approved: the shares per right of every affected series are adjusted.")


class CorporateActionRejectView(RequestActionView, CorporateActionDetailView):
    permission_required = DECIDE
    action = "reject"

    def perform(self, obj, data):
        services.corporate_action_reject(action=obj, actor=self.actor, **data)
        return _("The corporate action was rejected.")
