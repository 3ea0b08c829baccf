"""The orchestrator: load -> validate -> select -> render -> write -> manifest, read top to bottom."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ClausebookError, ContentError, Diagnostic
from ..model import Deal, Document, Library, Selection

if TYPE_CHECKING:
    from .sow import Sow

FORMATS = ("md", "docx")

# A check that may refuse a selection before it is rendered (the CLI hands in the playbook's
# deviation check); a module-level function, so that it pickles into batch workers.
Gate = Callable[[Selection], Sequence[Diagnostic]]


@dataclass(frozen=True)
class Draft:
    """A draft in memory: every output's bytes, before anything touches the disk."""

    deal: Deal
    selection: Selection
    document: Document
    files: dict[str, bytes]  # file name -> bytes, manifest included


@dataclass(frozen=True)
class DraftResult:
    deal_file: str
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    placeholders: int = 0  # figures still to be agreed (`draft --placeholders`)


def open_library(root: Path) -> Library:
    from .library import load_library

    return load_library(root)


def content_key(lib: Library) -> str:
    """One hash for a library's content: names the compiled-template cache."""
    import hashlib

    h = hashlib.sha256()
    for f in sorted(lib.files, key=lambda f: f.path):
        h.update(f"{f.path}\0{f.sha256}\n".encode())
    return h.hexdigest()


def _render_all(
    lib: Library, selection: Selection, placeholders: bool
) -> tuple[Document, tuple[tuple[Sow, Document], ...]]:
    """The Agreement and each Statement of Work (() without SOWs), or one ContentError with
    the problems of both: a deal's SOW mistakes are not hidden behind an Agreement's."""
    from .render import render_document
    from .sowdoc import sow_documents

    problems: list[Diagnostic] = []
    document: Document | None = None
    sows: tuple[tuple[Sow, Document], ...] = ()
    try:
        document = render_document(selection, placeholders=placeholders)
    except ContentError as e:
        problems += e.diagnostics
    try:
        sows = sow_documents(lib, selection)
    except ContentError as e:
        problems += e.diagnostics
    if problems or document is None:
        raise ContentError(problems)
    return document, sows


def make_draft(
    lib: Library,
    deal_path: Path,
    formats: Sequence[str],
    reference: bytes | None = None,
    notes: bool = False,
    gate: Gate | None = None,
    page_numbers: bool = False,
    placeholders: bool = False,
) -> Draft:
    from ..writers.manifest import build_manifest, digest_members, dump_members, join_members
    from ..writers.output import output_stem, sha256
    from .deal import load_deal
    from .files import deal_display
    from .select import select
    from .sowdoc import sow_files, sow_manifest

    # a copy with notes is internal: its own names (draft and manifest), never the clean one's
    stem = output_stem(deal_path) + (".internal" if notes else "")
    deal = load_deal(lib, deal_path, deal_display(Path(lib.root), deal_path))
    selection = select(lib, deal)
    if gate is not None:
        refused = gate(selection)
        if refused:
            raise ContentError(refused)
    document, sows = _render_all(lib, selection, placeholders)
    # The inputs' digest goes into the Word file's properties; outputs' hashes into the manifest.
    manifest = build_manifest(selection, lib.root, {})
    del manifest["outputs"]
    marks = _placeholders(document) if placeholders else []
    if marks:  # `draft --placeholders`: what is still to be agreed, clause by clause
        manifest["placeholders"] = marks
    members = dump_members(manifest)  # encoded once: for the digest, then for the manifest file
    inputs = digest_members(members)
    files: dict[str, bytes] = {}
    if "md" in formats:
        from ..writers.markdown import render_markdown

        files[f"{stem}.md"] = render_markdown(document).encode("utf-8")
    if "docx" in formats or "pdf" in formats:
        # The Word file carries its inputs (the manifest less the outputs' hashes): a returned
        # copy names the draft it came from (`clausebook intake`).
        sent = join_members(members | dump_members({"inputs_sha256": inputs}))
        files.update(
            _word(lib, deal, document, inputs, reference, notes, formats, page_numbers, stem, sent)
        )
    files.update(sow_files(sows, stem, formats, reference, notes))
    outputs = {k: sha256(v) for k, v in sorted(files.items())}
    members |= dump_members({"outputs": outputs, "inputs_sha256": inputs})
    if sows:  # the Agreement and its SOWs recorded together
        members |= dump_members({"sows": sow_manifest(sows, stem, outputs)})
    files[f"{stem}.manifest.json"] = join_members(members)
    return Draft(deal, selection, document, files)


def figures_to_agree(selection: Selection) -> list[Diagnostic]:
    """Each figure the deal must still state, at the deal's line (`clausebook check`): what
    `draft --placeholders` would print as a placeholder. Other problems of the draft are
    `validate`'s and `draft`'s to report."""
    from .render import render_document

    try:
        render_document(selection)
    except ContentError as exc:
        return [d for d in exc.diagnostics if d.rule == "deal-figure"]
    return []


def _placeholders(document: Document) -> list[dict[str, str]]:
    from .placeholders import document_placeholders

    return [{"clause": c, "to_be_agreed": what} for c, what in document_placeholders(document)]


