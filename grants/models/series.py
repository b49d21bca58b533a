from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from grants.domain import adjustments, notices


class AllotmentCategory(models.TextChoices):
    """Categories of allottees, clause (15)."""

    DIRECTOR = "director", _("Director")
    EXECUTIVE_OFFICER = "executive_officer", _("Executive officer")


class Series(models.Model):
    """One issuance of stock acquisition rights (回号): every term of the board's resolution.

    Field comments cite the clause of the seed notice that each term comes from.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RESOLVED = "resolved", _("Resolved by the board")
        ALLOTTED = "allotted", _("Allotted")
        CLOSED = "closed", _("Closed")

    class DayShift(models.TextChoices):
        """A last day that is not a business day: what the terms say, or that they say nothing.

        The values are those of grants.domain.windows.DayShift. ``TERMS_SILENT`` is the default:
        where the terms say nothing, Civil Code Art 142 ends the period on the next business day
        (docs/domain.md §6.4, reading R3).
        """

        TERMS_SILENT = (
            "terms_silent",
            _("The terms say nothing: the next business day (Civil Code Art 142)"),
        )
        NEXT_BUSINESS_DAY = "next_business_day", _("The terms say: the next business day")
        PREVIOUS_BUSINESS_DAY = "previous_business_day", _("The terms say: the previous business day")
        NONE = "none", _("The terms say: no shift, even on a day off")

    class ServicePeriod(models.TextChoices):
        """The service period the rights pay for (ASBJ Statement No. 8 para 2(8), docs/domain.md §7)."""

        NOT_SET = "", _("Not set")
        PERIOD = "period", _("From a start to an end date")
        PAST_SERVICE = "past_service", _("None: past service, expensed at the allotment date")

    class Rounding(models.TextChoices):
        TOTAL_CEIL = "total_ceil", _("Price per share × shares, total rounded up to the yen")
        PER_SHARE_CEIL = "per_share_ceil", _("Price per share rounded up to the yen, then × shares")
        PER_SHARE_HALF_UP = (
            "per_share_half_up",
            _("Price per share rounded half up to the yen, then × shares"),
        )

    class SpotRule(models.TextChoices):
        CLOSE_ELSE_NEXT_BASE = (
            "close_else_next_base",
            _("Close on the valuation date; if none, the base price for the next trading day"),
        )
        PREVIOUS_DAY_CLOSE = "previous_day_close", _("Close on the previous trading day (or its base price)")

    class VolatilityFrequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly (last trading day of each week)")
        DAILY = "daily", _("Daily")

    class VolatilityWindowEnd(models.TextChoices):
        VALUATION_DATE = "valuation_date", _("Ends on the valuation date")
        DAY_BEFORE = "day_before", _("Ends the day before the valuation date")

    class RateRule(models.TextChoices):
        INTERPOLATE = "interpolate", _("Tenor matching the term, else linear interpolation")
        NEAREST = "nearest", _("Nearest published tenor")

    class DividendRule(models.TextChoices):
        LAST_FISCAL_YEAR = "last_fiscal_year", _("Last fiscal year's dividend per share ÷ share price")
        ZERO = "zero", _("No dividend yield")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="series", verbose_name=_("company")
    )
    number = models.PositiveSmallIntegerField(_("series number"), help_text=_("3 for the 3rd series."))
    name = models.CharField(_("name"), max_length=200, help_text=_("Name of the rights, clause (1)."))
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    resolution_date = models.DateField(_("board resolution date"), null=True, blank=True)
    resolution_reference = models.CharField(_("board minutes reference"), max_length=200, blank=True)

    # (2) maximum number of rights
    max_rights = models.PositiveIntegerField(
        _("maximum number of rights"), validators=[MinValueValidator(1)], help_text=_("Clause (2).")
    )
    allotted_rights = models.PositiveIntegerField(
        _("rights allotted"), default=0, editable=False, help_text=_("Kept by the allotment service.")
    )
    # (3) class of shares; shares per right live in ShareAdjustment rows
    share_class = models.CharField(_("class of shares"), max_length=100, default=gettext_noop("common stock"))
    # (4) exercise price
    exercise_price_per_share_yen = models.DecimalField(
        _("exercise price per share (yen)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Clause (4); 0 is legal."),
    )
    # (5) exercise period, inclusive
    exercise_period_start = models.DateField(_("exercise period: first day"))
    exercise_period_end = models.DateField(_("exercise period: last day"))
    # (7) and (11)4
    transfer_requires_board_approval = models.BooleanField(_("transfer needs board approval"), default=True)
    transfer_prohibited_by_allotment_terms = models.BooleanField(
        _("allotment terms forbid transfer, pledge or disposal"), default=True, help_text=_("Clause (11)4.")
    )
    # (8) and (9)
    company_may_acquire_without_contribution = models.BooleanField(
        _("company may acquire without contribution on a merger or share exchange"), default=True
    )
    successor_rights_on_restructuring = models.BooleanField(
        _("successor rights delivered on a restructuring"), default=True
    )
    # (10) fractions of a share on exercise are rounded down (fixed by law practice and the notice)
    # (11) exercise conditions
    all_at_once_exercise = models.BooleanField(
        _("all rights must be exercised at once"),
        default=False,
        help_text=_("Partial exercise of a right is never allowed."),
    )
    departure_window_days = models.PositiveSmallIntegerField(
        _("days to exercise after losing office"),
        default=10,
        help_text=_("Clause (11)2, counted from the next day."),
    )
    departure_window_shift = models.CharField(
        _("when the last day is not a business day"),
        max_length=30,
        choices=DayShift.choices,
        default=DayShift.TERMS_SILENT,
    )
    heir_window_months = models.PositiveSmallIntegerField(_("months for the heir to exercise"), default=6)
    heir_window_shift = models.CharField(
        _("when the heir's last day is not a business day"),
        max_length=30,
        choices=DayShift.choices,
        default=DayShift.TERMS_SILENT,
    )
    heir_allowed = models.BooleanField(_("one heir may succeed"), default=True, help_text=_("Clause (11)3."))
    other_conditions = models.TextField(_("other conditions"), blank=True, help_text=_("Clause (11)5."))
    # (13), (14)
    allotment_date = models.DateField(_("allotment date"))
    payment_date = models.DateField(_("payment date"))
    payment_by_setoff = models.BooleanField(
        _("paid by set-off against remuneration claims"),
        default=True,
        help_text=_("Clause (12), last paragraph."),
    )
    # (16)
    certificates_issued = models.BooleanField(_("certificates issued"), default=False)

    # (12) pricing method
    rounding_rule = models.CharField(
        _("rounding of the amount per right"),
        max_length=30,
        choices=Rounding.choices,
        default=Rounding.TOTAL_CEIL,
    )
    valuation_spot_rule = models.CharField(
        _("share price (S)"), max_length=30, choices=SpotRule.choices, default=SpotRule.CLOSE_ELSE_NEXT_BASE
    )
    valuation_term_years = models.DecimalField(
        _("expected remaining period T (years)"), max_digits=6, decimal_places=3, default=Decimal("15")
    )
    volatility_frequency = models.CharField(
        _("volatility frequency"),
        max_length=10,
        choices=VolatilityFrequency.choices,
        default=VolatilityFrequency.WEEKLY,
    )
    volatility_window_start = models.DateField(
        _("volatility window start"),
        null=True,
        blank=True,
        help_text=_("Empty: T years back from the valuation date."),
    )
    volatility_window_end = models.CharField(
        _("volatility window end"),
        max_length=20,
        choices=VolatilityWindowEnd.choices,
        default=VolatilityWindowEnd.VALUATION_DATE,
    )
    rate_rule = models.CharField(
        _("risk-free rate (r)"), max_length=20, choices=RateRule.choices, default=RateRule.INTERPOLATE
    )
    dividend_rule = models.CharField(
        _("dividend yield (q)"),
        max_length=20,
        choices=DividendRule.choices,
        default=DividendRule.LAST_FISCAL_YEAR,
    )
    dividend_fiscal_year_end = models.DateField(
        _("fiscal year of the dividend"),
        null=True,
        blank=True,
        help_text=_("Empty: the last fiscal year ended."),
    )

    # The service period (対象勤務期間): a term the accounts need, set by its own service.
    service_period = models.CharField(
        _("service period"), max_length=20, choices=ServicePeriod.choices, blank=True, default=""
    )
    service_period_start = models.DateField(_("service period: first day"), null=True, blank=True)
    service_period_end = models.DateField(_("service period: last day"), null=True, blank=True)
    service_period_basis = models.CharField(
        _("basis of the service period"),
        max_length=300,
        blank=True,
        help_text=_("Where the period comes from, e.g. the resolution or an assumption."),
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["company", "number"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="series_number_unique_per_company"),
            models.CheckConstraint(condition=models.Q(max_rights__gte=1), name="series_max_rights_positive"),
            models.CheckConstraint(
                condition=models.Q(allotted_rights__lte=models.F("max_rights")),
                name="series_allotted_within_max",
                violation_error_message=_("More rights would be allotted than the series maximum."),
            ),
            models.CheckConstraint(
                condition=models.Q(exercise_period_end__gte=models.F("exercise_period_start")),
                name="series_exercise_period_ordered",
                violation_error_message=_("The exercise period must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=models.Q(exercise_price_per_share_yen__gte=0),
                name="series_exercise_price_not_negative",
                violation_error_message=_("The exercise price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(valuation_term_years__gt=0), name="series_term_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(service_period="period")
                | models.Q(
                    service_period_start__isnull=False,
                    service_period_end__isnull=False,
                    service_period_end__gte=models.F("service_period_start"),
                ),
                name="series_service_period_ordered",
                violation_error_message=_("A service period needs a first and a last day, in that order."),
            ),
        ]

    def __str__(self) -> str:
        """The name in the reader's language: the Japanese name on Japanese pages where one is set."""
        if self.name_ja and get_language() == "ja":
            return self.name_ja
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:series_detail", args=[self.pk])

    def shares_per_right_on(self, on: date, known_on: date | None = None) -> int:
        """Shares delivered per right on a date: a lookup in the adjustment history, clause (3).

        ``known_on``: the answer as it was known that day, leaving out the adjustments not yet known
        then (a conditional split before its meeting closed, docs/domain.md §2.2); ``None``, today's
        knowledge: everything recorded.
        """
        history = [(a.applies_from, a.shares_per_right, a.known_from) for a in self.share_adjustments.all()]
        return adjustments.shares_per_right_known_on(history, on, known_on=known_on)

    @property
    def shareholders_notice_due(self) -> date:
        """Art 240(2): the last day for the shareholders' notice, two clear weeks before the allotment.

        Allotment 2013-07-11: 2013-06-26 (docs/domain.md reading R10).
        """
        return notices.shareholders_notice_last_day(self.allotment_date)

    @property
    def allottee_notice_due(self) -> date:
        """Art 243(3): the allottee notice is due by the day before the allotment date."""
        return notices.allottee_notice_last_day(self.allotment_date)

    @property
    def rights_available(self) -> int:
        return self.max_rights - self.allotted_rights

    def exercise_period_contains(self, on: date) -> bool:
        return self.exercise_period_start <= on <= self.exercise_period_end


