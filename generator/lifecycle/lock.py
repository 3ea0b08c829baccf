"""`clausebook sign`: a lock file beside the deal freezing what was signed.

The lock holds the draft's manifest, the library commit, each clause's id, version, variant,
parameter values and rendered text (as Markdown lines a reviewer can read in a pull request,
and as the blocks the writers need to write the signed agreement again), each clause's text
hashed, and one seal over the whole file. A lock edited by hand is refused with the reason:
a clause whose text no longer matches its hash, blocks that no longer give that text, or a
seal that no longer matches the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ContentError, Diagnostic, usage
from ..model import Document, Para, Position, RenderedArticle, RenderedClause, Run
from ..pipeline.positions import place_values
from ..writers.markdown import clause_md
from .blocks import block_json, clause_from, clause_json, para_from

LOCK_FORMAT = 1
LOCK_SUFFIX = ".lock.json"
MAX_LOCK_BYTES = 64 << 20  # a lock of the largest sample deal is under 1 MiB


def lock_path(deal_path: Path) -> Path:
    """deals/acme.yaml -> deals/acme.lock.json"""
    return deal_path.with_name(deal_path.stem + LOCK_SUFFIX)


def text_sha256(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def clause_text(c: RenderedClause) -> list[str]:
    """The clause as the Markdown draft prints it, one list item a line."""
    return clause_md(c, schedule=c.kind == "schedule").split("\n")


def dumps(data: dict[str, Any]) -> bytes:
    """Indented JSON with each block of a clause on one line: a reviewer reads the text lines,
    and the file stays a quarter of the size it would be with every run indented."""
    marks: dict[str, str] = {}

    def compact(c: dict[str, Any]) -> dict[str, Any]:
        if "blocks" not in c:
            return c
        blocks = []
        for b in c["blocks"]:
            mark = f"\0block{len(marks)}\0"
            marks[json.dumps(mark)] = json.dumps(
                b, sort_keys=True, ensure_ascii=False, separators=(", ", ": ")
            )
            blocks.append(mark)
        return {**c, "blocks": blocks}

    shown = {**data, "clauses": [compact(c) for c in data.get("clauses", [])]}
    text = json.dumps(shown, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    for mark, block in marks.items():
        text = text.replace(mark, block, 1)
    return (text + "\n").encode("utf-8")


def seal(data: dict[str, Any]) -> str:
    return hashlib.sha256(dumps({k: v for k, v in data.items() if k != "sha256"})).hexdigest()


def position_json(
    position: Position | None, variant: str, params: dict[str, Any]
) -> dict[str, Any]:
    """Where a clause sits on the CoE's ladder: the step and who must approve it."""
    if position is None:
        return {"step": None, "approvers": []}
    step = place_values(position, variant, params)
    if step is None:
        return {"step": "past walk-away", "approvers": []}
    return {"step": step.key, "approvers": list(step.approvers)}


def build_lock(
    document: Document,
    manifest: dict[str, Any],
    deal_data: dict[str, Any],
    signed_on: dt.date,
    positions: dict[str, Position] | None = None,
) -> dict[str, Any]:
    """The lock of a draft about to be signed (``manifest`` as make_draft wrote it)."""
    by_id = {c["id"]: c for c in manifest["clauses"]}
    positions = positions or {}
    clauses = []
    for c in [c for a in document.articles for c in a.clauses] + list(document.schedules):
        m = by_id[c.id]
        lines = clause_text(c)
        entry = clause_json(c)
        params = {k: v["value"] for k, v in m["parameters"].items()}
        entry.update(
            version=m["version"],
            parameters=params,
            position=position_json(positions.get(c.id), c.variant, params),
            text=lines,
            sha256=text_sha256(lines),
        )
        clauses.append(entry)
    data: dict[str, Any] = {
        "lock": LOCK_FORMAT,
        "clausebook": __version__,
        "signed": {"date": signed_on.isoformat()},
        "deal": {**manifest["deal"], "data": json.loads(json.dumps(deal_data, default=str))},
        "library": manifest["library"],
        "manifest": manifest,
        "document": {
            "title": document.title,
            "date_line": document.date_line,
            "parties": [block_json(p) for p in document.parties],
            "signatories": [list(s) for s in document.signatories],
            "articles": [
                {"number": a.number, "title": a.title, "clauses": [c.id for c in a.clauses]}
                for a in document.articles
            ],
        },
        "clauses": clauses,
    }
    data["sha256"] = seal(data)
    return data


@dataclass(frozen=True)
class LockedClause:
    id: str
    version: str
    variant: str
    number: str
    kind: str
    parameters: dict[str, Any]
    text: tuple[str, ...]
    rendered: RenderedClause
    position: dict[str, Any]


@dataclass(frozen=True)
class Signed:
    """A verified lock file."""

    path: str  # as shown in messages
    signed_on: str
    commit: str | None
    deal_id: str
    clauses: dict[str, LockedClause]  # in signed order: articles' clauses, then schedules
    document: Document  # the agreement as signed
    data: dict[str, Any]


