"""The outcome chart's geometry: one bar per variant for its acceptance rate (accepted unchanged
out of first drafts that proposed it). Numbers only; the template draws the SVG and escapes the
labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..playbook.stats import VariantStats

LABEL_W, BAR_W, ROW_H, PAD = 150, 300, 28, 6


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: int  # of the filled part, 0..BAR_W
    value: str  # "67% of 3"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_w: int
    bar_w: int
    row_h: int
    bars: tuple[Bar, ...]


def acceptance_chart(rows: Sequence[VariantStats]) -> Chart:
    bars = []
    for i, r in enumerate(rows):
        share = r.acceptance or 0.0
        bars.append(
            Bar(
                r.variant,
                PAD + i * ROW_H,
                round(share * BAR_W),
                f"{round(share * 100)}% of {r.offered}",
            )
        )
    return Chart(
        LABEL_W + BAR_W + 110, 2 * PAD + ROW_H * len(rows), LABEL_W, BAR_W, ROW_H - 8, tuple(bars)
    )
