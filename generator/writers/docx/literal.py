"""Literal numbering: each heading and numbered paragraph prints its own number as text.

Word's list numbering counts: it cannot print "5.5A" between 5.5 and 5.6, and it would renumber
everything after an inserted clause. A conformed copy or redline of an amendment keeps the signed
numbers (inserted clauses get a letter), so there the writer prints the number the document
model carries, in the same heading styles, with the same indents and a tab after the number as
the numbered draft has. The styles' own numbering is switched off per paragraph (numId 0).

A cross-reference then cannot be a ``REF \\w`` field (it reads the list number, which is gone):
it is an internal hyperlink to the clause's bookmark with the number as its text, so it still
jumps to the clause and no field update can change it.
"""

from __future__ import annotations

from . import ooxml as x

NO_LIST = (0, 0)  # numId 0: no numbering, overriding the Heading style's linked list
HANG = 720  # the number hangs in 1.27 cm before the text, as in ooxml.numbering_xml

# Left indent per (list, level), as ooxml.numbering_xml sets them for the numbered draft.
_LEFT = {
    x.LEGAL_NUM: (720, 720, 1440, 2160, 2880, 3600),
    x.SCHEDULE_NUM: (0, 720, 1440, 2160, 2880),
}


def left(num: tuple[int, int]) -> int:
    lefts = _LEFT[num[0]]
    return lefts[min(num[1], len(lefts) - 1)]


def number_run(number: str, bold: bool = False) -> str:
    """The number and the tab that takes the text to the indent."""
    return x.text_run(number, bold=bold) + "<w:r><w:tab/></w:r>"


def heading_number(num: tuple[int, int], number: str) -> str:
    """'5.' for an article, '5.5A' for a clause, 'Schedule 3' for a schedule (no tab: the
    schedule's title follows on the next line)."""
    if num[0] == x.SCHEDULE_NUM:
        return x.text_run(f"Schedule {number}", bold=True)
    return number_run(f"{number}." if num[1] == 0 else number, bold=True)


def link(bookmark: str, text: str, bold: bool = False) -> str:
    """A cross-reference as a hyperlink to the bookmark, the number as printed."""
    return (
        f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{x.text_run(text, bold)}</w:hyperlink>'
    )
