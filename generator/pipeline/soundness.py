"""Checks on the rendered text of a draft that no template check can make: what a lawyer would
strike through on first reading. Each is an error of `validate` and `draft`, pointing at the
clause file and the line of its text.

- `placeholder`: bracketed drafting text ("[Legal name of ...]") left in the contract.
- `literal-condition`: a condition the deal answers printed as words ("... if Leeds is outside
  the United Kingdom"): the template should have decided it.
- `zero-amount`: "the greater of 150% of the Charges and USD 0": a zero floor or fee printed
  as a figure; the template should leave the item out.
- `schedule-content`: "the X set out in Schedule N" (or "Part B of Schedule N") where Schedule N
  says nothing about X. The test is lexical: every content word of X must occur in the
  schedule's text; words that carry no subject matter are in GENERIC below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic
from ..model import Deal, Selected

REF_OPEN, REF_CLOSE = "\ue000", "\ue001"  # as render.py marks a cross-reference

# Drafting text in brackets: a word, a blank or a bullet inside, no nesting ("[Legal name of
# ...]", "[●]", "[____]"); a stray bracket in hostile Markdown is not a placeholder.
# "[text](target)" is a Markdown link, not a placeholder.
# "[●Name of the Supplier]" too; "[●Fixed Monthly Fee — to be agreed]" is `draft --placeholders`'
# own mark (placeholders.py), which lint and the manifest report instead.
_PLACEHOLDER = re.compile(
    r"\[(?!●[^\[\]\n]{1,120} — to be agreed\])"
    r"(?:[●•…_]+|[●•]?\s*[A-Za-z][^\[\]\n]{0,198}[A-Za-z.…\s])\](?!\()"
)
_CONDITION = re.compile(
    r"\b(?:if|where|unless|when) (?P<x>[A-Z][\w .'’&-]{1,80}?) is (?:not )?"
    r"(?:outside|inside|within|in|located in|based in)\b"
)
# A money filter's output for zero ("USD 0"), not followed by decimals ("USD 0.42").
_ZERO_AMOUNT = re.compile(r"\b[A-Z]{3} 0(?![.,]?\d)")
_VERBS = r"(?:set out|stated|forecast|listed|named|specified|shown|described)"
_VERB_WORDS = _VERBS[3:-1].split("|")  # one of them is in every text _SET_OUT matches
_TARGET = rf"in (?:Part (?P<part>[A-Z]) of )?{REF_OPEN}(?P<id>[a-z0-9-]+){REF_CLOSE}"
_SET_OUT = re.compile(
    rf"(?P<what>(?:[\w'’-]+ ){{1,6}}?){_VERBS}(?P<q> for [\w'’ -]{{1,40}}?)? {_TARGET}"
)
_PRICED = re.compile(
    rf"\b(?:rates?|prices?|charges?|fees?) for (?P<what>[\w'’ -]{{3,40}}?) {_TARGET}"
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "and",
        "or",
        "in",
        "on",
        "at",
        "by",
        "with",
        "as",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "those",
        "these",
        "each",
        "every",
        "any",
        "all",
        "other",
        "such",
        "same",
        "which",
        "who",
        "whom",
        "from",
        "into",
        "under",
        "than",
        "then",
        "there",
        "their",
        "per",
        "only",
        "least",
        "expressly",
        "including",
        "include",
        "includes",
        "included",
        "so",
        "named",
        "set",
        "out",
        "stated",
        "listed",
        "shown",
        "described",
        "specified",
        "forecast",
        "means",
        "mean",
        "shall",
        "may",
        "must",
        "not",
        "no",
    ]
)
# Words that say how a reference is made, not what it refers to.
GENERIC = frozenset(
    ["engage", "content", "favour", "standard", "timing", "applied", "part", "form", "meet"]
    + ["contain", "signed", "note"]
)


@dataclass(frozen=True)
class Rendered:
    """One rendered text of a selected clause: its variant text or one of its definitions."""

    selected: Selected
    text: str  # after Jinja, cross-references still marked
    source: str  # the template, for finding the line
    pointer: tuple[str | int, ...]


def problems(
    items: Sequence[Rendered], schedules: Mapping[str, str], deal: Deal
) -> list[Diagnostic]:
    """Every problem of the rendered texts; ``schedules`` maps a schedule's id to its text."""
    facts = set(_strings(deal.data))
    drafting = f" (drafting {deal.source.path})"
    out: list[Diagnostic] = []
    for r in items:
        for m in _PLACEHOLDER.finditer(r.text):
            msg = f"placeholder {m.group(0)} left in the draft: the deal or the clause must say it"
            out.append(_at(r, m.group(0), "placeholder", msg, drafting))
        for m in _CONDITION.finditer(r.text):
            if m.group("x").strip() in facts:
                msg = (
                    f"'{m.group(0)}' prints a condition the deal answers "
                    f"('{m.group('x')}' is a deal value): decide it in the template"
                )
                out.append(_at(r, m.group(0), "literal-condition", msg, drafting))
        for m in _ZERO_AMOUNT.finditer(r.text):
            msg = (
                f"'{m.group(0)}' prints a zero amount as if it were a figure: "
                "leave the item out when the amount is zero"
            )
            out.append(_at(r, m.group(0), "zero-amount", msg, drafting))
        for m, missing in _schedule_gaps(r.text, schedules):
            target = _plain(REF_OPEN + m.group("id") + REF_CLOSE)
            msg = f"'{_plain(m.group(0))}': {target} has no {', '.join(missing)}"
            out.append(_at(r, m.group(0), "schedule-content", msg, drafting))
    return sorted(set(out))