def _word(
    lib: Library,
    deal: Deal,
    document: Document,
    inputs: str,
    reference: bytes | None,
    notes: bool,
    formats: Sequence[str],
    page_numbers: bool,
    stem: str,
    manifest: bytes = b"",
) -> dict[str, bytes]:
    """The Word draft (and its PDF); a LibreOffice layout pass fills in TOC page numbers
    when a PDF is asked for or ``page_numbers`` is set. A copy with notes is internal."""
    from ..writers.docx import DocxOptions, render_docx
    from ..writers.manifest import git_commit

    props = (
        ("Clausebook deal", deal.id),
        ("Clausebook library commit", git_commit(str(Path(lib.root).resolve())) or "none"),
        ("Clausebook inputs sha256", inputs),
        ("Clausebook maturity", str(deal.maturity)),
        ("Clausebook stance", deal.stance),
    )
    opts = DocxOptions(reference=reference, notes=notes, properties=props, manifest=manifest)
    if "pdf" not in formats and not page_numbers:
        return {f"{stem}.docx": render_docx(document, options=opts)}
    from ..writers.docx.layout import laid_out

    data, pdf = laid_out(document, opts)
    out = {f"{stem}.docx": data} if "docx" in formats else {}
    if "pdf" in formats:
        out[f"{stem}.pdf"] = pdf
    return out


def save_draft(draft: Draft, out_dir: Path, force: bool) -> DraftResult:
    """Write every file of a draft as one unit, or none if any would overwrite a hand edit."""
    from ..writers.output import commit_set, inside

    manifest_name = next(n for n in draft.files if n.endswith(".manifest.json"))
    for name in draft.files:
        inside(out_dir, name)
    written, unchanged = commit_set(out_dir, dict(draft.files), manifest_name, force)
    from .placeholders import document_placeholders

    marks = len(document_placeholders(draft.document))
    return DraftResult(draft.deal.source.path, tuple(written), tuple(unchanged), marks)


# ---- batch ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchOptions:
    """What every deal of a batch is drafted with; pickled into each worker once."""

    formats: tuple[str, ...]
    force: bool = False
    reference: bytes | None = None
    notes: bool = False
    gate: Gate | None = None
    page_numbers: bool = False  # a LibreOffice layout pass for TOC page numbers
    placeholders: bool = False  # unstated deal figures as placeholders, not errors


_worker_lib: Library | None = None
_worker_opts: BatchOptions | None = None


def _init_worker(root: str, opts: BatchOptions, parent: int | None = None) -> None:
    global _worker_lib, _worker_opts
    from .templates import load_code_cache

    if parent is not None:
        _die_with(parent)

    _worker_lib = open_library(Path(root))
    load_code_cache(content_key(_worker_lib))
    _worker_opts = opts
    # The library and compiled templates live as long as the worker: the garbage collector
    # need never walk them again (see generator/cli/entry.py).
    gc.freeze()


def _die_with(parent: int) -> None:
    """A batch worker ends when the process that started it ends, however it ended.

    Killed alone (SIGKILL to the parent only), the parent cannot stop its pool: the workers
    would go on writing drafts nobody waits for, then block forever on the result queue.
    Linux: the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG). Elsewhere a
    thread watches the parent's pid.
    """
    import signal
    import sys

    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    import threading

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="clausebook-parent-watch").start()


def _run_one(args: tuple[str, str]) -> tuple[str, DraftResult | None, list[Diagnostic]]:
    deal_path, out_dir = args
    assert _worker_lib is not None and _worker_opts is not None
    o = _worker_opts
    try:
        draft = make_draft(
            _worker_lib,
            Path(deal_path),
            o.formats,
            o.reference,
            o.notes,
            o.gate,
            o.page_numbers,
            o.placeholders,
        )
        from .templates import save_code_cache

        save_code_cache(content_key(_worker_lib))
        return deal_path, save_draft(draft, Path(out_dir), o.force), []
    except ClausebookError as exc:
        return deal_path, None, list(exc.diagnostics)


def draft_many(
    root: Path,
    deal_paths: Sequence[Path],
    out_dir: Path,
    opts: BatchOptions,
    jobs: int = 1,
    on_done: Callable[[str], None] | None = None,
) -> tuple[list[DraftResult], list[Diagnostic]]:
    """Draft every deal; one deal's errors never stop the others."""
    from ..writers.output import output_dir, remove_stale_temps

    out = output_dir(out_dir)
    remove_stale_temps(out)  # what a killed run left half-written is never a draft
    diags = _clashes(deal_paths)
    if diags:
        return [], diags
    tasks = [(str(p), str(out)) for p in deal_paths]
    results: list[DraftResult] = []
    if jobs <= 1 or len(tasks) < 2:
        _init_worker(str(root), opts)
        outcomes: Iterable[tuple[str, DraftResult | None, list[Diagnostic]]] = map(_run_one, tasks)
        for deal_path, res, errs in outcomes:
            _collect(results, diags, res, errs)
            if on_done:
                on_done(deal_path)
        return results, diags
    from concurrent.futures import ProcessPoolExecutor

    open_library(root)  # fail fast, once, before starting workers
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(str(root), opts, os.getpid())
    ) as pool:
        chunk = max(1, len(tasks) // (jobs * 8))
        for deal_path, res, errs in pool.map(_run_one, tasks, chunksize=chunk):
            _collect(results, diags, res, errs)
            if on_done:
                on_done(deal_path)
    return results, diags


def _clashes(deal_paths: Sequence[Path]) -> list[Diagnostic]:
    """Unsafe output names, and two deals that would write the same outputs."""
    from ..writers.output import output_stem

    stems: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for p in deal_paths:
        try:
            stem = output_stem(p)
        except ClausebookError as exc:
            diags.extend(exc.diagnostics)
            continue
        if stem in stems:
            diags.append(
                Diagnostic(
                    p.as_posix(),
                    1,
                    1,
                    "output-clash",
                    f"{p.as_posix()} and {stems[stem]} would write the same outputs",
                )
            )
        stems[stem] = p.as_posix()
    return diags


def _collect(
    results: list[DraftResult],
    diags: list[Diagnostic],
    res: DraftResult | None,
    errs: list[Diagnostic],
) -> None:
    if res is not None:
        results.append(res)
    diags.extend(errs)
