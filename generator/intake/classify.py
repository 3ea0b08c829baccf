"""What each returned change means: a parameter or variant the library knows (found by drafting
the deal again with it and comparing the text exactly), or language the library does not know;
and where that lands on the CoE's ladder.

Nothing is guessed: a change is called "service-credits.cap_percent: 18 → 12" only when the
deal drafted with ``cap_percent: 12`` prints exactly the returned text of that clause.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ClausebookError
from ..model import (
    Deal,
    Document,
    Library,
    Para,
    RenderedClause,
    Selection,
    Table,
    show,
    step_name,
)
from ..pipeline.render import render_document
from ..pipeline.select import select
from ..playbook.check import check_deal
from ..textdiff import word_ops
from .align import norm

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
MAX_ROUNDS = 3  # parameters changed at once in one clause that intake will try to explain


@dataclass(frozen=True)
class Explained:
    """A returned clause reproduced exactly by the deal with these overrides and variant."""

    overrides: dict[str, Any] = field(default_factory=dict)
    variant: str | None = None


@dataclass(frozen=True)
class Placement:
    status: str  # "within authority" | "needs approval" | "past walk-away" | "no position"
    step: str  # "Fallback 1 (12% cap)", or "" when there is no ladder
    approvers: tuple[str, ...]
    guidance: str
    where: str  # playbook file:line of the step, or of the position


def clause_text(rc: RenderedClause) -> str:
    """A rendered clause's words as a Word file shows them: title, paragraphs, table cells."""
    parts = [rc.title]
    for b in rc.blocks:
        if isinstance(b, Para):
            parts.append("".join(r.text for r in b.runs))
        elif isinstance(b, Table):
            for row in (b.header, *b.rows):
                parts.extend("".join(r.text for r in cell) for cell in row)
    return norm(" ".join(parts))


def rendered(doc: Document) -> dict[str, RenderedClause]:
    out = {c.id: c for a in doc.articles for c in a.clauses}
    out.update({s.id: s for s in doc.schedules})
    return out


class Redrafter:
    """The deal drafted again with changes, cached: each candidate is drafted once."""

    def __init__(self, lib: Library, deal: Deal) -> None:
        self.lib = lib
        self.deal = deal
        self.cache: dict[str, tuple[Selection, dict[str, str]] | None] = {}

    def patched(self, cid: str, ex: Explained) -> Deal:
        data = copy.deepcopy(self.deal.data)
        if ex.overrides:
            over = data.setdefault("overrides", {}) or {}
            data["overrides"] = over
            over.setdefault(cid, {})
            over[cid] = {**(over[cid] or {}), **ex.overrides}
        if ex.variant:
            data["variants"] = {**(data.get("variants") or {}), cid: ex.variant}
        return Deal(self.deal.id, self.deal.name, data, self.deal.source)

    def texts(self, cid: str, ex: Explained) -> tuple[Selection, dict[str, str]] | None:
        key = repr((cid, sorted(ex.overrides.items()), ex.variant))
        if key not in self.cache:
            try:
                sel = select(self.lib, self.patched(cid, ex))
                doc = render_document(sel)
                self.cache[key] = (sel, {k: clause_text(v) for k, v in rendered(doc).items()})
            except ClausebookError:  # out of bounds, a variant for another maturity...
                self.cache[key] = None
        return self.cache[key]


def _distance(a: str, b: str) -> int:
    return sum(len(t.split()) or 1 for op, t in word_ops(a, b) if op != "=")


def _candidates(sel: Selection, cid: str, sent: str, after: str) -> Iterator[Explained]:
    s = next(x for x in sel.all() if x.clause.id == cid)
    added = " ".join(t for op, t in word_ops(sent, after) if op == "+")
    numbers = []
    for m in _NUMBER.findall(added):
        n = m.replace(",", "")
        numbers.append(float(n) if "." in n else int(n))
    for v in s.values:
        value = v.value
        if isinstance(value, bool):
            yield Explained({v.name: not value})
        elif isinstance(value, int | float):
            for n in dict.fromkeys(numbers):
                if n != value:
                    yield Explained({v.name: n})
        elif isinstance(value, str):
            p = next((p for p in s.clause.parameters if p.name == v.name), None)
            for choice in p.choices if p else ():
                if choice != value:
                    yield Explained({v.name: choice})
    for variant in s.clause.variants:
        if variant.id != s.variant.id and not variant.deprecated:
            yield Explained(variant=variant.id)


def explain(
    rd: Redrafter, sel: Selection, cid: str, sent: str, after: str
) -> tuple[Explained | None, bool]:
    """The smallest set of overrides (and variant) that drafts exactly ``after`` (exact=True);
    failing that, the set that explains the most of it (exact=False), or None."""
    best = Explained()
    current_sel, current = sel, sent
    for _ in range(MAX_ROUNDS):
        scored: list[tuple[int, Explained, Selection, str]] = []
        for cand in _candidates(current_sel, cid, current, after):
            trial = Explained({**best.overrides, **cand.overrides}, cand.variant or best.variant)
            got = rd.texts(cid, trial)
            if got is None or cid not in got[1]:
                continue
            text = got[1][cid]
            if text == after:
                return trial, True
            scored.append((_distance(text, after), trial, got[0], text))
        scored.sort(key=lambda t: t[0])
        if not scored or scored[0][0] >= _distance(current, after):
            break
        _, best, current_sel, current = scored[0]
    return (best if best.overrides or best.variant else None), False


def describe(sel: Selection, cid: str, ex: Explained) -> str:
    s = next(x for x in sel.all() if x.clause.id == cid)
    was = {v.name: v.value for v in s.values}
    parts = [f"{cid}.{k}: {show(was.get(k))} \u2192 {show(v)}" for k, v in ex.overrides.items()]
    if ex.variant:
        parts.insert(0, f"{cid}: variant {s.variant.id} \u2192 {ex.variant}")
    return "; ".join(parts)


def place(sel: Selection, cid: str) -> Placement:
    """Where the clause as drafted in ``sel`` sits on its ladder, and who must approve it."""
    check = check_deal(sel)
    src = check.positions.source
    f = next((x for x in check.findings if x.clause == cid), None)
    if f is None:
        owner = next(x.clause.owner for x in sel.all() if x.clause.id == cid)
        return Placement("no position", "", (owner,), "", "")
    step = f.step or f.position.steps[-1]
    label = f"{step_name(step.key)} ({step.label})" if step.label else step_name(step.key)
    where = src.at(step.pointer)
    if f.status == "past walk-away":
        return Placement("past walk-away", f"beyond {label}", step.approvers, step.guidance, where)
    if f.status in ("preferred", "approved"):
        return Placement("within authority", label, (), step.guidance, where)
    return Placement("needs approval", label, step.approvers, step.guidance, where)


def values_of(sel: Selection, cid: str) -> Mapping[str, Any]:
    s = next(x for x in sel.all() if x.clause.id == cid)
    return {v.name: v.value for v in s.values}
