"""The library and its drafts at a git revision: `draft --at`, `redline`, and loading a
snapshot with each message saying which revision it is about."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ClausebookError, ContentError, Diagnostic, usage
from ..model import Library
from ..pipeline.build import BatchOptions, DraftResult, make_draft, save_draft
from ..pipeline.library import load_library
from ..portable import source_date_epoch
from ..writers.output import output_dir
from .gitrev import Snapshot, check_revision, open_repo, safe_relpath, snapshot


def load_at(snap: Snapshot) -> Library:
    try:
        return load_library(snap.root)
    except ContentError as exc:
        raise ContentError(
            [
                Diagnostic(d.path, d.line, d.col, d.rule, f"[at {snap.label}] {d.message}")
                for d in exc.diagnostics
            ]
        ) from None


@dataclass(frozen=True)
class DraftedAt:
    deal: Path
    label: str  # how the revision is named to people
    out_dir: Path
    result: DraftResult


def draft_at(
    root: Path, rev: str, deals: Sequence[Path], out_dir: Path, opts: BatchOptions
) -> tuple[list[DraftedAt], list[Diagnostic]]:
    """`clausebook draft --at REV`: the library as it was at REV, the deal files as given."""
    check_revision(rev)
    out = output_dir(out_dir)
    done: list[DraftedAt] = []
    problems: list[Diagnostic] = []
    with snapshot(root, rev) as snap:
        lib = load_at(snap)
        for d in deals:
            try:
                draft = make_draft(
                    lib,
                    d,
                    opts.formats,
                    opts.reference,
                    opts.notes,
                    opts.gate,
                    placeholders=opts.placeholders,
                )
                name = next(n for n in draft.files if n.endswith(".manifest.json"))
                manifest = json.loads(draft.files[name])
                # The drafts come from a temporary copy: record the revision they were made from.
                manifest["library"] = {"commit": snap.sha, "revision": rev}
                draft.files[name] = (
                    json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
                ).encode("utf-8")
                done.append(DraftedAt(d, snap.label, out, save_draft(draft, out, opts.force)))
            except ClausebookError as exc:
                problems.extend(exc.diagnostics)
    return done, problems


def library_relative(root: Path, p: Path) -> str | None:
    """The deal's path inside the library (to read it at each revision), or None.

    A relative path that names no file here is taken relative to the library root, so
    `redline BASE HEAD deals/acme.yaml --library lib` works from anywhere."""
    if not p.is_absolute() and not p.exists():
        rel = p.as_posix()
    else:
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
    return rel if safe_relpath(rel) is not None else None


@dataclass(frozen=True)
class Redline:
    data: bytes
    changes: int
    base_label: str
    head_label: str


def redline_between(
    root: Path, base: str, head: str, deal: Path, reference: bytes | None, author: str
) -> Redline:
    """DEAL drafted at HEAD, as Word with tracked changes against its draft at BASE."""
    from ..writers.docx.redline import render_redline

    check_revision(base)
    check_revision(head)
    rel = library_relative(root, deal)
    repo = open_repo(root)
    docs = []
    with snapshot(root, base, repo) as b, snapshot(root, head, repo) as h:
        for snap in (b, h):
            lib = load_at(snap)
            path = snap.root / rel if rel and (snap.root / rel).is_file() else deal
            if not path.is_file():
                raise usage(deal.as_posix(), "missing-file", "deal file not found")
            docs.append(make_draft(lib, path, []).document)
        when = source_date_epoch() or dt.datetime.fromtimestamp(h.time, tz=dt.UTC).replace(
            tzinfo=None
        )
        data, count = render_redline(
            docs[0], docs[1], reference, author, when, labels=(h.label, b.label)
        )
        return Redline(data, count, b.label, h.label)
