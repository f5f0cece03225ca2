"""Horizontal stacked bars of the collaboration levels — one bar per department, or per
fiscal year — drawn as SVG on the server (no script, no inline style). Each segment carries
its count as text and the page shows the same figures in a table, so colour is never the
only cue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kyodo.liaison.queries.evaluation import UNANSWERED, Counts

# Fills keep 3:1 against white (WCAG 1.4.11) and carry white text at 4.5:1 or more;
# 未回答 is an outlined white bar with dark text.
FILLS = {
    "できている": ("#1d4e89", "#ffffff"),
    "一部できている": ("#a34b00", "#ffffff"),
    "できていない": ("#5f6368", "#ffffff"),
    UNANSWERED: ("#ffffff", "#1a1a1a"),
}
OUTLINE = "#5f6368"
WIDTH = 720
LABEL_WIDTH, RIGHT = 190, 70
ROW, BAR = 36, 24
MIN_TEXT_WIDTH = 22  # narrower segments show their count in their title only


@dataclass
class Segment:
    x: float
    width: float
    fill: str
    text_colour: str
    count: int
    show_count: bool
    title: str

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Row:
    label: str
    y: int
    total: int
    segments: list[Segment]

    @property
    def text_y(self) -> int:
        return self.y + BAR // 2


@dataclass
class Chart:
    key: str
    width: int
    height: int
    label_right: int
    bar_left: int
    total_x: int
    rows: list[Row]
    legend: list[tuple[str, str]]
    outline: str
    summary: str


def level_chart(key: str, title: str, counts: Sequence[Counts]) -> Chart:
    """One bar per :class:`Counts` (a department, or a year), all on the same scale."""
    top = max((c.total for c in counts), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - RIGHT
    rows = []
    for index, entry in enumerate(counts):
        y = 8 + index * ROW
        x = float(LABEL_WIDTH)
        segments = []
        for label, count in entry.cells:
            if not count:
                continue
            width = count / top * plot
            fill, text = FILLS[label]
            segments.append(
                Segment(
                    x=round(x, 1),
                    width=round(width, 1),
                    fill=fill,
                    text_colour=text,
                    count=count,
                    show_count=width >= MIN_TEXT_WIDTH,
                    title=f"{entry.label} {label} {count}件",
                )
            )
            x += width
        rows.append(Row(label=entry.label, y=y, total=entry.total, segments=segments))
    summary = "。".join(
        f"{entry.label}: " + "、".join(f"{label} {count}件" for label, count in entry.cells)
        for entry in counts
    )
    return Chart(
        key=key,
        width=WIDTH,
        height=16 + len(rows) * ROW,
        label_right=LABEL_WIDTH - 8,
        bar_left=LABEL_WIDTH,
        total_x=WIDTH - RIGHT + 8,
        rows=rows,
        legend=[(label, fill) for label, (fill, _text) in FILLS.items()],
        outline=OUTLINE,
        summary=f"{title}。{summary}",
    )
