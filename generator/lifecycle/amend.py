"""`clausebook amend`: the Amendment Agreement, the conformed copy and the redline, in memory.

Read top to bottom: the verified lock -> today's draft in signed numbering -> the conformed copy
(a maturity move takes the whole fresh draft, an upgrade only the named clauses) -> refuse a
copy whose clauses refer to a deleted one -> the amendment's instructions -> the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ContentError, Diagnostic, UsageError, did_you_mean
from ..model import Document, Library
from ..pipeline.build import Draft, Gate
from ..review.diff import bump_between
from ..textdiff import word_diff_text, word_ops
from ..writers.manifest import dumps as manifest_dumps
from ..writers.output import output_stem, sha256
from .amendment import Purpose, amendment_document
from .conformed import (
    ClauseChange,
    changes,
    check_references,
    definition_changes,
    fresh_document,
    name,
    to_maturity,
    upgrade_only,
)
from .lock import Signed, clause_text


@dataclass(frozen=True)
class Amendment:
    draft: Draft  # files, ready for save_draft
    amendment: Document
    conformed: Document
    changes: tuple[ClauseChange, ...]
    redline_changes: int
    notes: tuple[str, ...] = ()  # what the user should know (a format not written, and why)


def upgradable(lib: Library, signed: Signed) -> list[str]:
    return [
        cid
        for cid, c in signed.clauses.items()
        if cid not in lib.clauses or bump_between(c.version, lib.clauses[cid].version) != "none"
    ]


def _upgrade_ids(lib: Library, signed: Signed, named: Sequence[str], shown: str) -> list[str]:
    if not named:
        ids = upgradable(lib, signed)
        if not ids:
            raise ContentError(
                [
                    Diagnostic(
                        shown,
                        1,
                        1,
                        "nothing-to-amend",
                        "every signed clause is at its library version",
                    )
                ]
            )
        return ids
    bad = [n for n in named if n not in signed.clauses]
    if bad:
        raise UsageError(
            [
                Diagnostic(
                    shown,
                    1,
                    1,
                    "unknown-clause",
                    f"'{n}' is not a clause of the signed agreement{did_you_mean(n, signed.clauses)}",
                )
                for n in bad
            ]
        )
    return list(named)


def make_amendment(
    lib: Library,
    deal_path: Path,
    signed: Signed,
    purpose: Purpose,
    effective: dt.date,
    formats: Sequence[str],
    reference: bytes | None = None,
    gate: Gate | None = None,
    author: str = "Clausebook",
) -> Amendment:
    shown = signed.path
    if purpose.to_maturity is not None:
        selection, fresh = fresh_document(lib, deal_path, signed, purpose.to_maturity, gate)
        conformed = to_maturity(signed, fresh)
    else:
        ids = _upgrade_ids(lib, signed, purpose.upgraded, shown)
        purpose = replace(purpose, upgraded=tuple(ids))
        selection, fresh = fresh_document(lib, deal_path, signed, gate=gate)
        conformed = upgrade_only(signed, fresh, ids)
    check_references(conformed, shown)
    found = tuple(changes(signed.document, conformed))
    if not found and not any(definition_changes(signed.document, conformed)):
        raise ContentError(
            [
                Diagnostic(
                    shown,
                    1,
                    1,
                    "nothing-to-amend",
                    "the amended agreement would read exactly as signed",
                )
            ]
        )
    deal = dict(selection.deal.data)
    amendment = amendment_document(signed, conformed, deal, effective, purpose)
    us = deal["governing_law"] in ("new-york", "delaware")
    from ..pipeline import words as w

    conformed = replace(
        conformed,
        title=signed.document.title,
        date_line=signed.document.date_line,
        parties=signed.document.parties,
        draft_banner=(
            "CONFORMED COPY \u2014 as amended by the Amendment Agreement dated "
            + w.longdate(effective, us_style=us)
        ),
        deal={
            **deal,
            "draft_version": "for reference only",
            "effective_date": effective.isoformat(),
        },
    )
    # the Word redline's cover and header say what it is, not "CONFORMED COPY"
    redline = replace(
        conformed,
        draft_banner=(
            "REDLINE \u2014 the agreement signed on "
            + w.longdate(signed.signed_on, us_style=us)
            + " as amended by the Amendment Agreement dated "
            + w.longdate(effective, us_style=us)
        ),
    )
    files, count = _files(
        output_stem(deal_path), signed, amendment, (conformed, redline), formats, reference, author
    )
    manifest = {
        "amendment": {
            "deal": signed.deal_id,
            "lock": shown,
            "lock_sha256": signed.data["sha256"],
            "signed": signed.signed_on,
            "effective": effective.isoformat(),
            "to_maturity": purpose.to_maturity,
            "upgraded": list(purpose.upgraded),
        },
        "changes": [
            {"kind": c.kind, "clause": (c.new or c.old).id, "number": (c.new or c.old).number}  # type: ignore[union-attr]
            for c in found
        ],
        "outputs": {k: sha256(v) for k, v in sorted(files.items())},
    }
    files[f"{output_stem(deal_path)}-amendment.manifest.json"] = manifest_dumps(manifest)
    draft = Draft(selection.deal, selection, amendment, files)
    return Amendment(draft, amendment, conformed, found, count)


def _files(
    stem: str,
    signed: Signed,
    amendment: Document,
    copies: tuple[Document, Document],  # the conformed copy, and the same with a redline banner
    formats: Sequence[str],
    reference: bytes | None,
    author: str,
) -> tuple[dict[str, bytes], int]:
    conformed, redline = copies
    files: dict[str, bytes] = {}
    count = 0
    if "md" in formats:
        from ..writers.markdown import render_markdown

        files[f"{stem}-amendment.md"] = render_markdown(amendment).encode("utf-8")
        files[f"{stem}-conformed.md"] = render_markdown(conformed).encode("utf-8")
        files[f"{stem}-redline.md"] = redline_markdown(signed, conformed).encode("utf-8")
    if "docx" in formats:
        from ..writers.docx import DocxOptions, render_docx
        from ..writers.docx.redline import render_redline

        files[f"{stem}-amendment.docx"] = render_docx(amendment, reference)
        # inserted clauses keep the signed numbers (5.5A): printed as text, not Word lists
        literal = not word_can_number(conformed)
        opts = DocxOptions(reference=reference, literal=literal)
        files[f"{stem}-conformed.docx"] = render_docx(conformed, options=opts)
        files[f"{stem}-redline.docx"], count = render_redline(
            signed.document, redline, reference, author, literal=literal
        )
    return files, count


def word_can_number(doc: Document) -> bool:
    """True when Word's automatic numbering gives the signed numbers: no inserted (5.5A, 6A)
    clause. Word lists would print 5.5A as 5.6 and renumber everything after it, so a conformed
    copy or redline with inserted clauses is written with literal numbers (DocxOptions.literal);
    one without keeps Word's numbering, which a lawyer editing it in Word can rely on."""
    for i, a in enumerate(doc.articles, start=1):
        if a.number != str(i):
            return False
        if any(c.number != f"{i}.{j}" for j, c in enumerate(a.clauses, start=1)):
            return False
    return all(s.number == str(j) for j, s in enumerate(doc.schedules, start=1))


