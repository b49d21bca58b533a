"""Notices generated from a series' terms: the notice of issuance and the notice of the amount paid.

The text of each notice is drafted once per language in a template,
``templates/papers/notices/<notice>.<language>.html``, clause by clause after the board's notice of the
3rd series (clauses (1)-(16)). This module builds what those templates are filled with: the series'
terms, its planned allotments (clause (15)) and the final valuation's figures (clause (12)), as plain
values written the way each language writes dates, yen and numbers. The notices do not go through the
translation catalogue: a notice is a legal text with its own wording in each language, not an
interface label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from equityplan.templatetags.dates import to_japanese
from grants.models import AllotmentCategory, Series, ShareAdjustment
from valuations.models import Valuation

LANGUAGES = ("en", "ja")

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """English words for a whole number below a billion: 200 -> 'two hundred'."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for size, word in ((1_000_000, "million"), (1000, "thousand")):
        if n >= size:
            big, rest = divmod(n, size)
            return f"{number_words(big)} {word}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def spelled(n: int) -> str:
    """'two hundred (200)', the notice's way of writing a number."""
    return f"{number_words(n)} ({n:,})"


def yen_en(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"{spelled(int(amount))} yen"
    return f"{amount:,} yen"


def yen_ja(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"{int(amount):,}円"
    return f"{amount:,}円"


def date_en(d: date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def month_en(d: date) -> str:
    """'March, 2013': the fiscal year ended in that month, notice (12)7."""
    return f"{d.strftime('%B')}, {d.year}"


def month_ja(d: date) -> str:
    return f"{d.year}年{d.month}月"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Writing:
    """How a notice in one language writes dates, months, yen and the counts it spells out."""

    day: Callable[[date], str]
    month: Callable[[date], str]
    yen: Callable[[Decimal], str]
    count: Callable[[int], str]  # shares per right, days and months: "ten (10)" in English


WRITING = {
    "en": Writing(day=date_en, month=month_en, yen=yen_en, count=spelled),
    "ja": Writing(day=to_japanese, month=month_ja, yen=yen_ja, count="{:,}".format),
}


def _writing(language: str) -> Writing:
    return WRITING.get(language, WRITING["en"])


# --- A rendered notice ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A notice rendered from its template: the HTML the page and the PDF both show."""

    language: str
    html: SafeString

    @property
    def title(self) -> str:
        parser = _NoticeText()
        parser.feed(self.html)
        parser.close()
        return parser.title or parser.lines[0]

    def lines(self) -> list[str]:
        parser = _NoticeText()
        parser.feed(self.html)
        parser.close()
        return parser.lines

    def as_text(self) -> str:
        """The whole notice as plain text (for tests and for copying into a release): the title, the
        preamble, then each clause's heading, paragraphs, numbered items and table rows."""
        return "\n".join(self.lines())


_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space, which a browser collapses (not U+3000)


class _NoticeText(HTMLParser):
    """The lines of a notice's HTML: h1 and p, then per ``div`` (a clause) h3, p, ol/li and tr/td."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._text: list[str] | None = None
        self._row: list[str] = []
        self._item = 0
        self._in_clauses = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and not self._in_clauses:
            self._in_clauses = True
            self.lines.append("")  # between the preamble and the clauses
        elif tag == "ol":
            self._item = 0
        elif tag == "tr":
            self._row = []
        elif tag in ("h1", "h3", "p", "li", "td"):
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h3", "p", "li", "td") and self._text is not None:
            text = _SPACE.sub(" ", "".join(self._text)).strip()
            self._text = None
            if tag == "td":
                self._row.append(text)
                return
            if tag == "li":
                self._item += 1
                text = f"{self._item}. {text}"
            self.lines.append(text)
            if tag == "h1":
                self.title = self.title or text
                self.lines.append("")
        elif tag == "tr":
            self.lines.append("  ".join(self._row))
        elif tag == "div":
            self.lines.append("")


@dataclass(frozen=True)
class NoticeHeader:
    """What a listed company's timely disclosure carries above its title: the date of the notice,
    the company, its representative, its securities code and whom to ask (docs/domain.md reading R42)."""

    on: date
    contact: str = ""


def header_context(series: Series, header: NoticeHeader, language: str) -> dict[str, str]:
    company = series.company
    ja = language == "ja"
    return {
        "date": _writing(language).day(header.on),
        "company": (company.name_ja if ja else "") or company.name,
        "representative": company.representative,
        "securities_code": company.securities_code,
        "contact": header.contact,
    }


def _render(notice: str, language: str, context: dict[str, Any]) -> Notice:
    language = language if language in LANGUAGES else "en"
    html = render_to_string(f"papers/notices/{notice}.{language}.html", context)
    return Notice(language=language, html=html)


# --- Notice of issuance ---------------------------------------------------------------------------


def _initial_shares_per_right(series: Series) -> int:
    history = sorted(series.share_adjustments.all(), key=lambda a: a.applies_from)
    return history[0].shares_per_right if history else 0


def _planned(series: Series) -> list[dict[str, Any]]:
    """Clause (15): the planned allotments, directors first."""
    order: dict[str, int] = {AllotmentCategory.DIRECTOR: 0, AllotmentCategory.EXECUTIVE_OFFICER: 1}
    planned = sorted(series.planned_allotments.all(), key=lambda p: order.get(p.category, 9))
    return [
        {
            "director": p.category == AllotmentCategory.DIRECTOR,
            "executive_officer": p.category == AllotmentCategory.EXECUTIVE_OFFICER,
            "category": str(p.get_category_display()),
            "persons": str(p.persons),
            "rights": f"{p.rights:,}",
        }
        for p in planned
    ]


def issuance_context(series: Series, language: str) -> dict[str, Any]:
    """The series' terms as the notice of issuance prints them in ``language``."""
    write = _writing(language)
    ja = language == "ja"
    window_start = series.volatility_window_start
    fiscal_year_end = series.dividend_fiscal_year_end
    return {
        "company": (series.company.name_ja if ja else "") or series.company.name,
        "series_number": str(series.number),
        "series_ordinal": ordinal(series.number),
        "series_name": (series.name_ja if ja else "") or series.name,
        "resolution_date": write.day(series.resolution_date) if series.resolution_date else "",
        # (2)-(5)
        "max_rights": f"{series.max_rights:,}",
        "share_class": series.share_class,
        "share_class_is_common": series.share_class.strip().lower() == "common stock",
        "shares_per_right": write.count(_initial_shares_per_right(series)),
        "exercise_price": write.yen(series.exercise_price_per_share_yen),
        "exercise_period_start": write.day(series.exercise_period_start),
        "exercise_period_end": write.day(series.exercise_period_end),
        # (7)-(9), (11), (16)
        "transfer_requires_board_approval": series.transfer_requires_board_approval,
        "company_may_acquire_without_contribution": series.company_may_acquire_without_contribution,
        "successor_rights_on_restructuring": series.successor_rights_on_restructuring,
        "all_at_once_exercise": series.all_at_once_exercise,
        "departure_window_days": write.count(series.departure_window_days),
        "heir_allowed": series.heir_allowed,
        "heir_window_months": write.count(series.heir_window_months),
        "transfer_prohibited_by_allotment_terms": series.transfer_prohibited_by_allotment_terms,
        "other_conditions": series.other_conditions,
        "certificates_issued": series.certificates_issued,
        # (12)
        "rounding_per_share_ceil": series.rounding_rule == Series.Rounding.PER_SHARE_CEIL,
        "rounding_per_share_half_up": series.rounding_rule == Series.Rounding.PER_SHARE_HALF_UP,
        "spot_on_previous_day": series.valuation_spot_rule == Series.SpotRule.PREVIOUS_DAY_CLOSE,
        "valuation_term_years": f"{series.valuation_term_years.normalize():f}",
        "volatility_weekly": series.volatility_frequency == Series.VolatilityFrequency.WEEKLY,
        "volatility_window_start": write.day(window_start) if window_start else "",
        "volatility_until_day_before": series.volatility_window_end == Series.VolatilityWindowEnd.DAY_BEFORE,
        "rate_nearest": series.rate_rule == Series.RateRule.NEAREST,
        "dividend_zero": series.dividend_rule == Series.DividendRule.ZERO,
        "dividend_fiscal_year": write.month(fiscal_year_end) if fiscal_year_end else "",
        "dividend_split_adjusted": bool(fiscal_year_end)
        or any(a.cause != ShareAdjustment.Cause.INITIAL for a in series.share_adjustments.all()),
        "payment_by_setoff": series.payment_by_setoff,
        # (13)-(15)
        "allotment_date": write.day(series.allotment_date),
        "payment_date": write.day(series.payment_date),
        "planned": _planned(series),
    }


def issuance_notice(series: Series, language: str, header: NoticeHeader | None = None) -> Notice:
    context = issuance_context(series, language)
    if header is not None:
        context["header"] = header_context(series, header, language)
    return _render("issuance", language, context)


# --- Notice of the amount paid per right (clause (12)) -------------------------------------------


def _figure(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _percent(value: Decimal) -> str:
    return f"{value * 100:.4f}%"


def _source(valuation: Valuation, name: str, separator: str) -> str:
    """Where input ``name`` came from, as one line in the active language."""
    value = (valuation.sources or {}).get(name)
    if isinstance(value, Mapping) and "detail" not in value and "detail_message" not in value:
        return "; ".join(
            f"{k}: {v}" for k, v in value.items() if isinstance(v, str | int | float | Decimal) and v != ""
        )
    parts = [valuation.source_text(name), valuation.source_method(name)]
    if isinstance(value, Mapping) and value.get("entered_by_hand"):
        parts.insert(0, f"{translation.gettext('entered by hand')}: {value.get('reason', '')}")
    return separator.join(part for part in parts if part)


def amount_context(series: Series, valuation: Valuation, language: str) -> dict[str, Any]:
    """The final valuation's inputs S, X, T, σ, r, q and its result, as the amount notice prints them."""
    write = _writing(language)
    ja = language == "ja"
    with translation.override(language):  # the sources are stored messages, shown in the notice's language
        sources = {name: _source(valuation, name, "。" if ja else "; ") for name in Valuation.INPUTS}
    return {
        "series_name": (series.name_ja if ja else "") or series.name,
        "resolution_date": write.day(series.resolution_date) if series.resolution_date else "",
        "valuation_date": write.day(valuation.valuation_date),
        "spot_yen": _figure(valuation.spot_yen),
        "strike_yen": _figure(valuation.strike_yen),
        "term_years": _figure(valuation.term_years),
        "volatility": _percent(valuation.volatility),
        "rate": _percent(valuation.rate),
        "dividend_yield": _percent(valuation.dividend_yield),
        "sources": sources,
        "option_price_per_share": _figure(valuation.option_price_per_share),
        "shares_per_right": f"{valuation.shares_per_right:,}",
        "amount_per_right_yen": f"{valuation.amount_per_right_yen:,}",
        # Inputs read from data older than the rules allow are named in the notice (reading R25).
        "stale_inputs": [
            {"input": s.name, "taken_from": write.day(s.taken_from), "due_from": write.day(s.due_from)}
            for s in valuation.stale_inputs()
        ],
    }


def rounded_option_price(series: Series, valuation: Valuation) -> Decimal:
    """The option price per share as the notice states it: rounded as the series' rule rounds it
    (to the yen, up or half up), or, where the total per right is rounded, to the sen (0.01 yen)."""
    price = valuation.option_price_per_share
    if series.rounding_rule == Series.Rounding.PER_SHARE_CEIL:
        return price.quantize(Decimal(1), rounding=ROUND_CEILING)
    if series.rounding_rule == Series.Rounding.PER_SHARE_HALF_UP:
        return price.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def amount_notice(
    series: Series, valuation: Valuation, language: str, header: NoticeHeader | None = None
) -> Notice:
    """The amount paid per right as determined by the final valuation, notice (12)."""
    context = amount_context(series, valuation, language)
    context["option_price_rounded"] = _figure(rounded_option_price(series, valuation))
    context["per_share_rounding"] = series.rounding_rule != Series.Rounding.TOTAL_CEIL
    if header is not None:
        context["header"] = header_context(series, header, language)
    return _render("amount", language, context)
