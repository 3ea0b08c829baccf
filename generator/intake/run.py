"""`clausebook intake`: a returned Word file, read against the draft that was sent."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import usage
from ..model import Deal, Document, Library, Selection
from ..pipeline.build import make_draft
from ..textdiff import word_diff_text, word_ops
from ..writers.docx.reference import read_word_package
from ..writers.docx.writer import bookmark_name
from .align import FRONT, ClauseText, assign, clause_texts, moved_clauses, sent_clauses
from .classify import Explained, Placement, Redrafter, describe, explain, place, rendered
from .wordfile import Change, Comment, WordFile, read_word

SEVERITY = {
    "past walk-away": 1,
    "unknown language": 2,
    "clause deleted": 2,
    "needs approval": 3,
    "no position": 3,
    "clause moved": 3,
    "within authority": 4,
    "comment": 5,
}
ACCEPTABLE = ("within authority", "comment")


@dataclass(frozen=True)
class Issue:
    clause: str
    number: str
    title: str
    kind: str  # "parameter" | "variant" | "language" | "deleted" | "moved" | "comment"
    summary: str
    placement: Placement
    diff: str
    authors: tuple[str, ...]
    untracked: bool
    comments: tuple[Comment, ...] = ()
    explained: Explained | None = None
    paras: tuple[int, ...] = ()

    @property
    def severity(self) -> int:
        return SEVERITY[self.placement.status]

    @property
    def acceptable(self) -> bool:
        return self.placement.status in ACCEPTABLE


@dataclass(frozen=True)
class Intake:
    deal: Deal
    returned: Path
    sent_from: str
    issues: tuple[Issue, ...]
    formatting: int  # formatting-only changes: reported apart, never substance
    counterparty: tuple[str, ...]  # authors of the changes and comments
    document: Document = field(repr=False)
    selection: Selection = field(repr=False)
    returned_bytes: bytes = field(repr=False, default=b"")

    @property
    def needs_decision(self) -> bool:
        return any(not i.acceptable for i in self.issues)


def read_returned(path: Path) -> tuple[bytes, WordFile]:
    data = read_word_package(path, "intake", "returned document")
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise usage(str(path), "intake", "returned document contains macros; refused")
    return data, read_word(data)


def run_intake(lib: Library, deal_path: Path, returned_path: Path, sent_from: str) -> Intake:
    data, returned = read_returned(returned_path)
    draft = make_draft(lib, deal_path, ["docx"])
    sent_docx = next(v for k, v in draft.files.items() if k.endswith(".docx"))
    sent = read_word(sent_docx)
    doc, sel = draft.document, draft.selection
    bookmarks = {bookmark_name(cid): cid for cid in rendered(doc)}
    sent_paras = sent_clauses(sent, bookmarks)
    owners = assign(returned, sent_paras, bookmarks)
    if not any(o != FRONT for o in owners):
        raise usage(
            str(returned_path),
            "intake",
            "returned document matches no clause of the draft Clausebook would send for "
            f"{draft.deal.source.path}; is it the right deal? (give --deal or --sent)",
        )
    texts = clause_texts(returned, owners, sent_paras)
    sent_order = [c for c in dict.fromkeys(c for c, _ in sent_paras) if c != FRONT]
    moved = set(moved_clauses(sent_order, [o for o in owners if o != FRONT and texts[o].after]))
    rd = Redrafter(lib, draft.deal)
    issues: list[Issue] = []
    formatting = 0
    numbers = {s.clause.id: s.number for s in sel.all()}
    titles = {cid: rc.title for cid, rc in rendered(doc).items()}
    for cid in [*sent_order, FRONT]:
        ct = texts.get(cid)
        if ct is None:
            continue
        changes = [c for c in returned.changes if c.para in ct.paras]
        comments = tuple(c for c in returned.comments if c.para in ct.paras)
        formatting += sum(1 for c in changes if c.kind == "format")
        authors = tuple(sorted({c.author for c in changes if c.kind != "format"}))
        args = (cid, numbers.get(cid, ""), titles.get(cid, "Front matter and execution"))
        issue = _issue(rd, sel, ct, args, authors, cid in moved)
        if issue is not None:
            issue = _moves(issue, changes, returned.changes, owners, numbers)
        if issue is None and comments:
            issue = Issue(
                *args,
                "comment",
                "comment only",
                Placement("comment", "", (), "", ""),
                "",
                (),
                False,
            )
        if issue is not None:
            issues.append(_with(issue, comments, ct.paras))
    issues.sort(
        key=lambda i: (i.severity, sent_order.index(i.clause) if i.clause in sent_order else 999)
    )
    people = {c.author for c in returned.changes} | {c.author for c in returned.comments}
    return Intake(
        draft.deal,
        returned_path,
        sent_from,
        tuple(issues),
        formatting,
        tuple(sorted(a for a in people if a)),
        doc,
        sel,
        data,
    )


def _moves(
    issue: Issue,
    mine: list[Change],
    every: tuple[Change, ...],
    owners: list[str],
    numbers: dict[str, str],
) -> Issue:
    """Say where moved text went (Word's w:moveFrom / w:moveTo pairs), by clause number."""
    notes = []
    for c in mine:
        if c.kind not in ("move-from", "move-to"):
            continue
        other = "move-to" if c.kind == "move-from" else "move-from"
        pair = next((o for o in every if o.kind == other and o.text == c.text), None)
        if pair is None:
            continue
        there = owners[pair.para]
        name = f"Clause {numbers[there]}" if there in numbers else "the front matter"
        if "." not in numbers.get(there, "."):
            name = f"Schedule {numbers[there]}"
        note = (
            f"text moved from here to {name}"
            if c.kind == "move-from"
            else (f"text moved here from {name}")
        )
        if note not in notes:
            notes.append(note)
    if not notes:
        return issue
    return replace(issue, summary=f"{issue.summary}; {'; '.join(notes)}")


def _with(issue: Issue, comments: tuple[Comment, ...], paras: tuple[int, ...]) -> Issue:
    return replace(issue, comments=comments, paras=paras)


def _issue(
    rd: Redrafter,
    sel: Selection,
    ct: ClauseText,
    args: tuple[str, str, str],
    authors: tuple[str, ...],
    moved: bool,
) -> Issue | None:
    cid = args[0]
    untracked = ct.before != ct.sent
    diff = word_diff_text(word_ops(ct.sent, ct.after)) if ct.sent != ct.after else ""
    owner = next((s.clause.owner for s in sel.all() if s.clause.id == cid), "legal-counsel")
    if cid == FRONT:
        if ct.sent == ct.after:
            return None
        unknown = Placement("unknown language", "", (owner,), "", "")
        return Issue(
            *args,
            "language",
            "the cover, parties or execution page changed",
            unknown,
            diff,
            authors,
            untracked,
        )
    if ct.sent and not ct.after:
        gone = Placement("clause deleted", "", (owner,), "", "")
        return Issue(
            *args, "deleted", "the whole clause is deleted", gone, diff, authors, untracked
        )
    if ct.sent == ct.after:
        if moved:
            return Issue(
                *args,
                "moved",
                "the clause is moved, its text unchanged",
                Placement("clause moved", "", (owner,), "", ""),
                "",
                authors,
                untracked,
            )
        return None
    ex, exact = explain(rd, sel, cid, ct.sent, ct.after)
    if ex is None or not exact:
        unknown = Placement("unknown language", "", (owner,), "", "")
        summary = "language the library does not hold"
        if ex is not None:
            summary = f"{describe(sel, cid, ex)}, and language the library does not hold"
            partial = rd.texts(cid, ex)
            if partial is not None and place(partial[0], cid).status == "past walk-away":
                unknown = place(partial[0], cid)
        return Issue(*args, "language", summary, unknown, diff, authors, untracked)
    got = rd.texts(cid, ex)
    assert got is not None  # explain() only returns what drafted
    kind = "variant" if ex.variant else "parameter"
    return Issue(
        *args,
        kind,
        describe(sel, cid, ex),
        place(got[0], cid),
        diff,
        authors,
        untracked,
        explained=ex,
    )
