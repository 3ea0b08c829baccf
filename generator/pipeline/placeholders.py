"""`draft --placeholders`: a deal-supplied figure the deal does not state prints as a visible
bracketed placeholder ("[●Fixed Monthly Fee — to be agreed]") instead of failing the draft.

Where a figure prints is found as figures.py finds whether it prints: the clause is rendered
again with the figure changed, and the words that change are the figure (with its currency
code, or its "thirty (30)" words). A figure the template computes with is caught the same way,
since the computed amount changes too. Every placeholder is reported by `clausebook lint` on
the draft and recorded in the manifest: a draft with placeholders is never silently clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher
from typing import Any

from ..model import Document, Para, Parameter, RenderedClause, Run, Table

# One form everywhere: the bullet marks it as drafting text, the words say what is missing.
PLACEHOLDER_RX = re.compile(r"\[●(?P<what>[^\[\]\n]{1,120}?) — to be agreed\]")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_CURRENCY = re.compile(r"\b[A-Z]{3} $")

Span = tuple[int, int]


def placeholder(p: Parameter) -> str:
    """'[●Fixed Monthly Fee — to be agreed]' for parameter fixed_monthly_fee."""
    return f"[●{p.name.replace('_', ' ').title()} — to be agreed]"


def figure_spans(baseline: str, changed: str, value: Any) -> list[Span]:
    """Where ``baseline`` prints the figure that ``changed`` prints differently."""
    a = _TOKEN.findall(baseline)
    b = _TOKEN.findall(changed)
    offsets = [0]
    for tok in a:
        offsets.append(offsets[-1] + len(tok))
    leaves = sorted(_text_leaves(value), key=len, reverse=True)
    spans: list[Span] = []
    for tag, i1, i2, _, _ in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start, end = offsets[i1], offsets[i2]
        if start == end:  # only inserted: a text value with something added, or a longer word
            start = end = len(baseline[:start].rstrip())
            start = next((start - len(x) for x in leaves if baseline.endswith(x, 0, start)), start)
        span = _widen(baseline, start, end)
        if span[0] < span[1]:
            spans.append(span)
    return _joined(baseline, spans)


def _text_leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str) and value.strip():
        yield value
    elif isinstance(value, list):
        for x in value:
            yield from _text_leaves(x)
    elif isinstance(value, dict):
        for x in value.values():
            yield from _text_leaves(x)


def _wordish(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()


def _widen(text: str, start: int, end: int) -> Span:
    """A changed part of a word or number grows to the whole: '10,[007]' is '10,007'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while _wordish(text, start - 1) or (
        start >= 2
        and text[start - 1] in ",.-"
        and _wordish(text, start - 2)
        and _wordish(text, start)
    ):
        start -= 1
    while (
        _wordish(text, end)
        or text[end : end + 1] == "%"
        or (
            text[end : end + 1] in (",", ".", "-")
            and _wordish(text, end + 1)
            and _wordish(text, end - 1)
        )
    ):
        end += 1
    if start < end and _CURRENCY.search(text, max(0, start - 4), start):
        start -= 4
    return start, end


def _joined(text: str, spans: list[Span]) -> list[Span]:
    """Overlapping spans as one; 'thirty (30)' (words and digits) as one."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        elif out and text[out[-1][1] : a] == " (" and text[b : b + 1] == ")":
            out[-1] = (out[-1][0], b + 1)
        else:
            out.append((a, b))
    return out


def filled(text: str, marks: Sequence[tuple[Span, str]]) -> str:
    """``text`` with each span replaced by its placeholder; a span overlapping an earlier one
    is already inside that placeholder."""
    out: list[str] = []
    pos = 0
    for (a, b), mark in sorted(marks):
        if a < pos:
            continue
        out += [text[pos:a], mark]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def document_placeholders(doc: Document) -> list[tuple[str, str]]:
    """(clause id, what is to be agreed) for every placeholder in the draft, in reading order."""
    clauses = [c for a in doc.articles for c in a.clauses] + list(doc.schedules)
    out: list[tuple[str, str]] = []
    for c in clauses:
        for text in _texts(c):
            out += [(c.id, m.group("what")) for m in PLACEHOLDER_RX.finditer(text)]
    if not any(c.id == "definitions" for c in clauses):  # else they are that clause's blocks
        for _, runs in doc.definitions:
            found = PLACEHOLDER_RX.finditer(_joined_runs(runs))
            out += [("definitions", m.group("what")) for m in found]
    return out


def _texts(c: RenderedClause) -> Iterator[str]:
    for b in c.blocks:
        if isinstance(b, Para):
            yield _joined_runs(b.runs)
        elif isinstance(b, Table):
            for row in (b.header, *b.rows):
                yield from (_joined_runs(cell) for cell in row)


def _joined_runs(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)
