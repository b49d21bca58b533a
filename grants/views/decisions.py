"""The board secretary's desk: every matter awaiting a decision, and the deadlines around them."""

from django.views.generic import TemplateView

from equityplan.clock import today
from equityplan.views import ReadPermissionMixin
from grants import selectors


class DecisionQueueView(ReadPermissionMixin, TemplateView):
    template_name = "grants/decisions.html"

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
