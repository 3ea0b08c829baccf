"""Page set-up that follows the deal: paper size, proofing language, sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

US_LAWS = ("new-york", "delaware")


@dataclass(frozen=True)
class Page:
    """One paper size in twentieths of a point, with 2.54 cm margins all round."""

    name: str
    width: int
    height: int
    margin: int = 1440

    @property
    def text_w(self) -> int:
        return self.width - 2 * self.margin

    @property
    def landscape_text_w(self) -> int:
        return self.height - 2 * self.margin


A4 = Page("A4", 11906, 16838)
LETTER = Page("Letter", 12240, 15840)


def _document(deal: dict[str, Any]) -> dict[str, Any]:
    doc = deal.get("document")
    return doc if isinstance(doc, dict) else {}


def _us(deal: dict[str, Any]) -> bool:
    return deal.get("governing_law") in US_LAWS


def page_for(deal: dict[str, Any]) -> Page:
    """Letter for US-law deals, A4 for the rest, unless the deal's document.paper says."""
    paper = _document(deal).get("paper")
    if paper is None:
        return LETTER if _us(deal) else A4
    return LETTER if paper == "Letter" else A4


def language_for(deal: dict[str, Any]) -> str:
    """The proofing language: en-US for US-law deals, en-GB otherwise, unless overridden."""
    return str(_document(deal).get("language") or ("en-US" if _us(deal) else "en-GB"))


def execution_for(deal: dict[str, Any]) -> str:
    """'hand' (signed under hand) or 'deed' (executed as a deed, with a witness)."""
    return str(_document(deal).get("execution") or "hand")


def reference_for(deal: dict[str, Any]) -> str:
    """The document reference printed in the footer: the deal's own, else its id."""
    return str(_document(deal).get("reference") or deal.get("id") or "")


def section_xml(page: Page, landscape: bool = False, first: bool = False, refs: str = "") -> str:
    """One section's page set-up; titlePg (a cover without header or footer) only on the first.

    ``refs`` holds the header and footer references: every section names them itself, so no
    section depends on inheritance (a spliced body, as the redline's, loses what it inherits)."""
    w, h = (page.height, page.width) if landscape else (page.width, page.height)
    orient = ' w:orient="landscape"' if landscape else ""
    m = page.margin
    return (
        f'<w:sectPr>{refs}<w:pgSz w:w="{w}" w:h="{h}"{orient}/>'
        f'<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" '
        f'w:header="708" w:footer="708" w:gutter="0"/>{"<w:titlePg/>" if first else ""}</w:sectPr>'
    )
