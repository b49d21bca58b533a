from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounting"
    verbose_name = _("Year-end accounts and tax")

    def ready(self) -> None:
        # Hook into grants without grants importing this app (docs/adr/0003-hooks.md): the dashboard's
        # deadlines gain the year ends and the January filing, the series page the service period
        # and its expense, and load_demo the demo's service period, exercise and lapses.
        from grants import demo as grants_demo
        from grants import hooks
        from grants.views.series import SeriesDetailView

        from .demo import load_demo_accounting
        from .hooks import year_end_deadlines
        from .views.series import series_panel_context

        if year_end_deadlines not in hooks.upcoming_deadline_sources:
            hooks.upcoming_deadline_sources.append(year_end_deadlines)
        if series_panel_context not in SeriesDetailView.extra_context_providers:
            SeriesDetailView.extra_context_providers.append(series_panel_context)
        if load_demo_accounting not in grants_demo.EXTRA_STEPS:
            grants_demo.EXTRA_STEPS.append(load_demo_accounting)
