"""Bar charts drawn on the server as SVG: no script, no third-party code, readable when printed
(dark bars on white, every value written beside its bar). Each bar is a link to the list behind its
number. Text is escaped; colours are SVG presentation attributes (the CSP forbids inline styles).

The numbers are also given as a table by the templates, for screen readers.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = "#0b5d46"
TRACK = "#e5e9ef"
INK = "#1d2733"
FONT = 'font-family="system-ui, sans-serif"'


def _fmt(value):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def _shorten(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def horizontal_bars(*, chart_id, title, bars, label_width=200, width=600, row=28, maximum=None, suffix=""):
    """One row per bar: label, bar, value. `bars` are objects with key, label, value, url."""
    values = [b.value or 0 for b in bars]
    top = maximum if maximum is not None else max(values + [1])
    top = top or 1
    plot = width - label_width - 70
    height = row * len(bars) + 10
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="group" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" {FONT} font-size="15">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = 5 + index * row
        value = bar.value or 0
        length = 0 if not value else max(2, round(plot * min(value, top) / top))
        text = f"{_fmt(bar.value)}{suffix if bar.value is not None else ''}"
        parts.append(
            f'<a href="{escape(bar.url)}" data-bar="{escape(bar.key)}" aria-label="{escape(bar.label)}: {escape(text)}">'
            f'<text x="{label_width - 8}" y="{y + row / 2 + 4:.0f}" text-anchor="end" fill="{INK}">'
            f"{escape(_shorten(bar.label, label_width // 8))}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{plot}" height="{row - 8}" fill="{TRACK}"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row - 8}" fill="{BAR}"/>'
            f'<text x="{label_width + length + 6}" y="{y + row / 2 + 4:.0f}" fill="{INK}">{escape(text)}</text>'
            "</a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text above is escaped)


def vertical_bars(*, chart_id, title, bars, width=640, height=220):
    """Columns (months): value above each column, label below."""
    values = [b.value or 0 for b in bars]
    top = max(values + [1])
    count = max(len(bars), 1)
    slot = (width - 20) / count
    plot = height - 50
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="group" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" {FONT} font-size="15">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<line x1="10" y1="{plot + 20}" x2="{width - 10}" y2="{plot + 20}" stroke="{INK}" stroke-width="1"/>',
    ]
    for index, bar in enumerate(bars):
        value = bar.value or 0
        x = 10 + index * slot
        column = 0 if not value else max(2, round(plot * value / top))
        centre = x + slot / 2
        parts.append(
            f'<a href="{escape(bar.url)}" data-bar="{escape(bar.key)}" aria-label="{escape(bar.label)}: {escape(_fmt(bar.value))}">'
            f'<rect x="{x + slot * 0.15:.1f}" y="20" width="{slot * 0.7:.1f}" height="{plot}" fill="{TRACK}"/>'
            f'<rect x="{x + slot * 0.15:.1f}" y="{plot + 20 - column}" width="{slot * 0.7:.1f}" height="{column}" fill="{BAR}"/>'
            f'<text x="{centre:.1f}" y="{plot + 14 - column if column < plot - 4 else 34}" text-anchor="middle" '
            f'fill="{INK if column < plot - 4 else "#ffffff"}">{escape(_fmt(bar.value))}</text>'
            f'<text x="{centre:.1f}" y="{plot + 38}" text-anchor="middle" fill="{INK}">{escape(bar.label)}</text>'
            "</a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text above is escaped)
