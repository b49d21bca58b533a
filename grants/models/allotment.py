from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from holders.models import Holder

from .series import AllotmentCategory, Series


class Allotment(models.Model):
    """Rights allotted to one person in a series on its allotment date, clauses (13)-(15)."""

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="allotments", verbose_name=_("series")
    )
    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="allotments", verbose_name=_("holder")
    )
    rights = models.PositiveIntegerField(_("rights"))
    category = models.CharField(_("category"), max_length=30, choices=AllotmentCategory.choices)
    allotted_on = models.DateField(_("allotted on"))
    amount_paid_per_right_yen = models.PositiveIntegerField(
        _("amount paid per right (yen)"),
        null=True,
        blank=True,
        help_text=_("Set from the approved valuation; set off against the remuneration claim, clause (12)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allotment")
        verbose_name_plural = _("allotments")
        ordering = ["series", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rights__gte=1), name="allotment_rights_positive")
        ]

    def __str__(self) -> str:
        return gettext("%(series)s: %(rights)d rights to %(holder)s") % {
            "series": self.series,
            "rights": self.rights,
            "holder": self.holder,
        }


class Holding(models.Model):
    """Rights a holder has in a series now: a projection of the ledger, updated with each event."""

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("series")
    )
    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("holder")
    )
    rights = models.IntegerField(_("rights"))
    acquired_on = models.DateField(_("acquired on"), help_text=_("Allotment, succession or transfer date."))

    class Meta:
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        ordering = ["series", "holder__name"]
        # The series page's holder sorts by rights and by date acquired (docs/domain.md R64); by name
        # it reads the holders' name index and this table's unique (series, holder).
        indexes = [
            models.Index(fields=["series", "rights", "id"], name="holding_by_series_rights"),
            models.Index(fields=["series", "acquired_on", "id"], name="holding_by_series_acquired"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "holder"], name="holding_one_per_holder_and_series"),
            models.CheckConstraint(condition=models.Q(rights__gte=0), name="holding_rights_not_negative"),
        ]

    def __str__(self) -> str:
        return gettext("%(holder)s: %(rights)d rights of %(series)s") % {
            "holder": self.holder,
            "rights": self.rights,
            "series": self.series,
        }
