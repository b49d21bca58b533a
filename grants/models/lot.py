from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from holders.models import Holder

from .allotment import Allotment, Holding


class Lot(models.Model):
    """Rights of a holding that came the same way: the unit whose conditions of exercise are judged.

    A holding is the sum of its lots (kept in the same transaction as each event). The conditions go
    with the lot, not the person (11): the original allottee's office decides (11)2 for allotted and
    transferred rights, the succession decides (11)3 for inherited rights only.
    """

    class Origin(models.TextChoices):
        ALLOTTED = "allotted", _("Allotted")
        SUCCEEDED = "succeeded", _("Succeeded from a deceased holder")
        TRANSFERRED = "transferred", _("Transferred with the board's approval")

    holding = models.ForeignKey(
        Holding, on_delete=models.PROTECT, related_name="lots", verbose_name=_("holding")
    )
    rights = models.IntegerField(_("rights"))
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    allottee = models.ForeignKey(
        Holder,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("allotted to"),
        help_text=_("Whose office at the issuer decides when these rights may be exercised, (11)2."),
    )
    acquired_on = models.DateField(_("acquired on"), help_text=_("Allotment, succession or transfer date."))
    allotment = models.ForeignKey(
        Allotment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("allotment"),
    )
    inheritance_case = models.ForeignKey(
        "grants.InheritanceCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("inheritance case"),
    )
    transfer_request = models.ForeignKey(
        "grants.TransferRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("transfer request"),
    )
    source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="passed_on",
        verbose_name=_("came from"),
    )

    class Meta:
        verbose_name = _("lot of rights")
        verbose_name_plural = _("lots of rights")
        ordering = ["holding", "acquired_on", "pk"]
        indexes = [
            # The inherited lots of a series, few among many: the series page's count of heirs.
            models.Index(
                fields=["holding"], condition=models.Q(origin="succeeded"), name="lot_succeeded_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(rights__gte=0), name="lot_rights_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(origin="succeeded") | models.Q(inheritance_case__isnull=False),
                name="lot_succeeded_has_its_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(origin="transferred") | models.Q(transfer_request__isnull=False),
                name="lot_transferred_has_its_request",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(rights)d rights %(origin)s on %(date)s") % {
            "rights": self.rights,
            "origin": self.get_origin_display().lower(),
            "date": self.acquired_on.isoformat(),
        }
