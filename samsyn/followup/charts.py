"""Bar charts as data for inline SVG (templates/followup/_bars.svg.html); no script, no CDN."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 28
GAP = 8
LABEL_WIDTH = 260
BAR_SPACE = 380


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_SPACE + 60
    label_width: int = LABEL_WIDTH


def bar_chart(title: str, items: list[tuple[str, int]]) -> Chart:
    top = max((v for _, v in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        width = round(BAR_SPACE * value / top)
        bars.append(Bar(str(label), value, i * (BAR_HEIGHT + GAP), width, LABEL_WIDTH + width + 6))
    return Chart(title, bars, max(len(items), 1) * (BAR_HEIGHT + GAP))
