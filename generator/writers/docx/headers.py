"""The header (title, draft marking) and footer (reference, version, Page X of Y) parts."""

from __future__ import annotations

import re
from typing import Any

from ...model import Document
from ..typography import smart_quotes
from . import ooxml as x
from .page import reference_for

INTERNAL = "INTERNAL \u2014 NOT FOR CIRCULATION"


def headers_and_footers(d: Any, doc: Document, internal: bool = False) -> str:
    """Header (title, draft marking) and footer (reference, version, Page X of Y) parts, and
    the references to them that every section of the body carries. An internal copy (with
    notes) says so in the header of every page, the cover's too, and in a watermark."""
    section = d.sections[-1]
    section.different_first_page_header_footer = True
    header_text = doc.title + (f" \u2014 {doc.draft_banner}" if doc.draft_banner else "")
    header = section.header
    header._element.clear()
    if internal:
        mark = x.text_run(INTERNAL, bold=True) + x.watermark("INTERNAL")
        header._element.append(_one(x.para(mark, style="Header")))
    header._element.append(_one(x.para(x.text_run(smart_quotes(header_text)), style="Header")))
    footer = section.footer
    footer._element.clear()
    version = str(doc.deal.get("draft_version") or "") if doc.draft_banner else ""
    ref = " \u00b7 ".join(s for s in (reference_for(doc.deal), version) if s)
    # Reference and version on one line, the page number centred under it: a right tab would
    # sit mid-page in landscape sections, which share this footer.
    if ref:
        footer._element.append(_one(x.para(x.text_run(smart_quotes(ref)), style="Footer")))
    page = (
        x.text_run("Page ") + x.field("PAGE", "1") + x.text_run(" of ") + x.field("NUMPAGES", "1")
    )
    footer._element.append(_one(x.para(page, style="Footer", align="center")))
    for hf in (section.first_page_header, section.first_page_footer):
        hf.is_linked_to_previous = False
    if internal:
        cover = section.first_page_header._element
        cover.clear()
        mark = x.text_run(INTERNAL, bold=True) + x.watermark("INTERNAL")
        cover.append(_one(x.para(mark, style="Header")))
    sect = section._sectPr
    keep = [
        e for e in sect if e.tag in (f"{{{x.W_NS}}}headerReference", f"{{{x.W_NS}}}footerReference")
    ]
    from lxml import etree

    return "".join(re.sub(r"\sxmlns:\w+=\"[^\"]+\"", "", etree.tostring(e).decode()) for e in keep)


def _one(xml: str) -> Any:
    """Parse one WordprocessingML element given without namespace declarations."""
    from docx.oxml import parse_xml

    return parse_xml(f"<w:wrap {x.NSDECL}>{xml}</w:wrap>".encode())[0]
