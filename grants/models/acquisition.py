from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import Company

from .series import Series


class CompanyAcquisition(models.Model):
    """The company's acquisition of a series' rights without contribution, notice (8).

    Once a merger (the company dissolving) or a share exchange / share transfer making it a
    wholly-owned subsidiary is approved, the board may fix a date on which the company acquires the
    rights for nothing. From then the company holds them: they cannot be exercised (Art 280(6)) and
    may be cancelled (Art 276).
    """

    class Trigger(models.TextChoices):
        MERGER = "merger", _("Merger under which the company is dissolved")
        SHARE_EXCHANGE = "share_exchange", _("Share exchange making the company a wholly-owned subsidiary")
        SHARE_TRANSFER = "share_transfer", _("Share transfer making the company a wholly-owned subsidiary")

    class Status(models.TextChoices):
        RESOLVED = "resolved", _("Resolved: date fixed by the board")
        EXECUTED = "executed", _("Executed: rights held by the company")

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="company_acquisitions", verbose_name=_("series")
    )
    trigger = models.CharField(_("approved proposal"), max_length=20, choices=Trigger.choices)
    proposal_approved_on = models.DateField(
        _("proposal approved on"), help_text=_("Date of the shareholders' (or board) approval, (8).")
    )
    acquisition_date = models.DateField(_("acquisition date"), help_text=_("The date fixed by the board."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RESOLVED)
    resolution_date = models.DateField(_("board resolution date"))
    resolution_reference = models.CharField(_("board minutes reference"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    requested_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("executed by"),
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    rights_acquired = models.PositiveIntegerField(_("rights acquired"), default=0)

    class Meta:
        verbose_name = _("company acquisition")
        verbose_name_plural = _("company acquisitions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["series"], name="company_acquisition_one_per_series"),
            models.CheckConstraint(
                condition=models.Q(acquisition_date__gte=models.F("proposal_approved_on")),
                name="company_acquisition_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Acquisition of %(series)s on %(date)s") % {
            "series": self.series,
            "date": self.acquisition_date,
        }

    def get_absolute_url(self) -> str:
        return self.series.get_absolute_url()


class CompanyHeldRights(models.Model):
    """Rights of a series the company holds itself (acquired under (8)) and those it cancelled.

    Part of the register balance: allotted = holders' rights + held by the company + exercised +
    lapsed + cancelled + passed to a successor series.
    """

    series = models.OneToOneField(
        Series, on_delete=models.PROTECT, related_name="company_held", verbose_name=_("series")
    )
    rights = models.PositiveIntegerField(_("rights held by the company"), default=0)
    cancelled_rights = models.PositiveIntegerField(_("rights cancelled"), default=0)

    class Meta:
        verbose_name = _("rights held by the company")
        verbose_name_plural = _("rights held by the company")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rights__gte=0), name="company_held_rights_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(series)s: %(rights)d rights held by the company") % {
            "series": self.series,
            "rights": self.rights,
        }


class Restructuring(models.Model):
    """An organizational restructuring delivering successor rights of another company, notice (9).

    The original series' remaining rights are extinguished and the same number of rights of the
    successor series are delivered to the same holders; the successor's exercise period runs from the
    later of the original start and the effective date.
    """

    class Kind(models.TextChoices):
        MERGER = "merger", _("Merger (the company dissolves)")
        ABSORPTION_DEMERGER = "absorption_demerger", _("Absorption-type demerger")
        INCORPORATION_DEMERGER = "incorporation_demerger", _("Incorporation-type demerger")
        SHARE_EXCHANGE = "share_exchange", _("Share exchange")
        SHARE_TRANSFER = "share_transfer", _("Share transfer")

    original_series = models.OneToOneField(
        Series, on_delete=models.PROTECT, related_name="restructuring", verbose_name=_("original series")
    )
    successor_series = models.OneToOneField(
        Series, on_delete=models.PROTECT, related_name="restructured_from", verbose_name=_("successor series")
    )
    successor_company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("restructured company")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    rights = models.PositiveIntegerField(_("rights delivered"))
    resolution_date = models.DateField(_("resolution date"))
    resolution_reference = models.CharField(_("agreement or plan reference"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-effective_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_series} -> {self.successor_series}"

    def get_absolute_url(self) -> str:
        return reverse("grants:series_detail", args=[self.successor_series_id])