def redline_markdown(signed: Signed, conformed: Document) -> str:
    """Each changed clause as a word diff against the signed text ([-deleted-] {+inserted+})."""
    old = {c.id: c for c in signed.clauses.values()}
    parts = [
        f"# Redline: {signed.document.title}",
        f"Changes against the agreement signed on {signed.signed_on}, in the signed numbering. "
        "Clauses not listed are unchanged.",
    ]
    for ch in changes(signed.document, conformed):
        c = ch.new if ch.new is not None else ch.old
        assert c is not None
        before = "\n".join(old[c.id].text) if c.id in old else ""
        after = "\n".join(clause_text(ch.new)) if ch.new is not None else ""
        parts.append(f"## {name(c)} \u2014 {ch.kind}")
        parts.append(word_diff_text(word_ops(before, after)) or "(no change in wording)")
    added, replaced_, removed = definition_changes(signed.document, conformed)
    if added or replaced_ or removed:
        parts.append("## Definitions")
        parts.extend(f"- inserted: \u201c{t}\u201d" for t, _ in added)
        parts.extend(f"- replaced: \u201c{t}\u201d" for t, _ in replaced_)
        parts.extend(f"- deleted: \u201c{t}\u201d" for t in removed)
    return "\n\n".join(parts) + "\n"
