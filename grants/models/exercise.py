from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from holders.models import Holder

from .allotment import Holding
from .series import Series


class ExerciseRequest(models.Model):
    """A holder's (or heir's) request to exercise whole rights, notice (11).

    The rights are exercised when the payment is received (Art 281: in cash on the exercise date);
    the figures are recomputed then with the shares per right of that date.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested: awaiting payment")
        EXERCISED = "exercised", _("Exercised")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    holding = models.ForeignKey(
        Holding, on_delete=models.PROTECT, related_name="exercise_requests", verbose_name=_("holding")
    )
    lot = models.ForeignKey(
        "grants.Lot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exercise_requests",
        verbose_name=_("lot"),
        help_text=_("The lot whose conditions allowed the exercise (empty on requests made before lots)."),
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="exercise_requests", verbose_name=_("series")
    )
    holder = models.ForeignKey(
        Holder, on_delete=models.PROTECT, related_name="exercise_requests", verbose_name=_("holder")
    )
    rights = models.PositiveIntegerField(_("rights"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    exercised_on = models.DateField(
        _("exercised on"), null=True, blank=True, help_text=_("The day the payment was received.")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("payment confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    shares_per_right = models.PositiveIntegerField(_("shares per right"))
    shares = models.PositiveBigIntegerField(_("shares delivered"))
    payment_yen = models.PositiveBigIntegerField(
        _("payment (yen)"), help_text=_("Shares × exercise price, (4).")
    )
    book_value_yen = models.PositiveBigIntegerField(_("book value of the rights (yen)"))
    upper_limit_yen = models.PositiveBigIntegerField(
        _("upper limit of the capital increase (yen)"), help_text=_("OCA Art 17: book value + payment.")
    )
    capital_yen = models.PositiveBigIntegerField(_("increase in capital (yen)"), help_text=_("Clause (6)1."))
    reserve_yen = models.PositiveBigIntegerField(
        _("increase in capital reserve (yen)"), help_text=_("Clause (6)2.")
    )

    class Meta:
        verbose_name = _("exercise request")
        verbose_name_plural = _("exercise requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rights__gte=1), name="exercise_rights_positive"),
            models.UniqueConstraint(
                fields=["holding"],
                condition=models.Q(status="requested"),
                name="exercise_one_open_per_holding",
            ),
        ]
        # A year's exercises (the January filing on the dashboard, the tax and accounting reports)
        # by an index only scan, not a scan of every request ever made.
        indexes = [
            models.Index(
                fields=["exercised_on", "series"],
                condition=models.Q(status="exercised"),
                name="exercise_exercised_on_idx",
            )
        ]

    def __str__(self) -> str:
        return gettext("Exercise of %(rights)d rights of %(series)s by %(holder)s") % {
            "rights": self.rights,
            "series": self.series,
            "holder": self.holder,
        }

    def get_absolute_url(self) -> str:
        return reverse("grants:exercise_detail", args=[self.pk])