class ShareAdjustment(models.Model):
    """Shares per right from a date, clause (3): the initial number and every later adjustment."""

    class Cause(models.TextChoices):
        INITIAL = "initial", _("Number at issue")
        SPLIT = "split", _("Share split")
        CONSOLIDATION = "consolidation", _("Share consolidation")
        CONDITIONAL_SPLIT = "conditional_split", _("Split conditional on a shareholders' meeting")
        REASONABLE_ADJUSTMENT = (
            "reasonable_adjustment",
            _("Board's reasonable adjustment (merger, demerger…)"),
        )

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="share_adjustments", verbose_name=_("series")
    )
    applies_from = models.DateField(_("applies from"))
    ratio_numerator = models.PositiveIntegerField(_("ratio numerator"), default=1)
    ratio_denominator = models.PositiveIntegerField(_("ratio denominator"), default=1)
    shares_per_right = models.PositiveIntegerField(_("shares per right"))
    # Notice (3): a split conditional on a shareholders' meeting applies retroactively from the day
    # after its record date, but is known only from the day after the meeting closes.
    known_from = models.DateField(
        _("known from"),
        null=True,
        blank=True,
        help_text=_("Empty: known from the day it applies. Set for a retroactive adjustment, clause (3)."),
    )
    cause = models.CharField(_("cause"), max_length=30, choices=Cause.choices)
    resolution_reference = models.CharField(_("resolution reference"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("share adjustment")
        verbose_name_plural = _("share adjustments")
        ordering = ["series", "applies_from"]
        constraints = [
            models.UniqueConstraint(fields=["series", "applies_from"], name="share_adjustment_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(ratio_denominator__gte=1), name="share_adjustment_ratio_defined"
            ),
            models.CheckConstraint(
                condition=models.Q(known_from__isnull=True)
                | models.Q(known_from__gte=models.F("applies_from")),
                name="share_adjustment_known_after_it_applies",
                violation_error_message=_("An adjustment cannot be known before the day it applies from."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.shares_per_right} shares per right from {self.applies_from}"

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.ratio_numerator, self.ratio_denominator)


class PlannedAllotment(models.Model):
    """Persons and numbers by category as resolved, clause (15): e.g. 7 directors, 95 rights."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="planned_allotments")
    category = models.CharField(_("category"), max_length=30, choices=AllotmentCategory.choices)
    persons = models.PositiveIntegerField(_("persons"))
    rights = models.PositiveIntegerField(_("rights"))

    class Meta:
        verbose_name = _("planned allotment")
        verbose_name_plural = _("planned allotments")
        constraints = [
            models.UniqueConstraint(fields=["series", "category"], name="planned_allotment_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.persons} {self.get_category_display()}, {self.rights} rights"
