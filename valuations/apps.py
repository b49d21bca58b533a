from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "valuations"
    verbose_name = _("Valuations and market data")

    def ready(self) -> None:
        # Hook into grants without grants importing this app (docs/adr/0003-hooks.md): the series
        # page shows a valuation panel, the secretary's queue lists valuations to approve, and
        # load_demo gains the market data and the seed's valuation. Imported here: models are loaded.
        from grants import demo as grants_demo
        from grants import hooks
        from grants.services.evidence import SUBJECTS
        from grants.views.series import SeriesDetailView

        from .demo import load_demo_valuation
        from .models import Valuation
        from .selectors import series_panel_context
        from .selectors.decisions import valuations_awaiting_approval

        if valuations_awaiting_approval not in hooks.pending_decision_sources:
            hooks.pending_decision_sources.append(valuations_awaiting_approval)

        if series_panel_context not in SeriesDetailView.extra_context_providers:
            SeriesDetailView.extra_context_providers.append(series_panel_context)
        SUBJECTS.setdefault("valuation", Valuation)  # board minutes of the approval attach here
        if load_demo_valuation not in grants_demo.EXTRA_STEPS:
            grants_demo.EXTRA_STEPS.append(load_demo_valuation)
