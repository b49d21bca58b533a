from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    """The issuer of the rights, or a successor company after an organizational restructuring (9)."""

    name = models.CharField(_("name"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    securities_code = models.CharField(_("securities code"), max_length=10, blank=True)
    address = models.CharField(_("head office address"), max_length=300, blank=True)
    representative = models.CharField(_("representative"), max_length=200, blank=True)
    successor_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("successor of"),
        help_text=_("Set on a company that took over rights in an organizational restructuring."),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        name = self.name_ja if self.name_ja and get_language() == "ja" else self.name
        return f"{name} ({self.securities_code})" if self.securities_code else name
