"""The execution page: one signature block per party, under hand or as a deed.

Each block is a run of paragraphs kept together (keep-with-next on all but the last, keep
lines on all), so no block is ever split across pages; the signature lines stand alone with
room above them to sign, as a signing page is printed and signed by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..attestation import attestation
from . import ooxml as x

SIGN_ROOM = 960  # twips of blank space above a signature line: about 1.7 cm to sign in
LINE_W = 4500  # width of a signature line, in twips (about 8 cm)
EXECUTION_BOOKMARK = "_Toc_execution"


def _p(runs: str, last: bool = False, before: int | None = None, rule: int | None = None) -> str:
    """One paragraph of a block; ``rule`` draws a signature line ending that far from the right."""
    ppr = "" if last else "<w:keepNext/>"
    ppr += "<w:keepLines/>"
    if rule is not None:  # a signature line: a bottom border on a short paragraph
        ppr += '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    spacing = f' w:before="{before}"' if before is not None else ""
    ppr += f'<w:spacing{spacing} w:after="{0 if rule is not None else 60}"/>'
    if rule is not None:
        ppr += f'<w:ind w:left="0" w:right="{rule}"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"


def _line(label: str, text_w: int, last: bool = False) -> str:
    """Room to sign, a line, and its label under it ("Signature", "Witness signature")."""
    return _p("", before=SIGN_ROOM, rule=max(text_w - LINE_W, 0)) + _p(
        x.text_run(label, italic=True), last=last
    )


def _field(label: str, value: str, last: bool = False) -> str:
    filler = value or "\u2026" * 20  # dotted space to write a name or date in
    return _p(x.text_run(f"{label}: ") + x.text_run(filler), last=last)


def hand_block(party: str, person: str, title: str, text_w: int) -> str:
    """'Signed by NAME, TITLE, for and on behalf of PARTY', a line to sign, name, title, date."""
    who = person.upper() if person else "\u2026" * 20
    role = f", {title}" if title else ""
    lead = (
        x.text_run("Signed by ")
        + x.text_run(who, bold=True)
        + x.text_run(f"{role}, for and on behalf of ")
        + x.text_run(party.upper(), bold=True)
    )
    return (
        _p(lead, before=360)
        + _line("Signature", text_w)
        + _field("Name", person)
        + _field("Title", title)
        + _field("Date", "", last=True)
    )


def deed_block(party: str, person: str, title: str, text_w: int) -> str:
    """Executed as a deed by a company acting by one director in the presence of a witness."""
    who = person.upper() if person else "\u2026" * 20
    lead = (
        x.text_run("Executed as a deed by ")
        + x.text_run(party.upper(), bold=True)
        + x.text_run(" acting by ")
        + x.text_run(who, bold=True)
        + x.text_run(", a director, in the presence of a witness:")
    )
    return (
        _p(lead, before=360)
        + _line("Signature of director", text_w)
        + _field("Name", person)
        + _field("Title", title)
        + _line("Signature of witness", text_w)
        + _field("Witness name", "")
        + _field("Witness address", "")
        + _field("Witness occupation", "", last=True)
    )


def execution_page(
    signatories: tuple[tuple[str, str, str, str], ...],
    text_w: int,
    deed: bool,
    deal: Mapping[str, Any] | None = None,
) -> str:
    """The heading on a new page, the attestation sentence ("This Agreement …", "This
    Statement of Work …": the deal's document kind), then one block per party."""
    heading = x.bookmark(9999, EXECUTION_BOOKMARK, x.text_run("Execution"))
    intro = attestation(deal or {}, deed)
    out = [
        # Heading 1 carries the article numbering; the execution heading has none
        x.para(heading, style="Heading1", num=(0, 0), keep_next=True, page_break_before=True),
        x.para(x.text_run(intro), keep_next=True),
    ]
    block = deed_block if deed else hand_block
    out.extend(block(name, person, title, text_w) for _role, name, person, title in signatories)
    return "".join(out)
