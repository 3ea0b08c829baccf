"""A Report (the negotiation memo) as Word, in the house style of the default reference."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from ...model import Heading, Para, Report, Run, Table
from .reference import default_reference
from .writer import repack


def report_docx(report: Report, when: dt.datetime) -> bytes:
    """Word file of ``report`` with fixed timestamps: identical inputs give identical bytes."""
    import docx

    d = docx.Document(io.BytesIO(default_reference()))
    for b in report.blocks:
        if isinstance(b, Heading):
            par = (
                d.add_paragraph(style="Title") if b.level == 1 else d.add_heading(level=b.level - 1)
            )
            _add_runs(par, b.runs)
        elif isinstance(b, Para):
            _add_runs(d.add_paragraph(style=_para_style(b)), b.runs)
        elif isinstance(b, Table):
            _add_table(d, b)
    _properties(d, report, when)
    buf = io.BytesIO()
    d.save(buf)
    return repack(buf.getvalue(), when)


def _para_style(b: Para) -> str | None:
    if b.label is None:
        return None
    return "List Bullet" if b.bullet else "List Number"


def _add_runs(par: Any, runs: tuple[Run, ...]) -> None:
    for r in runs:
        run = par.add_run(r.text)
        run.bold = r.bold or None
        run.italic = r.italic or None
        if r.code:
            run.font.name = "Courier New"


def _add_table(d: Any, t: Table) -> None:
    from docx.shared import Pt

    table = d.add_table(rows=1, cols=len(t.header))
    table.style = "Table Grid"
    for cell, runs in zip(table.rows[0].cells, t.header, strict=True):
        cell.text = ""
        _add_runs(cell.paragraphs[0], tuple(Run(r.text, True, r.italic) for r in runs))
    for row in t.rows:
        for cell, runs in zip(table.add_row().cells, row, strict=True):
            cell.text = ""
            _add_runs(cell.paragraphs[0], runs)
    for row in table.rows:
        for cell in row.cells:
            for par in cell.paragraphs:
                for run in par.runs:
                    run.font.size = Pt(8)
    d.add_paragraph()


def _properties(d: Any, report: Report, when: dt.datetime) -> None:
    cp = d.core_properties
    cp.title = report.title
    cp.subject = report.subject
    cp.author = "Clausebook"
    cp.last_modified_by = "Clausebook"
    cp.revision = 1
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.keywords = report.keywords
    cp.comments = report.comments
    cp.category = report.subject
