from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from equityplan.clock import today
from equityplan.permissions import RolePermissionMixin

from .models import Holder


class HolderReadMixin(RolePermissionMixin):
    permission_required = "holders.view_holder"


class HolderListView(HolderReadMixin, ListView):
    template_name = "holders/holder_list.html"
    context_object_name = "holders"

    def get_queryset(self):
        return Holder.objects.prefetch_related("positions", "addresses").order_by("name", "pk")


class HolderDetailView(HolderReadMixin, TemplateView):
    """The holder's page: positions, address history, holdings and recent events.

    The holdings and events come from the grants app through a hook the grants app registers,
    so this app never imports grants.
    """

    template_name = "holders/holder_detail.html"
    extra_context_providers: list = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            holder = Holder.objects.prefetch_related("addresses", "positions", "events__recorded_by").get(
                pk=self.kwargs["pk"]
            )
        except Holder.DoesNotExist as exc:
            raise Http404(_("There is no such holder.")) from exc
        context.update(
            holder=holder,
            today=today(),
            positions=sorted(holder.positions.all(), key=lambda p: p.started_on),
            addresses=sorted(holder.addresses.all(), key=lambda a: a.valid_from),
            lost_position_on=holder.lost_position_on(),
            holder_events=list(holder.events.all()[:20]),
        )
        for provider in self.extra_context_providers:
            context.update(provider(holder=holder, on=context["today"]))
        return context
