"""Small charts drawn as inline SVG on the server.

No scripts and no fonts (text inherits the page's system font). Charts are at
most 340 units wide, so on a 375 px phone they are drawn at full size and their
12-unit text stays 12 CSS px (FONT). Every chart has
a <title> and a <desc> that say what it shows in words, and every page that
shows one also shows the same numbers in a table. Series differ in dash pattern
and marker shape as well as colour, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# (colour, dash pattern, marker) per series; colours pass 4.5:1 on white.
STYLES = (
    ("#0b4fb3", "", "circle"),
    ("#a3212a", "7 4", "square"),
    ("#1d6a2e", "2 3", "triangle"),
    ("#4a4a4a", "10 3 2 3", "diamond"),
)
FONT = 12  # the smallest text the pages allow, in CSS px
BAR_COLOUR = "#0b4fb3"
AXIS_COLOUR = "#767676"
GRID_COLOUR = "#d8d8d8"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # None: no value at this point (the line breaks)


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[tuple[str, float]],
    *,
    value_text: Callable[[float], str] = _num,
    x_caption: str = "",
    width: int = 340,
    height: int = 210,
) -> Markup:
    """Vertical bars, one per (label, value), each with its value written above it."""
    left, right, top, bottom = 14, 6, 16, 34 + (16 if x_caption else 0)
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((v for _, v in bars), default=0) or 1
    parts = _open(chart_id, title, desc, width, height)
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="{AXIS_COLOUR}"/>')
    slot = plot_w / max(len(bars), 1)
    for i, (label, value) in enumerate(bars):
        bar_h = plot_h * value / peak
        x = left + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(base - bar_h)}" width="{_num(slot * 0.7)}" height="{_num(bar_h)}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {escape(value_text(value))}</title></rect>'
        )
        centre = _num(left + i * slot + slot / 2)
        parts.append(
            f'<text x="{centre}" y="{_num(base - bar_h - 3)}" font-size="{FONT}" text-anchor="middle">{escape(value_text(value))}</text>'
        )
        parts.append(
            f'<text x="{centre}" y="{base + 15}" font-size="{FONT}" text-anchor="middle">{escape(label)}</text>'
        )
    if x_caption:
        parts.append(
            f'<text x="{_num(left + plot_w / 2)}" y="{height - 4}" font-size="{FONT}" text-anchor="middle">{escape(x_caption)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _marker(shape: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if shape == "square":
        return f'<rect x="{_num(x - 3.5)}" y="{_num(y - 3.5)}" width="7" height="7" fill="{colour}">{tip}</rect>'
    if shape == "triangle":
        points = f"{_num(x)},{_num(y - 4.5)} {_num(x - 4.5)},{_num(y + 3.5)} {_num(x + 4.5)},{_num(y + 3.5)}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    if shape == "diamond":
        points = f"{_num(x)},{_num(y - 5)} {_num(x - 5)},{_num(y)} {_num(x)},{_num(y + 5)} {_num(x + 5)},{_num(y)}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="{colour}">{tip}</circle>'


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 340,
    height: int = 250,
) -> Markup:
    """Shares (0..1) over evenly spaced points, one line per series, with a legend."""
    left, right, top, bottom = 40, 14, 14 + 18 * len(series), 26
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open(chart_id, title, desc, width, height)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" y1="{_num(y)}" x2="{width - right}" y2="{_num(y)}" stroke="{GRID_COLOUR}"/>')
        parts.append(
            f'<text x="{left - 4}" y="{_num(y + 3)}" font-size="{FONT}" text-anchor="end">{percent(tick)}</text>'
        )
    count = len(x_labels)
    step = plot_w / (count - 1) if count > 1 else 0
    xs = [left + (i * step if count > 1 else plot_w / 2) for i in range(count)]
    label_every = max(1, -(-count // 8))  # at most about 8 labels under the axis
    for i, label in enumerate(x_labels):
        if i % label_every == 0 or i == count - 1:
            parts.append(
                f'<text x="{_num(xs[i])}" y="{height - 8}" font-size="{FONT}" text-anchor="middle">{escape(label)}</text>'
            )
    for n, line in enumerate(series):
        colour, dash, shape = STYLES[n % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        legend_y = 12 + 18 * n
        parts.append(
            f'<line x1="{left}" y1="{legend_y}" x2="{left + 28}" y2="{legend_y}" stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        parts.append(_marker(shape, left + 14, legend_y, colour, line.label))
        parts.append(f'<text x="{left + 36}" y="{legend_y + 4}" font-size="{FONT}">{escape(line.label)}</text>')
        runs: list[list[str]] = [[]]
        markers: list[str] = []
        for i, value in enumerate(line.values[:count]):
            if value is None:
                runs.append([])
                continue
            y = top + plot_h * (1 - value)
            runs[-1].append(f"{_num(xs[i])},{_num(y)}")
            markers.append(_marker(shape, xs[i], y, colour, f"{x_labels[i]}, {line.label}: {percent(value)}"))
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
                )
        parts.extend(markers)  # drawn last so lines do not cover them
    parts.append("</svg>")
    return Markup("".join(parts))


def reliability_chart(
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[tuple[float, float, str]],
    *,
    width: int = 330,
    height: int = 300,
) -> Markup:
    """Share right (y) against stated chance (x), both 0..1, with the diagonal of perfect calibration.

    Each point is labelled with its share; its tooltip adds the note (the number of answers). Sized to fit a
    375 px phone without scaling, so its 12 px text stays 12 CSS px.
    """
    left, right, top, bottom = 58, 24, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open(chart_id, title, desc, width, height)

    def x_at(value: float) -> float:
        return left + plot_w * value

    def y_at(value: float) -> float:
        return top + plot_h * (1 - value)

    for tick in (0, 0.25, 0.5, 0.75, 1):
        grid_y = _num(y_at(tick))
        parts.append(f'<line x1="{left}" y1="{grid_y}" x2="{width - right}" y2="{grid_y}" stroke="{GRID_COLOUR}"/>')
        parts.append(
            f'<text x="{left - 5}" y="{_num(y_at(tick) + 4)}" font-size="{FONT}" text-anchor="end">{percent(tick)}</text>'
        )
        if tick in (0, 0.5, 1):
            parts.append(
                f'<text x="{_num(x_at(tick))}" y="{top + plot_h + 16}" font-size="{FONT}" text-anchor="middle">{percent(tick)}</text>'
            )
    parts.append(
        f'<line x1="{_num(x_at(0))}" y1="{_num(y_at(0))}" x2="{_num(x_at(1))}" y2="{_num(y_at(1))}" '
        f'stroke="{AXIS_COLOUR}" stroke-dasharray="5 4"><title>As sure as the scores bear out</title></line>'
    )
    parts.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{height - 4}" font-size="{FONT}" text-anchor="middle">stated chance of being right</text>'
    )
    middle = _num(top + plot_h / 2)
    parts.append(
        f'<text x="14" y="{middle}" font-size="{FONT}" text-anchor="middle" transform="rotate(-90 14 {middle})">share right</text>'
    )
    colour, _dash, _shape = STYLES[0]
    for chance, share, note in points:
        x, y = x_at(chance), y_at(share)
        parts.append(
            _marker("circle", x, y, colour, f"stated {percent(chance)}: {percent(share)} right ({note} answers)")
        )
        above = y - 8 if share < 0.9 else y + 18
        parts.append(
            f'<text x="{_num(x)}" y="{_num(above)}" font-size="{FONT}" text-anchor="middle">{percent(share)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