def _line(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def read_lock(path: Path, shown: str | None = None) -> Signed:
    """The lock at ``path``, verified; a ContentError naming every problem if it was edited."""
    name = shown or path.as_posix()
    if not path.is_file():
        raise usage(
            name, "not-signed", "no signed record: run `clausebook sign DEAL` when it is signed"
        )
    if path.stat().st_size > MAX_LOCK_BYTES:
        raise ContentError(
            [
                Diagnostic(
                    name, 1, 1, "lock-format", f"larger than {MAX_LOCK_BYTES >> 20} MiB; refused"
                )
            ]
        )
    try:
        raw = path.read_text("utf-8")
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise ContentError([Diagnostic(name, 1, 1, "lock-format", "not UTF-8 text")]) from None
    except json.JSONDecodeError as exc:
        raise ContentError(
            [Diagnostic(name, exc.lineno, exc.colno, "lock-format", f"not JSON: {exc.msg}")]
        ) from None
    problems = _verify(data, raw, name)
    if problems:
        raise ContentError(problems)
    # The seal is a checksum, not a signature: anyone can reseal a file, so what it holds is
    # still read as untrusted input.
    try:
        return _signed(data, name)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ContentError(
            [
                Diagnostic(
                    name,
                    1,
                    1,
                    "lock-format",
                    f"incomplete or malformed lock ({type(exc).__name__}: {exc})",
                )
            ]
        ) from None


def _words(lines: list[str]) -> list[str]:
    return re.findall(r"[^\W_]+", " ".join(lines))


def _verify(data: Any, raw: str, name: str) -> list[Diagnostic]:
    if not isinstance(data, dict) or data.get("lock") != LOCK_FORMAT:
        return [
            Diagnostic(name, 1, 1, "lock-format", f"not a Clausebook lock (format {LOCK_FORMAT})")
        ]
    problems = []
    try:
        for c in data["clauses"]:
            line = _line(raw, f'"id": "{c["id"]}"')
            text = [str(t) for t in c["text"]]
            where = f"clause {c['number']} ({c['id']})"
            if text_sha256(text) != c["sha256"]:
                problems.append(
                    Diagnostic(
                        name,
                        line,
                        1,
                        "lock-edited",
                        f"{where}: the rendered text does not match its recorded sha256 — the "
                        "lock was edited by hand; sign again from the deal instead",
                    )
                )
            # Words only: the Markdown writer may print the same blocks with other quotes or
            # spacing years after signing; a changed word is still an edit.
            elif _words(clause_text(clause_from(c))) != _words(text):
                problems.append(
                    Diagnostic(
                        name,
                        line,
                        1,
                        "lock-edited",
                        f"{where}: the recorded blocks no longer give the recorded text — the "
                        "lock was edited by hand",
                    )
                )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        return [
            Diagnostic(
                name,
                1,
                1,
                "lock-format",
                f"incomplete or malformed lock ({type(exc).__name__}: {exc})",
            )
        ]
    if not problems and data.get("sha256") != seal(data):
        problems.append(
            Diagnostic(
                name,
                _line(raw, '"sha256": "' + str(data.get("sha256"))),
                1,
                "lock-edited",
                "the lock's seal (sha256) does not match its content — the lock was edited by "
                "hand; sign again from the deal instead",
            )
        )
    return problems


def _definitions(clauses: dict[str, LockedClause]) -> tuple[tuple[str, tuple[Run, ...]], ...]:
    """The defined terms, read back from the definitions clause (kept once in the lock)."""
    c = clauses.get("definitions")
    if c is None:
        return ()
    return tuple(
        (b.runs[0].text.strip("\u201c\u201d"), b.runs)
        for b in c.rendered.blocks
        if isinstance(b, Para) and b.label == "definition" and b.runs
    )


def _signed(data: dict[str, Any], name: str) -> Signed:
    clauses = {}
    for c in data["clauses"]:
        clauses[c["id"]] = LockedClause(
            c["id"],
            c["version"],
            c["variant"],
            c["number"],
            c["kind"],
            dict(c["parameters"]),
            tuple(c["text"]),
            clause_from(c),
            dict(c.get("position") or {"step": None, "approvers": []}),
        )
    d = data["document"]
    articles = tuple(
        RenderedArticle(a["number"], a["title"], tuple(clauses[i].rendered for i in a["clauses"]))
        for a in d["articles"]
    )
    document = Document(
        title=d["title"],
        deal=data["deal"]["data"],
        articles=articles,
        schedules=tuple(c.rendered for c in clauses.values() if c.kind == "schedule"),
        definitions=_definitions(clauses),
        draft_banner=None,
        date_line=d["date_line"],
        parties=tuple(para_from(p) for p in d["parties"]),
        signatories=tuple((s[0], s[1], s[2], s[3]) for s in d["signatories"]),
    )
    return Signed(
        name,
        data["signed"]["date"],
        data["library"].get("commit"),
        data["deal"]["id"],
        clauses,
        document,
        data,
    )


def lock_errors(root: Path) -> list[Diagnostic]:
    """Every problem in the library's committed locks (deals/*.lock.json), for `validate`."""
    problems: list[Diagnostic] = []
    for path in sorted((root / "deals").glob("*" + LOCK_SUFFIX)):
        try:
            read_lock(path, path.relative_to(root).as_posix())
        except ContentError as exc:
            problems.extend(exc.diagnostics)
    return problems
