"""Drafting notes and negotiation guidance as Word comments, for an internal copy."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ...model import Document
from ..typography import smart_quotes
from . import ooxml as x
from .names import bookmark_name

_IDENT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _words(text: str) -> str:
    return smart_quotes(_IDENT.sub(lambda m: m.group(0).replace("_", " "), text.strip()))


def comments(d: Any, doc: Document, when: dt.datetime) -> None:
    """Each variant's drafting notes and negotiation guidance, anchored on its clause heading."""
    targets = {bookmark_name(c.id): c for a in doc.articles for c in a.clauses}
    targets.update({bookmark_name(s.id): s for s in doc.schedules})
    from docx.text.paragraph import Paragraph

    # d.paragraphs holds only the body's own paragraphs: a clause's sit in its content control.
    for el in d.element.body.iter(f"{{{x.W_NS}}}p"):
        p = Paragraph(el, d._body)
        marks = el.findall(f"{{{x.W_NS}}}bookmarkStart")
        if not marks or not p.runs:
            continue
        c = targets.get(marks[0].get(f"{{{x.W_NS}}}name"))
        if c is None:
            continue
        # for the negotiating team, not the library's maintainers: no variant ids or
        # parameter names ("cap_percent" reads "cap percent")
        text = f"Drafting notes: {_words(c.notes)}\nNegotiation guidance: {_words(c.guidance)}"
        comment = d.add_comment(p.runs, text=text, author="Clausebook", initials="CB")
        comment._comment_elm.date = when
