"""A Report (the negotiation memo) as Word, in the house style of the default reference."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from ...model import Heading, Para, Report, Run, Table
from . import ooxml as x
from .package import app_xml, core_properties, repack, settings
from .page import language_for, page_for
from .reference import default_reference

CONFIDENTIAL = "Confidential \u2014 for the negotiating team only; not for circulation"


def report_docx(report: Report, when: dt.datetime, deal: dict[str, Any] | None = None) -> bytes:
    """Word file of ``report`` with fixed timestamps: identical inputs give identical bytes.

    On the deal's paper (A4 unless US law), with the confidentiality line in the header and
    Page X of Y in the footer of every page."""
    import docx

    d = docx.Document(io.BytesIO(default_reference()))
    _page(d, report, deal or {})
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


def _page(d: Any, report: Report, deal: dict[str, Any]) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Twips

    page = page_for(deal)
    section = d.sections[0]
    section.page_width, section.page_height = Twips(page.width), Twips(page.height)
    for side in ("left", "right", "top", "bottom"):
        setattr(section, f"{side}_margin", Twips(page.margin))
    header = section.header._element
    header.clear()
    line = x.text_run(CONFIDENTIAL, bold=True) + x.text_run(f" \u2014 {report.title}")
    header.append(parse_xml(f"<w:wrap {x.NSDECL}>{x.para(line, style='Header')}</w:wrap>")[0])
    footer = section.footer._element
    footer.clear()
    runs = (
        x.text_run("Page ") + x.field("PAGE", "1") + x.text_run(" of ") + x.field("NUMPAGES", "1")
    )
    para = x.para(runs, style="Footer", align="center")
    footer.append(parse_xml(f"<w:wrap {x.NSDECL}>{para}</w:wrap>")[0])
    language = language_for(deal)
    settings(d, language=language)


def _properties(d: Any, report: Report, when: dt.datetime) -> None:
    core_properties(d, report.title, report.subject, report.keywords, report.subject)
    d.core_properties.comments = report.comments
    app_xml(d)
