from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from holders.models import Holder


class InheritanceCase(models.Model):
    """The succession of a deceased holder's rights by the one legal heir, notice (11)3.

    The register entry for the heir needs no transfer approval (Art 261); the board secretary
    approves the case, and the heir may then exercise within the heir's window.
    """

    class Status(models.TextChoices):
        OPENED = "opened", _("Opened: heir to be designated")
        HEIR_DESIGNATED = "heir_designated", _("Heir designated: awaiting approval")
        APPROVED = "approved", _("Approved: rights passed to the heir")
        REJECTED = "rejected", _("Rejected: the succession was refused")

    deceased = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="inheritance_cases", verbose_name=_("deceased holder")
    )
    heir = models.ForeignKey(
        Holder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inherited_cases",
        verbose_name=_("heir"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPENED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    requested_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    heir_designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("heir designated by"),
    )
    heir_designated_at = models.DateTimeField(_("heir designated at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    decided_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    resolution_date = models.DateField(_("decision date"), null=True, blank=True)
    resolution_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    rejection_reason = models.TextField(
        _("why the succession was refused"),
        blank=True,
        help_text=_("For a refusal: what the documents did not show (docs/domain.md reading R60)."),
    )
    succeeded_on = models.DateField(
        _("succeeded on"),
        null=True,
        blank=True,
        help_text=_("The heir's window of (11)3 counts from the next day."),
    )

    class Meta:
        verbose_name = _("inheritance case")
        verbose_name_plural = _("inheritance cases")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["deceased"], name="inheritance_one_case_per_deceased"),
            models.CheckConstraint(
                condition=models.Q(heir__isnull=True) | ~models.Q(heir=models.F("deceased")),
                name="inheritance_heir_not_deceased",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | models.Q(succeeded_on__isnull=False, heir__isnull=False),
                name="inheritance_approved_has_heir_and_date",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Inheritance of %(deceased)s") % {"deceased": self.deceased}

    def get_absolute_url(self) -> str:
        return reverse("grants:inheritance_detail", args=[self.pk])
