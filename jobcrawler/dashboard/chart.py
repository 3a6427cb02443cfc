"""A company's 90 days as SVG geometry: the template draws it, so the page needs no script.

Top panel: active postings per day, a line through one point a day. Bottom panel: new
postings as bars above the axis, removed ones below it. Scales start at zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jobcrawler.dashboard.queries import Day

WIDTH, LEFT, RIGHT = 760, 48, 8
ACTIVE_TOP, ACTIVE_BOTTOM = 12, 152
BARS_TOP, BARS_AXIS, BARS_BOTTOM = 176, 236, 296
HEIGHT = BARS_BOTTOM + 22


@dataclass(frozen=True)
class Mark:
    """One drawn value: a point (x, y) or a bar (x, y, width, height), and what it shows."""

    x: float
    y: float
    day: str
    count: int
    width: float = 0
    height: float = 0


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Mark]
    line: str
    new: list[Mark]
    removed: list[Mark]
    y_labels: list[tuple[float, str]]  # (y, text)
    x_labels: list[tuple[float, str]]  # (x, day)
    frame: dict[str, float]


def build(series: Sequence[Day]) -> Chart:
    slot = (WIDTH - LEFT - RIGHT) / max(len(series), 1)
    top = max([d.active for d in series] + [1])
    most = max([max(d.new, d.removed) for d in series] + [1])

    def x(i: int) -> float:
        return round(LEFT + slot * (i + 0.5), 1)

    def y_active(n: int) -> float:
        return round(ACTIVE_BOTTOM - (ACTIVE_BOTTOM - ACTIVE_TOP) * n / top, 1)

    def bar_height(n: int) -> float:
        return round((BARS_AXIS - BARS_TOP) * n / most, 1)

    points = [
        Mark(x(i), y_active(d.active), d.day.isoformat(), d.active) for i, d in enumerate(series)
    ]
    bar = round(max(slot - 2, 1), 1)
    new = [
        Mark(
            x(i) - bar / 2,
            BARS_AXIS - bar_height(d.new),
            d.day.isoformat(),
            d.new,
            bar,
            bar_height(d.new),
        )
        for i, d in enumerate(series)
        if d.new
    ]
    removed = [
        Mark(x(i) - bar / 2, BARS_AXIS, d.day.isoformat(), d.removed, bar, bar_height(d.removed))
        for i, d in enumerate(series)
        if d.removed
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        new=new,
        removed=removed,
        y_labels=[
            (y_active(top), str(top)),
            (y_active(0), "0"),
            (BARS_TOP, f"+{most}"),
            (BARS_AXIS, "0"),
            (BARS_BOTTOM, f"\u2212{most}"),
        ],
        x_labels=[(x(i), d.day.isoformat()) for i, d in enumerate(series) if i % 15 == 0],
        frame={
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "active_top": ACTIVE_TOP,
            "active_bottom": ACTIVE_BOTTOM,
            "bars_top": BARS_TOP,
            "axis": BARS_AXIS,
            "bars_bottom": BARS_BOTTOM,
        },
    )
