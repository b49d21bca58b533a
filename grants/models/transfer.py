from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from holders.models import Holder

from .allotment import Holding
from .series import Series


class TransferRequest(models.Model):
    """A request to transfer rights, which needs the board's approval, notice (7).

    Art 266: when the company does not notify its decision within two weeks of the request, the
    transfer is deemed approved; `decision_due_on` is the last day of those two weeks.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the board's decision")
        APPROVED = "approved", _("Approved by the board")
        DEEMED_APPROVED = "deemed_approved", _("Deemed approved (Art 266)")
        REJECTED = "rejected", _("Rejected by the board")
        REGISTERED = "registered", _("Registered")

    OPEN_STATUSES = (Status.REQUESTED, Status.APPROVED, Status.DEEMED_APPROVED)

    holding = models.ForeignKey(
        Holding, on_delete=models.PROTECT, related_name="transfer_requests", verbose_name=_("holding")
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="transfer_requests", verbose_name=_("series")
    )
    transferor = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("transferor")
    )
    transferee = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("transferee")
    )
    rights = models.PositiveIntegerField(_("rights"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(
        _("request received on"), help_text=_("The day the company received the request (Art 266).")
    )
    decision_due_on = models.DateField(
        _("decision due by"), help_text=_("Two weeks from the request; afterwards approval is deemed given.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    resolution_date = models.DateField(_("board resolution date"), null=True, blank=True)
    resolution_reference = models.CharField(_("board minutes reference"), max_length=200, blank=True)
    decision_note = models.TextField(_("reason given"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_on = models.DateField(_("registered with effect from"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rights__gte=1), name="transfer_rights_positive"),
            models.CheckConstraint(
                condition=~models.Q(transferor=models.F("transferee")), name="transfer_not_to_self"
            ),
            models.UniqueConstraint(
                fields=["holding"],
                condition=models.Q(status__in=["requested", "approved", "deemed_approved"]),
                name="transfer_one_open_per_holding",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(rights)d rights of %(series)s: %(transferor)s to %(transferee)s") % {
            "rights": self.rights,
            "series": self.series,
            "transferor": self.transferor,
            "transferee": self.transferee,
        }

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("grants:transfer_detail", args=[self.pk])
