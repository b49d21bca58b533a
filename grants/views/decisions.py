"""The board secretary's desk: every matter awaiting a decision, and the deadlines around them."""

from django.views.generic import TemplateView

from equityplan.clock import today
from equityplan.views import ReadPermissionMixin
from grants import selectors
from grants.access import visible_items


class DecisionQueueView(ReadPermissionMixin, TemplateView):
    template_name = "grants/decisions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        user = self.request.user
        windows = selectors.lots_with_windows(
            closing_from=on
        )  # read once: the deadlines and the open windows
        context.update(
            today=on,
            decisions=visible_items(user, selectors.pending_decisions()),
            deadlines=visible_items(user, selectors.upcoming_deadlines(as_of=on, days=30, windows=windows)),
            deaths_without_heir=visible_items(user, selectors.deaths_without_heir()),
            open_windows=visible_items(user, selectors.open_windows(as_of=on, windows=windows)),
        )
        return context
