"""Table geometry: column widths balanced to the content, and the house table paragraph style."""

from __future__ import annotations

import re
from typing import Any

from ...model import Run, Table

TABLE_STYLE = "TableText"  # 9 pt body text for table cells; added if the reference lacks it
CHAR_TW = (
    135  # width of a 9 pt character (bold headers, wide fallback fonts), in twips, with margin
)


def _plain(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


def _needs(t: Table) -> tuple[list[int], list[float], list[float]]:
    """Per column: width for its longest word (twips), that length, and the average text length."""
    cols = range(max(1, len(t.header)))
    cells = [[_plain(t.header[i])] + [_plain(r[i]) for r in t.rows] for i in cols]
    # bold header characters are wider than body ones: count them 1.2 times
    longest = [
        max(
            [len(w) * 1.2 for w in _plain(t.header[i]).split()]
            + [len(w) for c in cells[i][1:] for w in c.split()]
            + [1]
        )
        + 2
        for i in cols
    ]
    mass = [sum(len(c) for c in col) / len(col) for col in cells]
    return [int(n * CHAR_TW) for n in longest], longest, mass


def column_widths(t: Table, total: int) -> list[int]:
    """Every column wide enough for its longest word; spare width goes to the wordy columns."""
    need, longest, mass = _needs(t)
    if sum(need) > total:
        # Too many long words to fit: keep short-content columns (codes, targets, periods)
        # whole and let the wordy columns wrap within what is left.
        short = [m <= 2.5 * n for m, n in zip(mass, longest, strict=True)]
        fixed = sum(w for w, s in zip(need, short, strict=True) if s)
        if fixed < total * 0.6:
            rest = total - fixed
            wordy = sum(m for m, s in zip(mass, short, strict=True) if not s) or 1.0
            widths = [
                need[i] if short[i] else int(rest * mass[i] / wordy) for i in range(len(need))
            ]
        else:
            widths = [int(total * n / sum(need)) for n in need]
    else:
        spare = total - sum(need)
        extra = [max(m - n, 0.5) for m, n in zip(mass, longest, strict=True)]
        widths = [int(n + spare * e / sum(extra)) for n, e in zip(need, extra, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


_NUMERIC = re.compile(
    r"^(?:[A-Z]{3} |[£$€])?[-+]?\d[\d,]*(?:\.\d+)?(?: ?%| [A-Z]{3})?$|^(?:none|n/a|-|\u2014)$", re.I
)


def numeric_columns(t: Table) -> frozenset[int]:
    """Columns whose every body cell is an amount, a count or a percentage ("SGD 28", "15%",
    "1,200", "None"), with at least one real number: set right-aligned, as figures are."""
    cols = range(len(t.header))
    out = set()
    for i in cols:
        cells = [_plain(r[i]).strip() for r in t.rows if i < len(r)]
        if (
            cells
            and all(_NUMERIC.match(c) for c in cells)
            and any(any(ch.isdigit() for ch in c) for c in cells)
        ):
            out.add(i)
    return frozenset(out)


def too_wide(t: Table, text_w: int) -> bool:
    """True when the table's longest words cannot fit side by side in ``text_w``."""
    return sum(_needs(t)[0]) > text_w


def ensure_table_style(d: Any) -> None:
    """The table styles every draft uses, added when the reference .docx lacks them."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    ids = {st.style_id for st in d.styles}
    if "ClausebookTable" not in ids:  # the named table style the writer's tables use
        grid = d.styles.add_style("Clausebook Table", WD_STYLE_TYPE.TABLE)
        if "TableGrid" in ids:
            grid.base_style = d.styles["Table Grid"]
    if TABLE_STYLE in ids:
        return
    style = d.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles["Normal"]
    style.font.size = Pt(9)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def link_heading_numbering(d: Any, legal_num: int) -> None:
    """Heading 1 and 2 carry the legal numbering (levels 1 and 2) in the style itself, as the
    numbering levels name them; TOC Heading, based on Heading 1, is taken out of the list."""
    links = {"Heading1": (legal_num, 0), "Heading2": (legal_num, 1), "TOCHeading": (0, 0)}
    for st in d.styles:
        if st.style_id in links:
            num, level = links[st.style_id]
            numpr = st.element.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = level
            numpr.get_or_add_numId().val = num
