"""The optional layout pass: the page each TOC entry's heading lands on, read from a PDF.

Word computes TOC page numbers only when fields are updated, which prompts on open; instead
LibreOffice lays the draft out once, each heading is found on its page in document order, and
the numbers are written into the TOC's cached results."""

from __future__ import annotations

import re

from ...model import Document
from .execution import EXECUTION_BOOKMARK
from .writer import DocxOptions, article_bookmark, bookmark_name, render_docx

_SQUASH = re.compile(r"\s+")


def _key(text: str) -> str:
    """Text as compared with a PDF page: no whitespace (wraps), no case (caps styles), and
    straight quotes (typography)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    return _SQUASH.sub("", text.replace("\u201d", '"')).casefold()


def toc_targets(doc: Document) -> list[tuple[str, str]]:
    """(bookmark, heading text as printed) for each TOC entry, in document order."""
    out = [(article_bookmark(a.number), f"{a.number}. {a.title}") for a in doc.articles]
    out.append((EXECUTION_BOOKMARK, "Execution"))
    out += [(bookmark_name(s.id), f"Schedule {s.number} {s.title}") for s in doc.schedules]
    return out


def toc_pages(doc: Document, pages: list[str]) -> tuple[tuple[str, int], ...]:
    """(bookmark, page number) for every heading found; the search for each starts on the
    page where the previous heading was found, after the contents page."""
    keys = [_key(p) for p in pages]
    start = next((i for i, k in enumerate(keys) if "agreedterms" in k), 0)
    found: list[tuple[str, int]] = []
    for mark, text in toc_targets(doc):
        want = _key(text)
        for i in range(start, len(keys)):
            if want in keys[i]:
                found.append((mark, i + 1))
                start = i
                break
    return tuple(found)


def laid_out(doc: Document, options: DocxOptions) -> tuple[bytes, bytes]:
    """The .docx with TOC page numbers from one LibreOffice layout, and its final PDF."""
    from dataclasses import replace

    from ..pdf import docx_to_pdf, page_texts

    name = str(doc.deal.get("id") or "draft")
    first = render_docx(doc, options=options)
    pages = toc_pages(doc, page_texts(docx_to_pdf(first, name)))
    final = render_docx(doc, options=replace(options, toc_pages=pages))
    return final, docx_to_pdf(final, name)