def _schedule_gaps(
    text: str, schedules: Mapping[str, str]
) -> Iterator[tuple[re.Match[str], list[str]]]:
    seen: set[int] = set()  # both patterns can find the same reference: report it once
    # Neither pattern spans a line and both end in a cross-reference: only the lines with one
    # (and, for _SET_OUT, a verb) are scanned, the same matches in the same order (scanning
    # every word of a 40k-word draft took a third of its time).
    lines, at = [], 0
    for line in text.split("\n"):
        if REF_OPEN in line:
            lines.append((at, line, any(v in line for v in _VERB_WORDS)))
        at += len(line) + 1
    for rx in (_SET_OUT, _PRICED):
        for m, end in _line_matches(rx, lines):
            target = schedules.get(m.group("id"))
            if target is None or end in seen or " except as " in f" {m.group('what')}":
                continue
            body = target.lower()
            phrase = m.group("what") + (m.groupdict().get("q") or "")
            missing = [
                w
                for w in re.findall(r"[A-Za-z]+", phrase)
                if w.lower() not in _STOP
                and w.lower() not in GENERIC
                and len(w) > 2
                and w.lower()[:5] not in body
            ]
            part = m.group("part")
            if part and f"**part {part.lower()}" not in body:
                missing.append(f"Part {part}")
            if missing:
                seen.add(end)
                yield m, missing


def _line_matches(
    rx: re.Pattern[str], lines: list[tuple[int, str, bool]]
) -> Iterator[tuple[re.Match[str], int]]:
    """Each match of ``rx`` in the given lines, with its end in the whole text."""
    for start, line, verb in lines:
        if verb or rx is _PRICED:
            for m in rx.finditer(line):
                yield m, start + m.end()


def _plain(text: str) -> str:
    return re.sub(f"{REF_OPEN}([a-z0-9-]+){REF_CLOSE}", r"ref('\1')", text)


def _at(r: Rendered, found: str, rule: str, message: str, drafting: str) -> Diagnostic:
    src = r.selected.clause.source
    line, col = src.where(r.pointer)
    offset = _line_in(r.source, found)
    if offset is not None:
        line += offset  # counted as render errors count template lines
    return Diagnostic(src.path, line, col, rule, message + drafting)


def _line_in(source: str, found: str) -> int | None:
    """The line of the template most likely to hold ``found``: the one with most of its words."""
    words = [w for w in re.findall(r"[A-Za-z]{4,}", _plain(found)) if w.lower() not in _STOP]
    if not words:
        return None
    lines = source.splitlines()
    scores = [sum(w in ln for w in words) for ln in lines]
    best = max(range(len(lines)), key=lambda i: scores[i], default=None)
    return best if best is not None and scores[best] else None


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
