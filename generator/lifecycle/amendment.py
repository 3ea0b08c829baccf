"""The Amendment Agreement: a `Document` the ordinary Markdown and Word writers write.

Its operative clause gives one instruction per change, in the signed agreement's numbering:
"Clause 5.2 is deleted and replaced with the following", "the following Clause 6A is inserted
after Clause 6", new or replaced Schedules, definitions inserted, replaced or deleted. The text an
instruction brings in is quoted with its numbers written out, so it reads the same in both
formats and never picks up the amendment's own automatic numbering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..model import Block, Document, Para, RenderedArticle, RenderedClause, Run, Table
from ..pipeline import words as w
from .conformed import ClauseChange, changes, definition_changes, name
from .lock import Signed
from .numbering import article_of

MATURITY = {1: "Foundational", 2: "Managed", 3: "Optimised", 4: "Outcome partnership"}


@dataclass(frozen=True)
class Purpose:
    """Why the Parties amend: a move up the maturity model, or the firm's newer clauses."""

    to_maturity: int | None = None
    upgraded: tuple[str, ...] = ()


def _p(*texts: str | Run, label: str | None = None) -> Para:
    runs = tuple(t if isinstance(t, Run) else Run(t) for t in texts)
    return Para(runs, label=label)


def _plain_runs(runs: Sequence[Run]) -> tuple[Run, ...]:
    # A cross-reference points into the Agreement, not into this document: keep only its words.
    return tuple(Run(r.text, r.bold, r.italic) for r in runs)


def quoted(c: RenderedClause) -> list[Block]:
    """A clause as an instruction brings it in: its heading, then its blocks with every number
    and list label written out."""
    head = (
        f"Schedule {c.number} \u2014 {c.title}" if c.kind == "schedule" else f"{c.number} {c.title}"
    )
    out: list[Block] = [_p(Run(head, bold=True))]
    for b in c.blocks:
        if isinstance(b, Table):
            out.append(
                Table(
                    tuple(_plain_runs(h) for h in b.header),
                    tuple(tuple(_plain_runs(cell) for cell in row) for row in b.rows),
                )
            )
            continue
        runs = _plain_runs(b.runs)
        if b.bullet:
            out.append(replace(b, runs=runs))
            continue
        lead = b.number or (b.label if b.label and b.label != "definition" else None)
        out.append(
            Para(
                (Run(f"{lead} "), *runs) if lead else runs,
                label=b.label if b.label == "definition" else None,
            )
        )
    return out


def _instructions(signed: Signed, conformed: Document) -> list[tuple[str, list[Block]]]:
    """(title, blocks) of each instruction, in the Agreement's order."""
    found = changes(signed.document, conformed)
    signed_articles = {a.number for a in signed.document.articles}
    out: list[tuple[str, list[Block]]] = []
    new_article: dict[str, list[ClauseChange]] = {}
    for ch in found:
        c = ch.new if ch.new is not None else ch.old
        assert c is not None
        if (
            ch.kind == "inserted"
            and c.kind != "schedule"
            and article_of(c.number) not in signed_articles
        ):
            new_article.setdefault(article_of(c.number), []).append(ch)
            if len(new_article[article_of(c.number)]) == 1:
                out.append((f"New Clause {article_of(c.number)}", []))  # filled in below
            continue
        out.append(_one(ch))
    for art, chs in new_article.items():
        at = next(i for i, (t, _) in enumerate(out) if t == f"New Clause {art}")
        out[at] = (f"New Clause {art}", _article_blocks(art, chs, conformed))
    if not any(ch.kind == "replaced" and ch.old and ch.old.id == "definitions" for ch in found):
        defs = _definitions(signed, conformed)
        if defs:
            out.insert(0, ("Definitions", defs))
    return out


def _one(ch: ClauseChange) -> tuple[str, list[Block]]:
    if ch.kind == "replaced":
        assert ch.old is not None and ch.new is not None
        what = name(ch.old)
        return (
            f"{ch.old.title} ({what})",
            [
                _p(f"{what} ({ch.old.title}) is deleted and replaced with the following:"),
                *quoted(ch.new),
            ],
        )
    if ch.kind == "deleted":
        assert ch.old is not None
        what = name(ch.old)
        return (
            f"{ch.old.title} ({what})",
            [
                _p(
                    f"{what} ({ch.old.title}) is deleted and replaced with the words \u201c[Deleted]\u201d."
                )
            ],
        )
    c = ch.new
    assert c is not None
    what = name(c)
    if ch.after is None:
        where = (
            "before Schedule 1"
            if c.kind == "schedule"
            else f"at the beginning of Clause {article_of(c.number)}"
        )
    else:
        where = "after " + ("Schedule " if c.kind == "schedule" else "Clause ") + ch.after
    return (f"New {what}", [_p(f"The following {what} is inserted {where}:"), *quoted(c)])


def _article_blocks(art: str, chs: list[ClauseChange], conformed: Document) -> list[Block]:
    a = next(x for x in conformed.articles if x.number == art)
    before = [x.number for x in conformed.articles]
    prev = before[before.index(art) - 1] if before.index(art) else None
    where = f"after Clause {prev}" if prev else "before Clause 1"
    out: list[Block] = [
        _p(f"The following Clause {art} is inserted {where}:"),
        _p(Run(f"{art} {a.title}", bold=True)),
    ]
    for ch in chs:
        assert ch.new is not None
        out.extend(quoted(ch.new))
    return out


