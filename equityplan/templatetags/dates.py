"""Dates in Japanese style: the Japanese era (wareki) and a language-aware date filter."""

from datetime import date, datetime

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

# First day of each era (Imperial era name law; cabinet orders of 1989 and 2019), newest first.
ERAS = (
    (date(2019, 5, 1), "令和", "R"),
    (date(1989, 1, 8), "平成", "H"),
    (date(1926, 12, 25), "昭和", "S"),
    (date(1912, 7, 30), "大正", "T"),
    (date(1868, 10, 23), "明治", "M"),
)


def era_of(d: date) -> tuple[str, int]:
    """The era name and year within it: 2013-07-11 -> ('平成', 25); 2019-05-01 -> ('令和', 1)."""
    for first_day, name, _letter in ERAS:
        if d >= first_day:
            return name, d.year - first_day.year + 1
    raise ValueError(f"no Japanese era for {d.isoformat()}")


def to_wareki(d: date) -> str:
    """平成25年7月11日; the first year of an era is written 元年 (令和元年5月1日)."""
    name, year = era_of(d)
    year_text = "元" if year == 1 else str(year)
    return f"{name}{year_text}年{d.month}月{d.day}日"


def to_japanese(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


@register.filter
def wareki(value) -> str:
    """``{{ d|wareki }}`` -> 令和8年11月25日. Empty for no date or a date before the Meiji era."""
    d = _as_date(value)
    if d is None:
        return ""
    try:
        return to_wareki(d)
    except ValueError:
        return d.isoformat()


@register.filter
def ldate(value, style: str = "") -> str:
    """A date in the user's language: 2013年7月11日 in Japanese, 2013-07-11 otherwise.

    ``{{ d|ldate:"era" }}`` adds the Japanese era in Japanese: 2013年7月11日（平成25年）.
    ``{{ d|ldate:"long" }}`` gives the long form in English: 11 July 2013.
    """
    d = _as_date(value)
    if d is None:
        return ""
    if (get_language() or "").startswith("ja"):
        text = to_japanese(d)
        if style == "era":
            try:
                name, year = era_of(d)
                text += f"（{name}{'元' if year == 1 else year}年）"
            except ValueError:
                pass
        return text
    if style == "long":
        return formats.date_format(d, "j F Y")
    return d.isoformat()
