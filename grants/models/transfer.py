from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from holders.models import Holder

from .allotment import Holding
from .series import Series


class TransferRequest(models.Model):
    """A request to transfer rights, which needs the board's approval, notice (7).

    Art 265(2): the board's decision counts from the day it is notified to the requester, so it is
    recorded with its notification (`notified_on`, `notified_how`). Art 266: when the company does not
    notify its decision within two weeks of the request, the transfer is deemed approved;
    `decision_due_on` is the last day of those two weeks (docs/domain.md §2.6, reading R11, R21).
    Where the series needs no approval, the request is one to enter the transfer in the register
    (Art 260) and has no decision and no due date.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the board's decision")
        APPROVED = "approved", _("Approved by the board")
        DEEMED_APPROVED = "deemed_approved", _("Deemed approved (Art 266)")
        REJECTED = "rejected", _("Rejected by the board")
        REGISTERED = "registered", _("Registered")

    class Notification(models.TextChoices):
        """How the decision was notified to the requester, Art 265(2)."""

        LETTER = "letter", _("by letter")
        EMAIL = "email", _("by e-mail")
        IN_PERSON = "in_person", _("handed over in person")

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
        _("decision due by"),
        null=True,
        blank=True,
        help_text=_(
            "Two weeks from the request; afterwards approval is deemed given. Empty where the series needs "
            "no approval."
        ),
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
    notified_on = models.DateField(
        _("decision notified on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the decision was notified to the requester (Art 265(2)); Art 266 looks at this day."
        ),
    )
    notified_how = models.CharField(
        _("decision notified"), max_length=20, choices=Notification.choices, blank=True
    )
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
            # Art 265(2): a decision is notified on or after the day the board resolved it.
            models.CheckConstraint(
                condition=models.Q(notified_on__isnull=True)
                | models.Q(resolution_date__isnull=True)
                | models.Q(notified_on__gte=models.F("resolution_date")),
                name="transfer_notified_after_resolution",
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

    @property
    def deemed_approved_on(self) -> date | None:
        """The day from which approval is deemed given if no decision is notified by the due date (Art 266).

        None where no approval can be deemed: the series needs no approval, or its allotment terms
        forbid the transfer (docs/domain.md reading R22).
        """
        if self.decision_due_on is None or self.series.transfer_prohibited_by_allotment_terms:
            return None
        return self.decision_due_on + timedelta(days=1)
