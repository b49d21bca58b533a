from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from holders.models import Holder

from .series import Series


class RegisterFlows(models.Model):
    """The rights that have left a line or a series by each way, and those allotted to it
    (grants.domain.register.FLOWS)."""

    allotted = models.IntegerField(_("allotted"), default=0)
    exercised = models.IntegerField(_("exercised"), default=0)
    lapsed = models.IntegerField(_("lapsed"), default=0)
    cancelled = models.IntegerField(_("cancelled"), default=0)
    restructured = models.IntegerField(_("passed to a successor series"), default=0)

    class Meta:
        abstract = True


class RegisterLineState(RegisterFlows):
    """A register line's state (a holder's rights in a series, or the company's own) from one date
    until the next: the ledger's projection that the register reads (docs/adr/0008-register-projection.md).

    Rewritten for a line in the transaction of every event on it, from that line's events alone
    (``grants.services.register_lines``); never edited by hand, rebuilt by ``register_rebuild``.
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+", verbose_name=_("series"))
    holder = models.ForeignKey(
        Holder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("holder"),
        help_text=_("Empty: the company's own rights."),
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True, help_text=_("Exclusive; empty: still."))
    rights = models.IntegerField(_("rights"))
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    lots = models.JSONField(_("lots"), default=list, blank=True)  # [[origin, iso date, rights], ...]

    class Meta:
        verbose_name = _("register line state")
        verbose_name_plural = _("register line states")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "holder", "valid_from"],
                condition=Q(holder__isnull=False),
                name="register_line_one_state_per_date",
            ),
            models.UniqueConstraint(
                fields=["series", "valid_from"],
                condition=Q(holder__isnull=True),
                name="register_company_line_one_state_per_date",
            ),
        ]
        indexes = [
            # The states in force today: the register page's usual read.
            models.Index(
                fields=["series", "holder"],
                condition=Q(valid_until__isnull=True),
                name="register_line_current_idx",
            ),
            # The states in force on a past date: valid_until > D, then valid_from <= D.
            models.Index(fields=["series", "valid_until", "valid_from"], name="register_line_as_of_idx"),
            models.Index(fields=["holder", "series", "valid_from"], name="register_line_holder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.series_id}/{self.holder_id or '-'} {self.valid_from}..{self.valid_until or ''}: {self.rights}"


class RegisterSeriesTotals(RegisterFlows):
    """A series' register totals from ``on`` until its next row: the sum of its lines' states in force
    in that span. Its total on a date is its last row on or before it, one probe of the (series, on)
    index (docs/adr/0008-register-projection.md); kept with the lines' states, in the same
    transaction, by ``grants.services.register_totals``."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="+", verbose_name=_("series"))
    on = models.DateField(_("from"))
    holders = models.IntegerField(_("holders"), default=0)
    held_by_holders = models.IntegerField(_("rights held by holders"), default=0)
    held_by_company = models.IntegerField(_("rights held by the company"), default=0)

    class Meta:
        verbose_name = _("register totals from a date")
        verbose_name_plural = _("register totals from a date")
        constraints = [
            models.UniqueConstraint(fields=["series", "on"], name="register_series_totals_one_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.series_id} from {self.on}: {self.held_by_holders}/{self.held_by_company}"


class RegisterHolderCount(models.Model):
    """The number of holders on an issuer's register from ``on`` until its next row, a holder
    counting once however many of its series they hold (docs/domain.md R69)."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    on = models.DateField(_("from"))
    holders = models.IntegerField(_("holders"), default=0)

    class Meta:
        verbose_name = _("register holder count from a date")
        verbose_name_plural = _("register holder counts from a date")
        constraints = [
            models.UniqueConstraint(fields=["company", "on"], name="register_holder_count_one_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.company_id} from {self.on}: {self.holders}"
