from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grants"
    verbose_name = _("Stock acquisition rights")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import ensure_roles_after_migrate

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="grants.ensure_roles")

        # The holder page shows rights without the holders app importing grants.
        from holders.views import HolderDetailView

        from .selectors import holder_page_context

        if holder_page_context not in HolderDetailView.extra_context_providers:
            HolderDetailView.extra_context_providers.append(holder_page_context)

        # The series page's lifecycle panel (corporate events, register balance).
        from .selectors.series import series_lifecycle_panel
        from .views import SeriesDetailView

        if series_lifecycle_panel not in SeriesDetailView.extra_context_providers:
            SeriesDetailView.extra_context_providers.append(series_lifecycle_panel)

    def warm_up(self) -> None:
        """For a new web worker (equityplan/warmup.py): the XTKS calendar, half a second to build."""
        from .domain.calendar import xtks_coverage

        xtks_coverage()
