"""The agreement as it would stand after an amendment (the conformed copy), in signed numbering,
and what changed against the signed text, clause by clause."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ContentError, Diagnostic
from ..model import Block, Document, Library, Para, RenderedArticle, RenderedClause, Run, Selection
from ..pipeline.build import Gate
from .lock import Signed, clause_text
from .numbering import article_of, keep_signed_numbers

DELETED = "[Deleted]"


def fresh_document(
    lib: Library,
    deal_path: Path,
    signed: Signed,
    maturity: int | None = None,
    gate: Gate | None = None,
) -> tuple[Selection, Document]:
    """The deal drafted from today's library (at ``maturity``, else the signed one), numbered
    as the signed agreement is."""
    from ..pipeline.deal import load_deal
    from ..pipeline.files import deal_display
    from ..pipeline.render import render_document
    from ..pipeline.select import select

    deal = load_deal(lib, deal_path, deal_display(Path(lib.root), deal_path))
    level = maturity if maturity is not None else int(signed.document.deal["maturity"])
    deal = replace(deal, data={**deal.data, "maturity": level})
    selection = select(lib, deal)
    if gate is not None:
        refused = gate(selection)
        if refused:
            raise ContentError(refused)
    numbered = keep_signed_numbers(selection, {c.id: c.number for c in signed.clauses.values()})
    return numbered, render_document(numbered)


def deleted(c: RenderedClause) -> RenderedClause:
    """What stands in a signed clause's place once deleted: its number is never reused."""
    return replace(c, blocks=(Para((Run(DELETED),)),), notes="", guidance="")


def is_deleted(c: RenderedClause) -> bool:
    return (
        len(c.blocks) == 1 and isinstance(c.blocks[0], Para) and c.blocks[0].runs == (Run(DELETED),)
    )


def to_maturity(signed: Signed, fresh: Document) -> Document:
    """The conformed copy of a move to another maturity level: the fresh draft, with every signed
    clause it no longer has kept as "[Deleted]" where it stood."""
    have = {c.id for c in _clauses(fresh)}
    gone = [c for c in _clauses(signed.document) if c.id not in have]
    articles = list(fresh.articles)
    for c in (g for g in gone if g.kind != "schedule"):
        at = next((i for i, a in enumerate(articles) if a.number == article_of(c.number)), None)
        if at is None:
            articles.append(RenderedArticle(article_of(c.number), "[Deleted]", (deleted(c),)))
            continue
        a = articles[at]
        items = sorted((*a.clauses, deleted(c)), key=lambda x: _sort_key(x.number))
        articles[at] = replace(a, clauses=tuple(items))
    articles.sort(key=lambda a: _sort_key(a.number))
    schedules = sorted(
        (*fresh.schedules, *(deleted(c) for c in gone if c.kind == "schedule")),
        key=lambda s: _sort_key(s.number),
    )
    return replace(fresh, articles=tuple(articles), schedules=tuple(schedules))


def upgrade_only(signed: Signed, fresh: Document, ids: Collection[str]) -> Document:
    """The conformed copy of an upgrade: the signed agreement with only ``ids`` taken from
    today's library (a clause today's draft no longer has is deleted)."""
    now = {c.id: c for c in _clauses(fresh)}
    pick = {cid: now.get(cid) for cid in ids}

    def take(c: RenderedClause) -> RenderedClause:
        if c.id not in pick:
            return c
        new = pick[c.id]
        return deleted(c) if new is None else new

    base = signed.document
    articles = tuple(replace(a, clauses=tuple(take(c) for c in a.clauses)) for a in base.articles)
    doc = replace(base, articles=articles, schedules=tuple(take(s) for s in base.schedules))
    return _with_new_terms(doc, fresh, [c for c in pick.values() if c is not None])


def _with_new_terms(doc: Document, fresh: Document, upgraded: list[RenderedClause]) -> Document:
    """Terms today's definitions have that the signed agreement lacks and an upgraded clause
    uses: added to the definitions clause, so the conformed copy defines what it uses."""
    have = {t for t, _ in doc.definitions}
    words = " ".join("\n".join(clause_text(c)) for c in upgraded)
    extra = [(t, r) for t, r in fresh.definitions if t not in have and t in words]
    if not extra:
        return doc
    terms = sorted((*doc.definitions, *extra), key=lambda d: d[0].casefold())

    def defs(c: RenderedClause) -> RenderedClause:
        if c.id != "definitions":
            return c
        body = [b for b in c.blocks if not (isinstance(b, Para) and b.label == "definition")]
        paras = [Para(runs, label="definition") for _, runs in terms]
        return replace(c, blocks=(*body, *paras))

    articles = tuple(replace(a, clauses=tuple(defs(c) for c in a.clauses)) for a in doc.articles)
    return replace(doc, articles=articles, definitions=tuple(terms))


