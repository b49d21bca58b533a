from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PapersConfig(AppConfig):
    """The register, notices, disclosures, dashboard and audit trail: read-only pages and files."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "papers"
    verbose_name = _("Register and papers")
