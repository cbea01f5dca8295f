"""Bar charts as data for inline SVG (templates/followup/_bars.html); no script, no CDN.

Readable at any width: the SVG is never scaled (no viewBox), so its text stays at body size
(16 px); each label stands on its own lines above its bar, wrapped rather than cut off, and the
bars are drawn in per cent of the available width.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

FONT_SIZE = 16  # the body text's size (samsyn.css)
LINE = 22
BAR_HEIGHT = 24
GAP = 14
LABEL_CHARS = 34  # about 330 px of 16 px text: fits a 390 px phone
BAR_SPACE_PERCENT = 80  # the rest is for the value after the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    lines: list[tuple[str, int]]  # (text, baseline y)
    y: int  # top of the bar
    width: float  # per cent
    text_x: float  # per cent
    text_y: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    font_size: int = FONT_SIZE
    bar_height: int = BAR_HEIGHT


def bar_chart(title: str, items: list[tuple[str, int]]) -> Chart:
    top = max((v for _, v in items), default=0) or 1
    bars = []
    y = 0
    for label, value in items:
        wrapped = textwrap.wrap(str(label), LABEL_CHARS) or [""]
        lines = [(text, y + FONT_SIZE + i * LINE) for i, text in enumerate(wrapped)]
        bar_y = y + len(wrapped) * LINE + 4
        width = round(BAR_SPACE_PERCENT * value / top, 1)
        bars.append(
            Bar(str(label), value, lines, bar_y, width, width + 1.5, bar_y + BAR_HEIGHT - 6)
        )
        y = bar_y + BAR_HEIGHT + GAP
    return Chart(title, bars, max(y, LINE))
