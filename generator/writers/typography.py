"""Typographic quotes and apostrophes, and defined terms in bold quotes, for both writers.

Only text the reader sees goes through here: field codes (REF, TOC, PAGEREF) are built
elsewhere and keep their straight quotes, as Word requires."""

from __future__ import annotations

import re
from collections.abc import Iterator

_OPEN_BEFORE = " \t\n([{\u2014\u2013-/\u00a0"  # a quote after these opens; elsewhere it closes
_TERM = re.compile(r"(?<=\()(?:[a-z]+ ){0,3}(\u201c[A-Z0-9][^\u201c\u201d]{0,80}\u201d)")


_QUOTE = re.compile("[\"']")
_OPENED = {'"': "\u201c", "'": "\u2018"}
_CLOSED = {'"': "\u201d", "'": "\u2019"}


def smart_quotes(text: str, before: str = "") -> str:
    """Straight quotes and apostrophes as typographic ones; ``before`` is the character that
    precedes ``text`` (the end of the previous run), so a run boundary does not flip a quote.

    A quote opens at the start (with nothing before it) or after a space, bracket or dash, and
    closes anywhere else; the character before a quote is judged as written, since a converted
    quote is no opener either. Most runs have no quote at all: they are returned as they are."""
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    at = 0
    for m in _QUOTE.finditer(text):
        i = m.start()
        prev = text[i - 1] if i else before[-1:]
        ch = m.group(0)
        out.append(text[at:i])
        out.append(_OPENED[ch] if prev == "" or prev in _OPEN_BEFORE else _CLOSED[ch])
        at = i + 1
    out.append(text[at:])
    return "".join(out)


def term_segments(text: str) -> Iterator[tuple[str, bool]]:
    """Split text at defined terms given in parentheses, '(the \u201cServices\u201d)':
    (segment, is_term) pairs, so the writer can set each term in bold."""
    at = 0
    for m in _TERM.finditer(text):
        start, end = m.span(1)
        if start > at:
            yield text[at:start], False
        yield text[start:end], True
        at = end
    if at < len(text):
        yield text[at:], False
