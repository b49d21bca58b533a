"""Companies: the issuer of a series and the company at which a position is held."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AccountingStandard(models.TextChoices):
    """The standard the company's consolidated accounts follow for share-based payment (docs/domain.md §7)."""

    JGAAP = "jgaap", _("Japanese GAAP (ASBJ Statement No. 8)")
    IFRS = "ifrs", _("IFRS (IFRS 2)")


class Company(models.Model):
    """The issuer of the rights, or a successor company after an organizational restructuring (9).

    Both the people (their offices are held at a company, (11)2) and the rights (a series is issued
    by a company) refer to it, so it lives below both apps. Its table keeps the name it had in grants.
    """

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
    # docs/domain.md §7: the expense schedule and the note follow the standard and the fiscal year.
    accounting_standard = models.CharField(
        _("accounting standard"),
        max_length=10,
        choices=AccountingStandard.choices,
        default=AccountingStandard.JGAAP,
    )
    fiscal_year_end_month = models.PositiveSmallIntegerField(
        _("fiscal year ends in month"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("The fiscal year ends on the last day of this month (3: 31 March)."),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        db_table = "grants_company"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_end_month__gte=1, fiscal_year_end_month__lte=12),
                name="company_fiscal_year_end_month_valid",
            )
        ]

    def __str__(self) -> str:
        name = self.name_ja if self.name_ja and get_language() == "ja" else self.name
        return f"{name} ({self.securities_code})" if self.securities_code else name


class CompanyAccess(models.Model):
    """A user limited to some companies: their series, holders, papers and decisions (docs/domain.md reading R47).

    A user with no row sees every company; superusers always do.
    """

    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="company_access", verbose_name=_("user")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="user_access", verbose_name=_("company")
    )

    class Meta:
        verbose_name = _("company access")
        verbose_name_plural = _("company access")
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="company_access_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.company}"
