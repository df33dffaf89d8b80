"""Inline SVG charts for the HTML report: no JavaScript, no external files."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_HEIGHT = 18
LABEL_WIDTH = 230
BAR_WIDTH = 320
COLOURS = ("#2f6f9f", "#d9822b", "#3b9c5a", "#9b59b6", "#c0392b")


def bar_chart(rows: Sequence[tuple[str, float | None]], title: str) -> str:
    """Horizontal bars for values in [0, 1]; a missing value is drawn as 'n/a'."""
    height = len(rows) * (BAR_HEIGHT + 6) + 30
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [_open(width, height, title), _title(title)]
    for i, (label, value) in enumerate(rows):
        y = 24 + i * (BAR_HEIGHT + 6)
        parts.append(_label(label, y))
        parts.append(_bar(value, y, COLOURS[0]))
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    metrics: Sequence[str], groups: dict[str, dict[str, float | None]], title: str
) -> str:
    """One cluster of bars per metric, one bar per group (e.g. per language)."""
    names = list(groups)
    cluster = len(names) * (BAR_HEIGHT - 4) + 10
    height = len(metrics) * cluster + 30 + 20
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [_open(width, height, title), _title(title)]
    for i, metric in enumerate(metrics):
        y0 = 24 + i * cluster
        parts.append(_label(metric, y0 + cluster / 2 - BAR_HEIGHT / 2))
        for j, name in enumerate(names):
            colour = COLOURS[j % len(COLOURS)]
            parts.append(_bar(groups[name].get(metric), y0 + j * (BAR_HEIGHT - 4), colour, 12))
    legend_y = height - 12
    for j, name in enumerate(names):
        x = LABEL_WIDTH + j * 90
        colour = COLOURS[j % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: Sequence[float], title: str, bins: int = 12, unit: str = "ms") -> str:
    """Column histogram of a distribution (e.g. total latency per question)."""
    width, height, top, bottom = LABEL_WIDTH + BAR_WIDTH + 60, 180, 24, 30
    parts = [_open(width, height, title), _title(title)]
    if not values:
        parts.append('<text x="10" y="60" font-size="12">no values</text></svg>')
        return "".join(parts)
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / span * bins), bins - 1)] += 1
    plot_w, plot_h = width - 40, height - top - bottom
    col_w = plot_w / bins
    tallest = max(counts)
    for i, count in enumerate(counts):
        h = plot_h * count / tallest
        x = 20 + i * col_w
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{col_w - 2:.1f}" '
            f'height="{h:.1f}" fill="{COLOURS[1]}"><title>{count}</title></rect>'
        )
    axis_y = height - 10
    parts.append(f'<text x="20" y="{axis_y}" font-size="11">{low:.0f} {unit}</text>')
    parts.append(
        f'<text x="{width - 20}" y="{axis_y}" font-size="11" text-anchor="end">'
        f"{high:.0f} {unit}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: float, height: float, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif">'
    )


def _title(title: str) -> str:
    return f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>'


def _label(label: str, y: float) -> str:
    return (
        f'<text x="{LABEL_WIDTH - 8}" y="{y + 13:.1f}" font-size="12" text-anchor="end">'
        f"{escape(label)}</text>"
    )


def _bar(value: float | None, y: float, colour: str, height: float = BAR_HEIGHT) -> str:
    x = LABEL_WIDTH
    track = f'<rect x="{x}" y="{y:.1f}" width="{BAR_WIDTH}" height="{height}" fill="#eee"/>'
    if value is None:
        return track + f'<text x="{x + 4}" y="{y + height - 3:.1f}" font-size="11">n/a</text>'
    w = BAR_WIDTH * max(0.0, min(1.0, value))
    return (
        track
        + f'<rect x="{x}" y="{y:.1f}" width="{w:.1f}" height="{height}" fill="{colour}"/>'
        + f'<text x="{x + BAR_WIDTH + 6}" y="{y + height - 3:.1f}" font-size="11">'
        + f"{value:.2f}</text>"
    )
