from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equityplan.appendonly import HashChainedModel
from holders.models import Holder

from .series import Series


class LedgerEvent(HashChainedModel):
    """One event in the life of rights: the register as of any date is the sum of these.

    Append-only: a mistake is corrected by a reversing event, never by editing or deleting one.
    Each row carries a hash over ``hash_fields`` and the previous row's hash (docs/adr/0007-ledger-hash-chain.md).
    """

    hash_fields = (
        "id",
        "event_type",
        "series",
        "holder",
        "rights_delta",
        "effective_date",
        "recorded_at",
        "recorded_by",
        "approved_by",
        "resolution_date",
        "resolution_reference",
        "payload",
        "reverses",
    )

    class Type(models.TextChoices):
        SERIES_CREATED = "series_created", _("Series created")
        SERIES_RESOLVED = "series_resolved", _("Series resolved by the board")
        ALLOTMENT_DATE_CHANGED = "allotment_date_changed", _("Allotment date changed by the board")
        SERIES_ALLOTMENT_CLOSED = "series_allotment_closed", _("Allotment closed")
        SERIES_CLOSED = "series_closed", _("Series closed")
        ALLOTTED = "allotted", _("Allotted")
        CORPORATE_ACTION_RECORDED = "corporate_action_recorded", _("Corporate action recorded")
        CORPORATE_ACTION_APPROVED = "corporate_action_approved", _("Corporate action approved")
        CORPORATE_ACTION_REJECTED = "corporate_action_rejected", _("Corporate action rejected")
        ADJUSTED = "adjusted", _("Shares per right adjusted")
        AMOUNT_DETERMINED = "amount_determined", _("Amount paid per right determined")
        TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
        TRANSFER_APPROVED = "transfer_approved", _("Transfer approved")
        TRANSFER_REJECTED = "transfer_rejected", _("Transfer rejected")
        TRANSFER_DEEMED_APPROVED = "transfer_deemed_approved", _("Transfer deemed approved (Art 266)")
        TRANSFER_REGISTERED = "transfer_registered", _("Transfer registered")
        INHERITANCE_OPENED = "inheritance_opened", _("Inheritance case opened")
        HEIR_DESIGNATED = "heir_designated", _("Heir designated")
        SUCCESSION = "succession", _("Succession by the heir")
        INHERITANCE_REJECTED = "inheritance_rejected", _("Succession refused")
        EXERCISE_REQUESTED = "exercise_requested", _("Exercise requested")
        EXERCISED = "exercised", _("Exercised")
        LAPSED = "lapsed", _("Lapsed")
        ACQUISITION_RESOLVED = "acquisition_resolved", _("Acquisition without contribution resolved")
        ACQUIRED_BY_COMPANY = "acquired_by_company", _("Acquired by the company")
        CANCELLED = "cancelled", _("Cancelled")
        RESTRUCTURED = "restructured", _("Restructured")
        VALUATION = "valuation", _("Valuation")
        COMPANY_CREATED = "company_created", _("Company created")
        COMPANY_CHANGED = "company_changed", _("Company details changed")
        CALENDAR_CHANGED = "calendar_changed", _("Trading calendar override changed")
        MARKET_DATA_IMPORTED = "market_data_imported", _("Market data imported")
        REVERSAL = "reversal", _("Reversal of an earlier event")
        SERVICE_PERIOD_SET = "service_period_set", _("Service period set")
        EVIDENCE_ATTACHED = "evidence_attached", _("Evidence attached")

    event_type = models.CharField(_("type"), max_length=40, choices=Type.choices, db_index=True)
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        related_name="ledger_events",
        null=True,
        blank=True,
        verbose_name=_("series"),
    )
    holder = models.ForeignKey(
        Holder,
        on_delete=models.PROTECT,
        related_name="ledger_events",
        null=True,
        blank=True,
        verbose_name=_("holder"),
    )
    rights_delta = models.IntegerField(_("change in rights"), default=0)
    effective_date = models.DateField(_("effective date"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    resolution_date = models.DateField(_("board resolution date"), null=True, blank=True)
    resolution_reference = models.CharField(_("board resolution reference"), max_length=200, blank=True)
    payload = models.JSONField(_("figures"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )

    class Meta:
        verbose_name = _("ledger event")
        verbose_name_plural = _("ledger events")
        ordering = ["-effective_date", "-pk"]
        permissions = [
            ("record_events", _("Can record events and prepare requests (legal staff)")),
            ("decide", _("Can decide board matters (board secretary)")),
        ]
        # The audit trail and the series page read newest recorded first, by keyset (docs/reliability.md
        # fact 21): one index on (recorded_at, id) and one per filter the trail offers.
        indexes = [
            models.Index(fields=["series", "holder", "effective_date"], name="ledger_register_idx"),
            models.Index(fields=["recorded_at", "id"], name="ledger_recorded_idx"),
            models.Index(fields=["series", "recorded_at", "id"], name="ledger_series_recorded_idx"),
            models.Index(fields=["holder", "recorded_at", "id"], name="ledger_holder_recorded_idx"),
            models.Index(fields=["event_type", "recorded_at", "id"], name="ledger_type_recorded_idx"),
            models.Index(fields=["recorded_by", "recorded_at", "id"], name="ledger_by_recorded_idx"),
            models.Index(fields=["approved_by", "recorded_at", "id"], name="ledger_approver_recorded_idx"),
            # The series page's balance sums the rights that left the series, by type: this index alone.
            models.Index(
                fields=["series", "event_type", "rights_delta"],
                condition=models.Q(rights_delta__lt=0),
                name="ledger_series_outflow_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.effective_date}: {self.series or ''} {self.holder or ''}".strip()