def check_references(doc: Document, shown: str) -> None:
    """Refuse a conformed copy in which a clause refers to one that is gone, naming both."""
    live = {c.id: c for c in _clauses(doc) if not is_deleted(c)}
    gone = {c.id: c for c in _clauses(doc) if is_deleted(c)}
    problems = []
    for target, g in gone.items():
        users = [c for c in live.values() if target in _refs(c.blocks)]
        if users:
            names = ", ".join(f"{_name(c)} ({c.id})" for c in users)
            problems.append(
                Diagnostic(
                    shown,
                    1,
                    1,
                    "amend-dangling",
                    f"this amendment would delete {_name(g)} ({target}), but {names} "
                    f"refer{'s' if len(users) == 1 else ''} to it; amend those too or keep it",
                )
            )
    if problems:
        raise ContentError(problems)


@dataclass(frozen=True)
class ClauseChange:
    """One clause (or schedule) the amendment touches."""

    kind: str  # "replaced" | "inserted" | "deleted"
    old: RenderedClause | None
    new: RenderedClause | None
    after: str | None = None  # number of the clause an inserted one follows


def changes(signed: Document, conformed: Document) -> list[ClauseChange]:
    """Every clause whose text differs, in the conformed copy's order (the definitions clause
    is compared without its definitions, which `definition_changes` lists one by one)."""
    old = {c.id: c for c in _clauses(signed)}
    out: list[ClauseChange] = []
    prev: dict[str, str | None] = {}
    for group in [list(a.clauses) for a in conformed.articles] + [list(conformed.schedules)]:
        last: str | None = None
        for c in group:
            prev[c.id] = last
            last = c.number
    for c in _clauses(conformed):
        o = old.get(c.id)
        if o is None:
            out.append(ClauseChange("inserted", None, c, prev.get(c.id)))
        elif is_deleted(c) and not is_deleted(o):
            out.append(ClauseChange("deleted", o, c))
        elif _body(o) != _body(c) or o.title != c.title:
            out.append(ClauseChange("replaced", o, c))
    return out


def definition_changes(
    signed: Document, conformed: Document
) -> tuple[list[tuple[str, tuple[Run, ...]]], list[tuple[str, tuple[Run, ...]]], list[str]]:
    """(added, replaced, removed) definitions."""
    old, new = dict(signed.definitions), dict(conformed.definitions)
    added = [(t, r) for t, r in conformed.definitions if t not in old]
    replaced_ = [(t, r) for t, r in conformed.definitions if t in old and old[t] != r]
    removed = [t for t, _ in signed.definitions if t not in new]
    return added, replaced_, removed


def _body(c: RenderedClause) -> list[str]:
    if c.id != "definitions":
        return clause_text(c)
    body = tuple(b for b in c.blocks if not (isinstance(b, Para) and b.label == "definition"))
    return clause_text(replace(c, blocks=body))


def _clauses(doc: Document) -> list[RenderedClause]:
    return [c for a in doc.articles for c in a.clauses] + list(doc.schedules)


def _refs(blocks: tuple[Block, ...]) -> set[str]:
    out: set[str] = set()
    for b in blocks:
        cells = [b.runs] if isinstance(b, Para) else [*b.header, *(c for r in b.rows for c in r)]
        out.update(r.ref for runs in cells for r in runs if r.ref)
    return out


def _name(c: RenderedClause) -> str:
    return f"Schedule {c.number}" if c.kind == "schedule" else f"Clause {c.number}"


def _sort_key(number: str) -> tuple[Any, ...]:
    """12.3 < 12.3A < 12.3B < 12.4 < 12.10."""
    out: list[Any] = []
    for part in number.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append((int(digits) if digits else 0, part[len(digits) :]))
    return tuple(out)


def name(c: RenderedClause) -> str:
    return _name(c)
