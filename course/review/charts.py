"""Server-rendered bar charts as accessible SVG: a title, a description and a
table with the same numbers next to it. Pure geometry; the template draws it."""
from dataclasses import dataclass, replace

# A phone draws each chart NARROW wide: never shown smaller than its own size there (review.css),
# so its 12-unit text stays at least 12 px (issue 12).
NARROW = 320


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    show_label: bool = True


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    horizontal: bool
    maximum: int
    axis: list[tuple[float, float, str]]  # (x or y, position of label, text) gridlines
    narrow: "BarChart | None" = None       # the same chart drawn NARROW wide, for a phone


def column_chart(chart_id: str, title: str, description: str, data: list[tuple[str, int]],
                 width: int = 720, height: int = 240, label_every: int = 5) -> BarChart:
    """Vertical bars (a time series): `label_every`-th label is written under the axis."""
    left, right, top, bottom = 40, 10, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum = max([v for _l, v in data] + [1])
    step = plot_w / max(len(data), 1)
    bars = []
    for i, (label, value) in enumerate(data):
        h = plot_h * value / maximum
        x = left + i * step + step * 0.15
        bars.append(Bar(label, value, round(x, 1), round(top + plot_h - h, 1), round(step * 0.7, 1), round(h, 1),
                        round(x + step * 0.35, 1), height - bottom + 16, round(x + step * 0.35, 1),
                        round(top + plot_h - h - 3, 1), show_label=i % label_every == 0 or i == len(data) - 1))
    ticks = _ticks(maximum)
    axis = [(round(top + plot_h - plot_h * t / maximum, 1), left - 6, str(t)) for t in ticks]
    chart = BarChart(chart_id, title, description, width, height, bars, False, maximum, axis)
    if width <= NARROW:
        return chart
    return replace(chart, narrow=column_chart(f"{chart_id}-phone", title, description, data, width=NARROW,
                                              height=height, label_every=label_every * 2))


def bar_chart(chart_id: str, title: str, description: str, data: list[tuple[str, int]],
              maximum: int | None = None, width: int = 720) -> BarChart:
    """Horizontal bars with the label above each bar: a funnel."""
    left, right, top, row = 10, 60, 10, 44
    height = top * 2 + row * max(len(data), 1)
    maximum = max([maximum or 0] + [v for _l, v in data] + [1])
    plot_w = width - left - right
    bars = []
    for i, (label, value) in enumerate(data):
        y = top + i * row
        w = plot_w * value / maximum
        bars.append(Bar(label, value, left, y + 18, round(w, 1), 18, left, y + 13, round(left + w + 6, 1), y + 32))
    chart = BarChart(chart_id, title, description, width, height, bars, True, maximum, [])
    if width <= NARROW:
        return chart
    return replace(chart, narrow=bar_chart(f"{chart_id}-phone", title, description, data, maximum, width=NARROW))


def _ticks(maximum: int) -> list[int]:
    if maximum <= 5:
        return list(range(0, maximum + 1))
    step = max(1, round(maximum / 4))
    return list(range(0, maximum + 1, step))
