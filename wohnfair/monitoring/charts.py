"""Geometry of the SVG bar charts, shared by the dashboard and the report PDFs.

Only numbers and labels come out of here; the templates draw the SVG. Values
that are hidden by small-cell suppression (``None``) get no bar and show their
display text instead, so a chart never reveals what the table hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed
    text: str  # what is written beside the bar ("12", "<5")
    x: float
    y: float
    width: float
    height: float

    @property
    def text_x(self) -> float:
        return self.x + self.width + 4

    @property
    def middle_y(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    maximum: int

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width


def horizontal_bars(
    items: Sequence[tuple[str, int | None, str]],
    *,
    width: int = 480,
    label_width: int = 190,
    bar_height: int = 16,
    gap: int = 6,
    value_space: int = 40,
) -> BarChart:
    """One horizontal bar per (label, value, display text), scaled to the largest value."""
    maximum = max((value for _, value, _ in items if value), default=0)
    usable = max(1, width - label_width - value_space)
    bars = []
    for index, (label, value, text) in enumerate(items):
        length = (usable * value / maximum) if value and maximum else 0.0
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=float(label_width),
                y=float(gap + index * (bar_height + gap)),
                width=round(length, 1),
                height=float(bar_height),
            )
        )
    height = gap + len(items) * (bar_height + gap)
    return BarChart(
        width=width,
        height=max(height, bar_height + 2 * gap),
        label_width=label_width,
        bars=tuple(bars),
        maximum=maximum,
    )


def truncate(label: str, limit: int = 30) -> str:
    """Labels in a chart stay on one line; the table beside it has the full text."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
