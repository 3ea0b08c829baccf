"""inconsistent-quantity: within one draft, the same quantity stated twice with different values
("the Service Credit Cap of 12%" in one clause, "the Service Credit Cap of 15%" in another; "a
cure period of thirty (30) days" and "a cure period of twenty (20) days").

The key is narrow so that a finding is worth reading: a defined term (two to five capitalised
words) or a "<noun> period", then a binding word ("of", "is", "means", "equal to", "shall be"),
at most an article and "period of", and the quantity itself: a percentage, an amount in a
currency, or a number of days, Business Days, weeks, months or years. Two statements share a
key when the term and the kind of quantity are the same; the first statement in the draft is
the one the others are measured against.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ....errors import Diagnostic
from ..clausefile import Finding
from ..config import Context
from ..drafts import DraftFile

# Words that start a sentence or a phrase and are capitalised for that reason only.
_LEADING = frozenset(
    [
        "The",
        "A",
        "An",
        "Each",
        "Any",
        "Every",
        "If",
        "Where",
        "When",
        "No",
        "This",
        "That",
        "Such",
        "Its",
        "Their",
    ]
)
_TERM = r"(?P<term>(?<![A-Za-z])(?:[A-Z][a-z]+ ){1,4}[A-Z][a-z]+|(?<![A-Za-z])[a-z]{3,} period)"
_BIND = (
    r"”?\s+(?:of|is|means|equals|equal to|shall be|shall not exceed(?: in total)?)\s+"
    r"(?:(?:the|a|an|each) )?(?:period of )?"
)
# "the At-Risk Amount for a Measurement Period is 15%": the term after a preposition is not
# what the number measures.
_OBJECT = re.compile(
    r"\b(?:for|in|of|during|to|by|under|within|after|before|from|on|per)(?: (?:a|an|the|each|any|that|every))? ?$"
)
_NUMBER = r"(?:[a-z]+(?:[- ][a-z]+){0,3} \()?(?P<n>\d[\d,]*(?:\.\d+)?)\)?"
_UNIT = r"(?P<unit>(?:Business |business )?(?:day|week|month|year)s?)\b"
_QUANTITY = (
    rf"(?:(?P<cur>[A-Z]{{3}}) (?P<money>\d[\d,]*(?:\.\d+)?)|(?P<pct>\d+(?:\.\d+)?)%"
    rf"|{_NUMBER} {_UNIT})"
)
_STATED = re.compile(_TERM + _BIND + _QUANTITY)
# Generic phrases that name no one quantity: "any period of", "a period of".
_GENERIC = frozenset({"any period", "the period", "each period", "that period", "this period"})

IDS = ("inconsistent-quantity",)


@dataclass(frozen=True)
class Stated:
    term: str
    kind: str  # "%", a currency code, or a time unit
    value: str  # the number as written, without thousands separators
    line: int
    col: int
    shown: str  # the words as they stand in the draft


def statements(draft: DraftFile) -> Iterator[Stated]:
    for line, text in draft.text_lines():
        for m in _STATED.finditer(text):
            term = _term(m.group("term"))
            if term is None or _OBJECT.search(text, 0, m.start("term")):
                continue
            kind, value = _quantity(m)
            start = m.start("term") + m.group("term").find(term)
            shown = " ".join(text[start : m.end()].replace("”", "").split())
            yield Stated(term, kind, value.replace(",", ""), line, start + 1, shown)


def _term(raw: str) -> str | None:
    words = raw.split()
    while words and words[0] in _LEADING:
        words = words[1:]
    if len(words) < 2 or " ".join(words).lower() in _GENERIC:
        return None
    return " ".join(words)


def _quantity(m: re.Match[str]) -> tuple[str, str]:
    if m.group("cur"):
        return m.group("cur"), m.group("money")
    if m.group("pct"):
        return "%", m.group("pct")
    unit = m.group("unit").lower().removesuffix("s")
    return unit, m.group("n")


def check(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for draft in (d for d in ctx.drafts if not d.manifest):
        first: dict[tuple[str, str], Stated] = {}
        for s in statements(draft):
            key = (s.term.casefold(), s.kind)
            seen = first.setdefault(key, s)
            if seen.value == s.value:
                continue
            message = (
                f"'{s.shown}' here, but '{seen.shown}' at line {seen.line}: the same quantity "
                "with two values (one fact, one parameter)"
            )
            diag = Diagnostic(draft.path, s.line, s.col, "inconsistent-quantity", message)
            out.append(Finding(diag, s.line))
    return out
