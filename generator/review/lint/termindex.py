"""Every form of every defined term, found word by word."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def term_forms(term: str) -> list[str]:
    forms = [term, term + "s", term + "'s", term + "\u2019s", term + "s'"]
    if term.endswith("y") and len(term) > 1 and term[-2] not in "aeiou":
        forms.append(term[:-1] + "ies")
    # A term defined in the plural is used in the singular too: "Excluded Service".
    if term.endswith("ies"):
        forms.append(term[:-3] + "y")
    elif term.endswith("ria"):
        forms.append(term[:-1] + "on")  # Criteria -> Criterion
    elif term.endswith("s") and not term.endswith("ss"):
        forms += [term[:-1], term[:-1] + "'s", term[:-1] + "\u2019s"]
    return forms


WORD_AT = re.compile(r"(?<![\w-])[A-Za-z0-9][\w'\u2019-]*")


@dataclass(frozen=True)
class TermIndex:
    """Every form of every known term, found word by word (a dict lookup per capitalised
    word, where one regex alternation of a thousand terms took seconds)."""

    by_first: dict[str, tuple[tuple[str, str], ...]]  # first word -> (form, term), longest first

    def finditer(self, text: str) -> Iterable[tuple[str, int, int]]:
        pos = 0
        for m in WORD_AT.finditer(text):
            if m.start() < pos:
                continue
            for form, term in self.by_first.get(m.group(), ()):
                end = m.start() + len(form)
                if text.startswith(form, m.start()) and not (
                    end < len(text) and (text[end].isalnum() or text[end] in "_-")
                ):
                    yield term, m.start(), end
                    pos = end
                    break


def term_index(terms: Iterable[str]) -> TermIndex:
    canon: dict[str, str] = {}
    for t in sorted(set(terms), key=len):
        for f in term_forms(t):
            canon.setdefault(f, t)
    by_first: dict[str, list[tuple[str, str]]] = {}
    for form, term in canon.items():
        first = WORD_AT.match(form)
        if first is not None:
            by_first.setdefault(first.group(), []).append((form, term))
    return TermIndex({k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in by_first.items()})