def _definitions(signed: Signed, conformed: Document) -> list[Block]:
    added, replaced_, removed = definition_changes(signed.document, conformed)
    where = next(
        (c.number for a in signed.document.articles for c in a.clauses if c.id == "definitions"),
        "1.1",
    )
    out: list[Block] = []
    if added:
        out.append(
            _p(
                f"The following definitions are inserted in Clause {where} in their alphabetical places:"
            )
        )
        out.extend(Para(_plain_runs(r), label="definition") for _, r in added)
    for term, runs in replaced_:
        out.append(
            _p(
                f"The definition of \u201c{term}\u201d in Clause {where} is deleted and replaced with the following:"
            )
        )
        out.append(Para(_plain_runs(runs), label="definition"))
    for term in removed:
        out.append(_p(f"The definition of \u201c{term}\u201d in Clause {where} is deleted."))
    return out


def amendment_document(
    signed: Signed,
    conformed: Document,
    deal: dict[str, Any],
    effective: dt.date,
    purpose: Purpose,
) -> Document:
    """The Amendment Agreement bringing ``signed`` to ``conformed``."""
    us = deal["governing_law"] in ("new-york", "delaware")
    title = f"Amendment Agreement relating to the {signed.document.title}"
    # The Agreement is named by the date on its face (its effective date), as any later
    # document would cite it; the day it was signed is in the lock.
    signed_on = signed.document.date_line.removeprefix("Dated ")
    starts = w.longdate(effective, us_style=us)
    steps = _instructions(signed, conformed)
    articles = (
        _article(
            "1", "Background", [("Background", _recitals(signed, signed_on, purpose))], "background"
        ),
        _article("2", "Interpretation", _interpretation(starts), "interpretation"),
        _article(
            "3",
            "Amendments",
            [
                (
                    "Amendments",
                    [
                        _p(
                            "With effect on and from the Amendment Effective Date, the Agreement is amended as set out in this Clause 3."
                        )
                    ],
                ),
                *steps,
            ],
            "amendment",
        ),
        _article("4", "General", _general(signed), "general"),
    )
    return Document(
        title=title,
        deal={
            **deal,
            "effective_date": effective.isoformat(),
            "title": title,
            "draft_version": "Draft 1",
        },
        articles=articles,
        schedules=(),
        definitions=(),
        draft_banner="DRAFT \u2014 subject to contract",
        date_line=f"Dated {starts}",
        parties=signed.document.parties,
        signatories=signed.document.signatories,
    )


def _article(
    number: str, title: str, items: list[tuple[str, list[Block]]], key: str
) -> RenderedArticle:
    clauses = tuple(
        RenderedClause(
            f"{key}-{i}", f"{number}.{i}", t, tuple(blocks), "clause", "", "", "amendment"
        )
        for i, (t, blocks) in enumerate(items, start=1)
    )
    return RenderedArticle(number, title, clauses)


def _recitals(signed: Signed, signed_on: str, purpose: Purpose) -> list[Block]:
    title = signed.document.title
    out: list[Block] = [
        _p(
            f"(A) The Parties entered into the {title} dated {signed_on} (the \u201cAgreement\u201d)."
        )
    ]
    if purpose.to_maturity is not None:
        old = int(signed.document.deal["maturity"])
        new = purpose.to_maturity
        out.append(
            _p(
                f"(B) The relationship under the Agreement has moved from maturity level {old} "
                f"({MATURITY.get(old, old)}) to maturity level {new} ({MATURITY.get(new, new)}), "
                "and the Parties wish to bring into the Agreement the terms that level calls for."
            )
        )
    else:
        out.append(
            _p(
                "(B) The Parties wish to replace the clauses listed in Clause 3 with the current "
                "versions of the standard terms on which the Agreement was based."
            )
        )
    out.append(
        _p(
            "(C) The Parties therefore agree to amend the Agreement on the terms of this Amendment Agreement."
        )
    )
    return out


def _interpretation(starts: str) -> list[tuple[str, list[Block]]]:
    return [
        (
            "Definitions",
            [
                _p(
                    "Words defined in the Agreement have the same meaning in this Amendment "
                    f"Agreement. \u201cAmendment Effective Date\u201d means {starts}."
                )
            ],
        ),
        (
            "Numbering",
            [
                _p(
                    "References to Clauses and Schedules are to those of the Agreement as signed. "
                    "A Clause or Schedule inserted by this Amendment Agreement takes the "
                    "number of the one it follows with a letter added (12.3A, 12.3B); no Clause or "
                    "Schedule of the Agreement is renumbered, and a deleted one keeps its number."
                )
            ],
        ),
    ]


def _general(signed: Signed) -> list[tuple[str, list[Block]]]:
    numbers = {c.id: c.number for c in signed.clauses.values()}
    law = f"Clause {numbers['governing-law']}" if "governing-law" in numbers else "the Agreement"
    return [
        (
            "Continuation",
            [
                _p(
                    "Except as amended by this Amendment Agreement, the Agreement continues in full "
                    "force and effect. From the Amendment Effective Date, each reference in the "
                    "Agreement to \u201cthis Agreement\u201d is to the Agreement as amended by this "
                    "Amendment Agreement, and the two are read as one document."
                )
            ],
        ),
        (
            "Conformed copy",
            [
                _p(
                    "A conformed copy of the Agreement as amended is provided with this Amendment "
                    "Agreement for reference only. If the conformed copy and this Amendment "
                    "Agreement differ, this Amendment Agreement prevails."
                )
            ],
        ),
        (
            "Counterparts",
            [
                _p(
                    "This Amendment Agreement may be signed in any number of counterparts, each of "
                    "which is an original and which together are one agreement."
                )
            ],
        ),
        (
            "Governing law and disputes",
            [
                _p(
                    "This Amendment Agreement, and any non-contractual obligation arising out of it, "
                    f"is governed by the law that governs the Agreement under {law}, and any dispute "
                    "about it is resolved under the dispute resolution procedure of the Agreement."
                )
            ],
        ),
    ]
