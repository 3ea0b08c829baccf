"""Commands for reviewing a change to the library: lint, diff, redline, build.

Registered on the main group when cli.py imports this module; like cli.py it imports only
click at the top, so `clausebook --help` stays instant.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli import _report, _root, format_option, library_option, main, reporting
from .errors import Diagnostic, UsageError, usage

if TYPE_CHECKING:
    from .gitrev import Repo, Snapshot
    from .model import Library


@contextmanager
def _snapshot(root: Path, rev: str, repo: Repo | None = None) -> Iterator[Snapshot]:
    from .gitrev import snapshot

    with snapshot(root, rev, repo) as snap:
        yield snap


# ---- lint ------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@library_option
@format_option
@click.option(
    "--base",
    "base",
    default=None,
    metavar="REV",
    help="Revision approved clauses are compared with (default: HEAD, when the library is in git).",
)
@click.option("--no-base", is_flag=True, help="Skip the check that needs a base revision.")
def lint(
    paths: tuple[Path, ...], library: Path | None, fmt: str, base: str | None, no_base: bool
) -> None:
    """Check the drafting of clause files: vague language, defined terms, SLA rows, owners.

    With PATHS, only findings in those files or folders are reported (the whole library is
    still read, since a term defined in one clause is used in another).
    """
    with reporting(fmt):
        from .lint import RULES, lint_library, load_config

        root = _root(library)
        cfg = load_config(root)
        with ExitStack() as stack:
            base_root, label = None, ""
            if not no_base and "approved-text-changed" in cfg.rules:
                snap = _optional_base(root, base, stack)
                if snap is not None:
                    base_root, label = snap.root, snap.label
            result = lint_library(root, list(paths), cfg, base_root, label)
        if result.diagnostics:
            _report(list(result.diagnostics), fmt)
            sys.exit(1)
        if fmt == "text":
            skipped = "" if base_root is not None else ", approved-text-changed skipped (no base)"
            click.echo(
                f"lint ok: {result.files} clause files, {len(cfg.rules & set(RULES))} rules, "
                f"{result.suppressed} suppressed{skipped}",
                err=True,
            )
        elif fmt == "json":
            click.echo("[]")


def _optional_base(root: Path, base: str | None, stack: ExitStack) -> Snapshot | None:
    """The base snapshot; without --base, HEAD if there is one, else nothing."""
    from .gitrev import check_revision, open_repo

    if base is not None:
        check_revision(base)
        return stack.enter_context(_snapshot(root, base))
    try:
        repo = open_repo(root)
        repo.resolve("HEAD")
    except UsageError:
        return None  # not in git, or no commit yet: nothing was approved before
    return stack.enter_context(_snapshot(root, "HEAD", repo))


# ---- diff ------------------------------------------------------------------------------------


@main.command()
@click.argument("base", metavar="BASE")
@click.argument("head", metavar="HEAD")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="Markdown (PR comment, step summary) or JSON.",
)
@click.option(
    "--deals",
    "deals",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Only these deal files (repeatable; default: every deals/*.yaml at either revision).",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the report to this file.",
)
@click.option(
    "--step-summary",
    is_flag=True,
    help="Also append the Markdown report to $GITHUB_STEP_SUMMARY.",
)
@click.option(
    "--max-diff-lines",
    type=click.IntRange(10, 100_000),
    default=300,
    show_default=True,
    help="Longest rendered-draft diff shown per deal.",
)
@library_option
def diff(
    base: str,
    head: str,
    fmt: str,
    deals: tuple[Path, ...],
    report_file: Path | None,
    step_summary: bool,
    max_diff_lines: int,
    library: Path | None,
) -> None:
    """Compare the library at two git revisions: clause changes, version bumps, affected deals.

    Exits 1 when a changed clause's version was not bumped enough. Revisions are read with git
    (never checked out); write them after `--` if they could look like options.
    """
    with reporting("text"):
        from .diff import compare, to_markdown
        from .gitrev import check_revision, open_repo

        check_revision(base)
        check_revision(head)
        root = _root(library)
        repo = open_repo(root)
        wanted = [_library_relative(root, d) for d in deals]
        with _snapshot(root, base, repo) as b, _snapshot(root, head, repo) as h:
            report = compare(b.root, h.root, base, head, wanted, b.sha, h.sha)
        md = to_markdown(report, max_diff_lines)
        text = report.to_json() if fmt == "json" else md
        click.echo(text, nl=not text.endswith("\n"))
        if report_file is not None:
            from .write import atomic_write

            atomic_write(report_file, text.encode("utf-8"))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary and summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(md)
        if report.problems:
            _report(list(report.problems), "text")
            sys.exit(1)


def _library_relative(root: Path, p: Path) -> str:
    cand = p if p.is_absolute() else (Path.cwd() / p)
    try:
        rel = cand.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = p.as_posix()
    from .gitrev import _safe_relpath

    if _safe_relpath(rel) is None or not rel.startswith("deals/") or not rel.endswith(".yaml"):
        raise usage(p.as_posix(), "bad-deal", "a deal must be a deals/*.yaml file of the library")
    return rel


# ---- redline ---------------------------------------------------------------------------------


@main.command()
@click.argument("base", metavar="BASE")
@click.argument("head", metavar="HEAD")
@click.argument("deal", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Word file to write (default: outputs/<deal>.redline.docx in the library).",
)
@click.option("--author", default="Clausebook", show_default=True, help="Author of the changes.")
@library_option
def redline(
    base: str, head: str, deal: Path, out: Path | None, author: str, library: Path | None
) -> None:
    """Write DEAL's draft at HEAD as Word, with tracked changes against its draft at BASE.

    The deal file is read at each revision; a deal that is not committed is read from disk.
    """
    with reporting():
        import datetime as dt

        from .build import make_draft
        from .docx.redline import render_redline
        from .gitrev import check_revision, open_repo
        from .write import atomic_write, output_stem

        check_revision(base)
        check_revision(head)
        root = _root(library)
        rel = _relative(root, deal)
        stem = output_stem(deal)
        repo = open_repo(root)
        docs = []
        with _snapshot(root, base, repo) as b, _snapshot(root, head, repo) as h:
            for snap in (b, h):
                lib = _load_at(snap)
                path = snap.root / rel if rel and (snap.root / rel).is_file() else deal
                if not path.is_file():
                    raise usage(deal.as_posix(), "missing-file", "deal file not found")
                docs.append(make_draft(lib, path, []).document)
            when = dt.datetime.fromtimestamp(h.time, tz=dt.UTC).replace(tzinfo=None)
            if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
                when = dt.datetime.fromtimestamp(
                    int(os.environ["SOURCE_DATE_EPOCH"]), tz=dt.UTC
                ).replace(tzinfo=None)
            reference = _reference(root)
            data, count = render_redline(docs[0], docs[1], reference, author, when)
        target = out if out is not None else root / "outputs" / f"{stem}.redline.docx"
        if target.is_symlink():
            raise usage(str(target), "symlink", "output file is a symbolic link; refused")
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, data)
        click.echo(f"redline {b.label} -> {h.label}: {count} tracked changes -> {target}", err=True)


def _relative(root: Path, p: Path) -> str | None:
    """The deal's path inside the library (to read it at each revision), or None.

    A relative path that names no file here is taken relative to the library root, so
    `redline BASE HEAD deals/acme.yaml --library lib` works from anywhere."""
    from .gitrev import _safe_relpath

    if not p.is_absolute() and not p.exists():
        rel = p.as_posix()
    else:
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
    return rel if _safe_relpath(rel) is not None else None


def _reference(root: Path) -> bytes | None:
    style = root / "styles" / "reference.docx"
    if style.is_file() and not style.is_symlink():
        from .docx.reference import read_reference

        return read_reference(style)
    return None


def _load_at(snap: Snapshot) -> Library:
    from .errors import ContentError
    from .validate import load_library

    try:
        return load_library(snap.root)
    except ContentError as exc:
        raise ContentError(
            [
                Diagnostic(d.path, d.line, d.col, d.rule, f"[at {snap.label}] {d.message}")
                for d in exc.diagnostics
            ]
        ) from None


# ---- build -------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if any committed outputs/*.md differs from what the library produces.",
)
@library_option
def build(check: bool, library: Path | None) -> None:
    """Draft every deals/*.yaml to outputs/<deal>.md (the Markdown drafts committed with the library)."""
    with reporting():
        from .outputs import build_outputs

        root = _root(library)
        problems, written, same = build_outputs(root, check)
        if check:
            if problems:
                _report(problems, "text")
                click.echo("run `clausebook build` and commit outputs/ to update them", err=True)
                sys.exit(1)
            click.echo(f"build check ok: {same} Markdown drafts match the library", err=True)
            return
        for name in written:
            click.echo(f"wrote {name}", err=True)
        click.echo(f"build: {len(written)} written, {same} unchanged", err=True)
        if problems:
            _report(problems, "text")
            sys.exit(1)


# ---- draft --at ------------------------------------------------------------------------------------


def draft_at(
    root: Path,
    rev: str,
    deals: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str],
    force: bool,
    reference: bytes | None,
    notes: bool = False,
    allow_deviations: bool = True,
) -> None:
    """`clausebook draft --at REV`: the library as it was at REV, the deal files as given."""
    from .build import make_draft, save_draft
    from .errors import ClausebookError, ContentError
    from .gitrev import check_revision
    from .write import output_dir

    check_revision(rev)
    out = output_dir(out_dir)
    problems: list[Diagnostic] = []
    with _snapshot(root, rev) as snap:
        lib = _load_at(snap)
        for d in deals:
            try:
                draft = make_draft(lib, d, formats, reference, notes, allow_deviations)
                name = next(n for n in draft.files if n.endswith(".manifest.json"))
                manifest = json.loads(draft.files[name])
                # The drafts come from a temporary copy: record the revision they were made from.
                manifest["library"] = {"commit": snap.sha, "revision": rev}
                draft.files[name] = (
                    json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
                ).encode("utf-8")
                result = save_draft(draft, out, force)
            except ClausebookError as exc:
                problems.extend(exc.diagnostics)
                continue
            shown = ", ".join(str(out / n) for n in result.written) or "unchanged"
            click.echo(f"drafted {d} at {snap.label} -> {shown}", err=True)
    if problems:
        raise ContentError(problems)
