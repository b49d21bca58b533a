"""Server-rendered SVG charts: numbers in, markup out. No script, no library; every label escaped."""

from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 760, 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 12, 12, 28


def _x_scale(days: list[date]):
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    inner = WIDTH - PAD_LEFT - PAD_RIGHT
    return lambda d: PAD_LEFT + inner * (d - first).days / span


def _y_scale(low: float, high: float):
    if high == low:
        high, low = high + 1, low - 1
    inner = HEIGHT - PAD_TOP - PAD_BOTTOM
    return lambda v: PAD_TOP + inner * (high - v) / (high - low)


def _year_ticks(days: list[date], x) -> list[str]:
    parts = []
    for year in range(days[0].year + 1, days[-1].year + 1):
        px = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{px:.1f}" y1="{HEIGHT - PAD_BOTTOM}" x2="{px:.1f}" y2="{HEIGHT - PAD_BOTTOM + 4}" stroke="#888"/>'
            f'<text x="{px:.1f}" y="{HEIGHT - 8}" font-size="10" text-anchor="middle" fill="#555">{year}</text>'
        )
    return parts


def price_chart(
    points: list[tuple[date, float]], *, splits: list[date], title: str, split_label: str
) -> SafeString:
    """A line of (split-adjusted) prices with each split marked by a dashed vertical line."""
    if len(points) < 2:
        return mark_safe("")
    days = [d for d, _ in points]
    values = [v for _, v in points]
    x, y = _x_scale(days), _y_scale(min(values), max(values))
    line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="w-100" role="img" '
        f'aria-label="{escape(title)}" data-testid="price-chart"><title>{escape(title)}</title>',
        f'<rect x="{PAD_LEFT}" y="{PAD_TOP}" width="{WIDTH - PAD_LEFT - PAD_RIGHT}" '
        f'height="{HEIGHT - PAD_TOP - PAD_BOTTOM}" fill="#fff" stroke="#ccc"/>',
    ]
    for value in (min(values), (min(values) + max(values)) / 2, max(values)):
        parts.append(
            f'<text x="{PAD_LEFT - 6}" y="{y(value) + 3:.1f}" font-size="10" text-anchor="end" fill="#555">'
            f"{value:,.0f}</text>"
        )
    parts += _year_ticks(days, x)
    parts.append(f'<polyline fill="none" stroke="#0d6efd" stroke-width="1.2" points="{line}"/>')
    for split in splits:
        if days[0] <= split <= days[-1]:
            px = x(split)
            parts.append(
                f'<line x1="{px:.1f}" y1="{PAD_TOP}" x2="{px:.1f}" y2="{HEIGHT - PAD_BOTTOM}" '
                f'stroke="#dc3545" stroke-dasharray="4 3" data-testid="split-marker"/>'
                f'<text x="{px + 4:.1f}" y="{PAD_TOP + 12}" font-size="10" fill="#dc3545">'
                f"{escape(split_label)} {split.isoformat()}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def returns_chart(points: list[tuple[date, float]], *, title: str) -> SafeString:
    """Bars of log returns around a zero line."""
    if not points:
        return mark_safe("")
    days = [d for d, _ in points]
    bound = max(abs(v) for _, v in points) or 1.0
    x, y = _x_scale(days), _y_scale(-bound, bound)
    zero = y(0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="w-100" role="img" '
        f'aria-label="{escape(title)}" data-testid="returns-chart"><title>{escape(title)}</title>',
        f'<line x1="{PAD_LEFT}" y1="{zero:.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{zero:.1f}" stroke="#888"/>',
    ]
    for value in (-bound, bound):
        parts.append(
            f'<text x="{PAD_LEFT - 6}" y="{y(value) + 3:.1f}" font-size="10" text-anchor="end" fill="#555">'
            f"{value:+.1%}</text>"
        )
    parts += _year_ticks(days, x)
    for d, v in points:
        px, py = x(d), y(v)
        colour = "#198754" if v >= 0 else "#dc3545"
        parts.append(f'<line x1="{px:.1f}" y1="{zero:.1f}" x2="{px:.1f}" y2="{py:.1f}" stroke="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
