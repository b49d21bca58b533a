from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "valuations"
    verbose_name = _("Valuations and market data")

    def ready(self) -> None:
        # Hook into grants without grants importing this app: the series page shows a valuation
        # panel, and load_demo gains the market data and the seed's valuation.
        from grants import demo as grants_demo
        from grants.views import SeriesDetailView

        from .demo import load_demo_valuation
        from .selectors import series_panel_context

        if series_panel_context not in SeriesDetailView.extra_context_providers:
            SeriesDetailView.extra_context_providers.append(series_panel_context)
        if load_demo_valuation not in grants_demo.EXTRA_STEPS:
            grants_demo.EXTRA_STEPS.append(load_demo_valuation)
