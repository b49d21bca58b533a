"""Market data and valuations: notice (12), docs/domain.md §3 and §4.

Market data rows name the import batch they came from, so every input of a valuation can be traced
to the file it was read from. A valuation stores every input, its source and the method, so anyone
can recompute the price (`python manage.py price ...`) from the page alone (docs/style.md habit 7).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.models import Company, Series
from valuations.domain.freshness import StaleInput, stale_inputs
from valuations.domain.problems import Problem

# Inputs that are fractions (volatility, rate, dividend yield) are fixed to 12 decimal places before
# they are priced, so the Decimal priced is the Decimal stored: SQLite keeps a DecimalField as a
# double (15 significant digits), which 12 places always fit. The option price keeps every digit
# the engine gives (up to 17 significant), so it is stored as text.
FRACTION_DIGITS = 20
FRACTION_PLACES = 12
YEN_DIGITS = 20
YEN_PLACES = 6
MARKET_YEN_PLACES = 4
YIELD_PLACES = 10


# Descriptions of sources and of the method are stored twice: the English text ("detail", "method")
# that older rows and the price command read, and a message {"template", "params"} beside it
# ("detail_message", "method_message") that pages translate into the reader's language when shown.


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """A Problem as JSON: {"template", "params"}; a Problem parameter nests the same way."""
    return {
        "template": problem.template,
        "params": {
            name: problem_to_json(value) if isinstance(value, Problem) else value
            for name, value in problem.params.items()
        },
    }


def problem_from_json(data: object) -> Problem | None:
    """The Problem stored by :func:`problem_to_json`, or None when ``data`` is not one."""
    if not isinstance(data, Mapping) or not isinstance(data.get("template"), str):
        return None
    params = data.get("params") or {}
    if not isinstance(params, Mapping):
        return None
    return Problem(
        data["template"],
        {name: problem_from_json(value) or value for name, value in params.items()},
    )


def stored_text(message: object, fallback: str = "") -> str:
    """A stored message in the active language; ``fallback`` (the English stored beside it) for rows
    written before messages were stored, or if a translation does not fit its figures."""
    problem = problem_from_json(message)
    if problem is None:
        return fallback
    try:
        return problem.render(gettext)
    except (KeyError, TypeError, ValueError):
        return fallback or str(problem)


def source_detail_text(source: object) -> str:
    """Where an input came from, in the active language (one entry of ``Valuation.sources``)."""
    if not isinstance(source, Mapping):
        return "" if source is None else str(source)
    return stored_text(source.get("detail_message"), str(source.get("detail") or ""))


def source_method_text(source: object) -> str:
    """How an input was computed (the volatility's method), in the active language."""
    if not isinstance(source, Mapping):
        return ""
    return stored_text(source.get("method_message"), str(source.get("method") or ""))


class ImportBatch(models.Model):
    """One imported file: who brought which data in, when, and the file's fingerprint."""

    class Kind(models.TextChoices):
        SHARE_PRICES = "share_prices", _("Share prices")
        DIVIDENDS = "dividends", _("Dividends")
        JGB_YIELDS = "jgb_yields", _("Government bond yields")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
        help_text=_("Empty for government bond yields."),
    )
    filename = models.CharField(_("file name"), max_length=255)
    label = models.CharField(
        _("label"), max_length=200, blank=True, help_text=_("E.g. 'synthetic demo prices'.")
    )
    rows = models.PositiveIntegerField(_("rows in the file"))
    rows_created = models.PositiveIntegerField(_("rows added"))
    rows_unchanged = models.PositiveIntegerField(_("rows already present"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("valuations:batch_detail", args=[self.pk])


class SharePrice(models.Model):
    """A day's close (and base price where known) on the Tokyo Stock Exchange: the S and s of (12)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="share_prices", verbose_name=_("company")
    )
    date = models.DateField(_("date"))
    close = models.DecimalField(
        _("close (yen)"), max_digits=16, decimal_places=MARKET_YEN_PLACES, null=True, blank=True
    )
    base_price = models.DecimalField(
        _("base price (yen)"),
        max_digits=16,
        decimal_places=MARKET_YEN_PLACES,
        null=True,
        blank=True,
        help_text=_("The exchange's base price for this day, used when there is no close."),
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="share_prices", verbose_name=_("import batch")
    )

    class Meta:
        verbose_name = _("share price")
        verbose_name_plural = _("share prices")
        ordering = ["company", "date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "date"], name="share_price_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(close__isnull=False) | models.Q(base_price__isnull=False),
                name="share_price_close_or_base",
            ),
            models.CheckConstraint(
                condition=(models.Q(close__isnull=True) | models.Q(close__gt=0))
                & (models.Q(base_price__isnull=True) | models.Q(base_price__gt=0)),
                name="share_price_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.date}: {self.close}"


class Dividend(models.Model):
    """Dividend per share for a fiscal year, as declared (on the share basis of that year): the q of (12)."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="dividends", verbose_name=_("company")
    )
    fiscal_year_end = models.DateField(_("fiscal year end"))
    per_share_yen = models.DecimalField(
        _("dividend per share (yen)"), max_digits=16, decimal_places=MARKET_YEN_PLACES
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("E.g. commemorative."))
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="dividends", verbose_name=_("import batch")
    )

    class Meta:
        verbose_name = _("dividend")
        verbose_name_plural = _("dividends")
        ordering = ["company", "fiscal_year_end"]
        constraints = [
            models.UniqueConstraint(fields=["company", "fiscal_year_end"], name="dividend_one_per_year"),
            models.CheckConstraint(condition=models.Q(per_share_yen__gte=0), name="dividend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.company} FY {self.fiscal_year_end}: {self.per_share_yen}"


class JgbYield(models.Model):
    """A Japanese government bond yield of one tenor on one day (Ministry of Finance): the r of (12)."""

    date = models.DateField(_("date"))
    tenor_years = models.PositiveSmallIntegerField(_("tenor (years)"))
    yield_fraction = models.DecimalField(
        _("yield (fraction)"),
        max_digits=16,
        decimal_places=YIELD_PLACES,
        null=True,
        blank=True,
        help_text=_("0.01234 for 1.234 %; empty where the ministry quotes none."),
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="jgb_yields", verbose_name=_("import batch")
    )

    class Meta:
        verbose_name = _("government bond yield")
        verbose_name_plural = _("government bond yields")
        ordering = ["date", "tenor_years"]
        constraints = [
            models.UniqueConstraint(fields=["date", "tenor_years"], name="jgb_yield_one_per_tenor_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.tenor_years}y: {self.yield_fraction}"


class CalendarOverride(models.Model):
    """Staff's word on whether the exchange is open on a day; wins over every calendar rule (docs/domain.md §4)."""

    date = models.DateField(_("date"), unique=True)
    is_trading_day = models.BooleanField(_("open for trading"))
    reason = models.CharField(_("reason"), max_length=200, help_text=_("E.g. 'full-day system outage'."))

    class Meta:
        verbose_name = _("trading calendar override")
        verbose_name_plural = _("trading calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {'open' if self.is_trading_day else 'closed'} ({self.reason})"


class Valuation(models.Model):
    """The Black-Scholes price of a series' rights as of a date, with every input and its source, notice (12).

    A provisional valuation may be computed from the latest data at any time; a final one follows the
    series' rules strictly; the board secretary approves a final one, which fixes the amount paid
    per right on the allotments.
    """

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional")
        FINAL = "final", _("Final")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected by the board")

    INPUTS = ("spot_yen", "strike_yen", "term_years", "volatility", "rate", "dividend_yield")
    OVERRIDABLE = ("spot_yen", "volatility", "rate", "dividend_yield")

    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="valuations", verbose_name=_("series")
    )
    valuation_date = models.DateField(_("valuation date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROVISIONAL)

    spot_yen = models.DecimalField(_("share price S (yen)"), max_digits=YEN_DIGITS, decimal_places=YEN_PLACES)
    strike_yen = models.DecimalField(
        _("exercise price X (yen)"), max_digits=YEN_DIGITS, decimal_places=YEN_PLACES
    )
    term_years = models.DecimalField(_("term T (years)"), max_digits=6, decimal_places=3)
    volatility = models.DecimalField(
        _("volatility σ"), max_digits=FRACTION_DIGITS, decimal_places=FRACTION_PLACES
    )
    rate = models.DecimalField(
        _("risk-free rate r"), max_digits=FRACTION_DIGITS, decimal_places=FRACTION_PLACES
    )
    dividend_yield = models.DecimalField(
        _("dividend yield q"), max_digits=FRACTION_DIGITS, decimal_places=FRACTION_PLACES
    )
    sources = models.JSONField(
        _("sources of the inputs"),
        default=dict,
        encoder=DjangoJSONEncoder,
        help_text=_("For each input: the rule, the rows and dates it was read from."),
    )
    method = models.JSONField(
        _("method"), default=dict, encoder=DjangoJSONEncoder, help_text=_("The series' settings used.")
    )
    overrides = models.JSONField(
        _("inputs entered by hand"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("{input: {value, reason, derived}}"),
    )
    evidence = models.JSONField(
        _("price history used"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("The split-adjusted closes and log returns behind the volatility."),
    )

    option_price_per_share_text = models.CharField(
        _("option price per share C (yen)"),
        max_length=40,
        help_text=_("Full precision, as a decimal string: the figure the price command prints."),
    )
    shares_per_right = models.PositiveIntegerField(_("shares per right"))
    rounding_rule = models.CharField(_("rounding"), max_length=30, choices=Series.Rounding.choices)
    amount_per_right_yen = models.PositiveIntegerField(_("amount per right (yen)"))

    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("computed by")
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("finalized by"),
    )
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    resolution_date = models.DateField(_("board resolution date"), null=True, blank=True)
    resolution_reference = models.CharField(_("board resolution reference"), max_length=200, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("rejected by"),
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)

    class Meta:
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        ordering = ["-valuation_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "valuation_date"],
                condition=models.Q(status__in=["final", "approved"]),
                name="valuation_one_final_per_series_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("computed_by")),
                name="valuation_approver_not_computer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_by__isnull=False),
                name="valuation_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected")
                | (models.Q(rejected_by__isnull=False) & ~models.Q(rejection_reason="")),
                name="valuation_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(spot_yen__gt=0)
                & models.Q(strike_yen__gte=0)
                & models.Q(term_years__gt=0)
                & models.Q(volatility__gte=0),
                name="valuation_inputs_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} as of {self.valuation_date} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("valuations:valuation_detail", args=[self.pk])

    @property
    def option_price_per_share(self) -> Decimal:
        return Decimal(self.option_price_per_share_text)

    def is_overridden(self, field: str) -> bool:
        return field in (self.overrides or {})

    def source_text(self, name: str) -> str:
        """Where input ``name`` came from, in the active language."""
        return source_detail_text((self.sources or {}).get(name))

    def source_method(self, name: str) -> str:
        """How input ``name`` was computed, in the active language ("" when not recorded)."""
        return source_method_text((self.sources or {}).get(name))

    def stale_inputs(self) -> list[StaleInput]:
        """The inputs read from data older than the series' rules allow (docs/domain.md reading R25)."""
        return stale_inputs(self.sources or {}, self.valuation_date)

    # Keys of ``method`` -> the Series field whose label and choices name them.
    METHOD_FIELDS = {
        "spot_rule": "valuation_spot_rule",
        "volatility_frequency": "volatility_frequency",
        "volatility_window_start": "volatility_window_start",
        "volatility_window_end": "volatility_window_end",
        "rate_rule": "rate_rule",
        "dividend_rule": "dividend_rule",
        "dividend_fiscal_year_end": "dividend_fiscal_year_end",
        "rounding_rule": "rounding_rule",
    }
    METHOD_LABELS = {
        "formula": _("formula"),
        "volatility_method": _("volatility method"),
        "calendar_overrides": _("calendar overrides in force"),
    }

    def method_rows(self) -> list[tuple[str, object]]:
        """The method as (label, value) rows in the active language: settings by their labels, not codes."""
        method = self.method or {}
        rows: list[tuple[str, object]] = []
        for key, value in method.items():
            if key.endswith("_message"):
                continue  # shown through the English key it translates
            field_name = self.METHOD_FIELDS.get(key)
            if field_name is not None:
                field = Series._meta.get_field(field_name)
                assert isinstance(field, models.Field)  # a concrete column, not a relation
                label = str(field.verbose_name)
                choices = dict(field.flatchoices)
                if isinstance(value, str) and value in choices:
                    value = str(choices[value])
            else:
                label = str(self.METHOD_LABELS.get(key, key))
            if key == "volatility_method":
                value = stored_text(method.get("volatility_method_message"), str(value or ""))
            rows.append((label, value))
        return rows
