from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PapersConfig(AppConfig):
    """The register, notices, disclosures, dashboard and audit trail: read-only pages and files."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "papers"
    verbose_name = _("Register and papers")

    def ready(self) -> None:
        # The series page shows the rights over time, through grants' panel hook
        # (docs/adr/0003-hooks.md): grants never imports papers, and papers imports no grants view.
        from grants import hooks

        from . import tasks  # noqa: F401  registers the register PDF's task in every process
        from .charts import series_chart_panel

        if series_chart_panel not in hooks.series_page_panels:
            hooks.series_page_panels.append(series_chart_panel)
