from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from grants.domain.adjustments import adjustment_known_from


class CorporateAction(models.Model):
    """A split, consolidation or restructuring that changes the shares per right, notice (3).

    Legal staff record it; the board secretary approves it, which adjusts every affected series of the
    company from `applies_from` (one ShareAdjustment and one `adjusted` ledger event per series).
    """

    class Kind(models.TextChoices):
        SPLIT = "split", _("Share split")
        CONSOLIDATION = "consolidation", _("Share consolidation")
        CONDITIONAL_SPLIT = "conditional_split", _("Split conditional on a shareholders' meeting")
        REASONABLE_ADJUSTMENT = (
            "reasonable_adjustment",
            _("Board's reasonable adjustment (merger, demerger…)"),
        )

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the board's decision")
        APPLIED = "applied", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="corporate_actions", verbose_name=_("company")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    ratio_numerator = models.PositiveIntegerField(
        _("ratio numerator"), help_text=_("2 for a 1:2 split; 1 for a 10:1 consolidation.")
    )
    ratio_denominator = models.PositiveIntegerField(
        _("ratio denominator"), help_text=_("1 for a 1:2 split; 10 for a 10:1 consolidation.")
    )
    record_date = models.DateField(_("record date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    meeting_closed_on = models.DateField(_("shareholders' meeting closed on"), null=True, blank=True)
    applies_from = models.DateField(
        _("adjusted number applies from"), help_text=_("Derived from the dates, (3).")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    requested_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)
    resolution_reference = models.CharField(_("resolution reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("corporate action")
        verbose_name_plural = _("corporate actions")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ratio_numerator__gte=1, ratio_denominator__gte=1),
                name="corporate_action_ratio_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ratio_numerator}/{self.ratio_denominator} from {self.applies_from}"

    def get_absolute_url(self) -> str:
        return reverse("grants:corporate_action_detail", args=[self.pk])

    @property
    def known_from(self) -> date | None:
        """The day from which a retroactive adjustment is known (the day after a conditional split's
        meeting closes, notice (3)); None for a kind known from the day it applies."""
        return adjustment_known_from(self.kind, meeting_closed_on=self.meeting_closed_on)
