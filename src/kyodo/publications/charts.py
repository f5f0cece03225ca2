"""A stacked bar chart of income by source across fiscal years, drawn as SVG on the server
(no script, no inline style). The page always shows the same figures in a table too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kyodo.core.dates import format_fiscal_year
from kyodo.publications.models import LedgerCategory
from kyodo.publications.models.ledger import INCOME_CATEGORIES
from kyodo.publications.queries.ledger import YearSummary

# Colours that keep 3:1 against white and against each other's neighbours (WCAG 1.4.11);
# the legend and the table name every series, so colour is never the only cue.
COLOURS = {
    LedgerCategory.ADVERTISING: "#0050b3",
    LedgerCategory.MEMBER_FEES: "#b35900",
    LedgerCategory.GRANTS: "#2b7a0b",
    LedgerCategory.DONATIONS: "#8a2be2",
    LedgerCategory.OTHER_INCOME: "#5f6368",
}
WIDTH, HEIGHT = 720, 300
LEFT, BOTTOM, TOP = 90, 40, 16


@dataclass
class Segment:
    x: int
    y: float
    width: int
    height: float
    colour: str
    title: str


@dataclass
class Bar:
    label: str
    x_label: int
    total: int
    segments: list[Segment]


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    baseline: int
    bars: list[Bar]
    ticks: list[Tick]
    legend: list[tuple[str, str]]
    summary: str


def _step(top: int) -> int:
    """A round tick step giving four or five ticks up to ``top``."""
    step = 1
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if top / step <= 5:
                break
    return step


def income_chart(years: Sequence[YearSummary]) -> Chart:
    top = max((year.income_total for year in years), default=0) or 1
    step = _step(top)
    scale_top = ((top + step - 1) // step) * step
    plot_height = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT - 10) // max(len(years), 1)
    bar_width = min(80, int(slot * 0.6))
    bars = []
    for index, year in enumerate(years):
        x = LEFT + index * slot + (slot - bar_width) // 2
        y = float(baseline)
        segments = []
        label = format_fiscal_year(year.fiscal_year)
        for category in INCOME_CATEGORIES:
            amount = year.amount(category)
            if not amount:
                continue
            height = amount / scale_top * plot_height
            y -= height
            segments.append(
                Segment(
                    x=x,
                    y=round(y, 1),
                    width=bar_width,
                    height=round(height, 1),
                    colour=COLOURS[category],
                    title=f"{label} {category.label} {amount:,}円",
                )
            )
        bars.append(
            Bar(label=label, x_label=x + bar_width // 2, total=year.income_total, segments=segments)
        )
    ticks = [
        Tick(y=round(baseline - value / scale_top * plot_height, 1), label=f"{value:,}円")
        for value in range(0, scale_top + 1, step)
    ]
    summary = "、".join(f"{bar.label} {bar.total:,}円" for bar in bars)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        baseline=baseline,
        bars=bars,
        ticks=ticks,
        legend=[(str(c.label), COLOURS[c]) for c in INCOME_CATEGORIES],
        summary=f"年度ごとの収入の合計: {summary}",
    )
