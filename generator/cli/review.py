"""Reviewer commands: lint, diff, redline, build.

Only click is imported at the top: each command imports its work inside, so `--help` is fast.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import UsageError, usage
from .common import (
    complete_deal,
    format_option,
    house_style,
    library_option,
    library_root,
    report,
    reporting,
    say,
)

if TYPE_CHECKING:
    from ..review.gitrev import Snapshot


# ---- lint ------------------------------------------------------------------------------------


@click.command()
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

    Drafts are read too (outputs/*.md, or the Markdown drafts and folders in PATHS): a
    placeholder still to be agreed, one quantity stated with two values. With PATHS, only
    findings in those files or folders are reported (the whole library is still read, since a
    term defined in one clause is used in another).

    \b
    Examples:
      clausebook lint                      # every clause file and outputs/*.md
      clausebook lint clauses/sla --base main
      clausebook lint ~/drafts/acme.md     # a draft made with draft --placeholders
    """
    with reporting(fmt):
        from ..review.lint import RULES, lint_library, load_config

        root = library_root(library)
        cfg = load_config(root)
        with ExitStack() as stack:
            base_root, label = None, ""
            if not no_base and "approved-text-changed" in cfg.rules:
                snap = _optional_base(root, base, stack)
                if snap is not None:
                    base_root, label = snap.root, snap.label
            result = lint_library(root, list(paths), cfg, base_root, label)
        if result.diagnostics:
            report(list(result.diagnostics), fmt)
            sys.exit(1)
        if fmt == "text":
            skipped = "" if base_root is not None else ", approved-text-changed skipped (no base)"
            click.echo(
                f"lint ok: {result.files} clause files, {result.drafts} drafts, "
                f"{len(cfg.rules & set(RULES))} rules, "
                f"{result.suppressed} suppressed{skipped}",
                err=True,
            )
        elif fmt == "json":
            click.echo("[]")


def _optional_base(root: Path, base: str | None, stack: ExitStack) -> Snapshot | None:
    """The base snapshot; without --base, HEAD if there is one, else nothing."""
    from ..review.gitrev import check_revision, open_repo, snapshot

    if base is not None:
        check_revision(base)
        return stack.enter_context(snapshot(root, base))
    try:
        repo = open_repo(root)
        repo.resolve("HEAD")
    except UsageError:
        return None  # not in git, or no commit yet: nothing was approved before
    return stack.enter_context(snapshot(root, "HEAD", repo))


# ---- diff ------------------------------------------------------------------------------------


@click.command()
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
    "--markdown",
    "markdown_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the Markdown report to this file (with --format json: the PR comment).",
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
    markdown_file: Path | None,
    step_summary: bool,
    max_diff_lines: int,
    library: Path | None,
) -> None:
    """Compare the library at two git revisions: clause changes, version bumps, affected deals.

    Exits 1 when a changed clause's version was not bumped enough. Revisions are read with git
    (never checked out); write them after `--` if they could look like options.

    \b
    Examples:
      clausebook diff main HEAD
      clausebook diff --format json --report review.json -- "$BASE_SHA" HEAD
    """
    with reporting("text"):
        from ..review.diff import compare
        from ..review.diff_report import to_markdown
        from ..review.gitrev import check_revision, open_repo, snapshot

        check_revision(base)
        check_revision(head)
        root = library_root(library)
        repo = open_repo(root)
        wanted = [_library_relative(root, d) for d in deals]
        with snapshot(root, base, repo) as b, snapshot(root, head, repo) as h:
            result = compare(b.root, h.root, base, head, wanted, b.sha, h.sha)
        md = to_markdown(result, max_diff_lines)
        text = result.to_json() if fmt == "json" else md
        click.echo(text, nl=not text.endswith("\n"))
        if report_file is not None:
            from ..writers.output import atomic_write

            atomic_write(report_file, text.encode("utf-8"))
        if markdown_file is not None:
            from ..writers.output import atomic_write

            atomic_write(markdown_file, md.encode("utf-8"))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary and summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(md)
        if result.problems:
            report(list(result.problems), "text")
            sys.exit(1)


def _library_relative(root: Path, p: Path) -> str:
    cand = p if p.is_absolute() else (Path.cwd() / p)
    try:
        rel = cand.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = p.as_posix()
    from ..review.gitrev import safe_relpath

    if safe_relpath(rel) is None or not rel.startswith("deals/") or not rel.endswith(".yaml"):
        raise usage(p.as_posix(), "bad-deal", "a deal must be a deals/*.yaml file of the library")
    return rel


# ---- redline ---------------------------------------------------------------------------------


@click.command()
@click.argument("base", metavar="BASE")
@click.argument("head", metavar="HEAD")
@click.argument("deal", shell_complete=complete_deal, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Word file to write (default: outputs/<deal>.redline.docx in the library).",
)
@click.option("--author", default="Clausebook", show_default=True, help="Author of the changes.")
@click.option("--force", is_flag=True, help="Overwrite outputs even if they were edited by hand.")
@library_option
def redline(
    base: str,
    head: str,
    deal: Path,
    out: Path | None,
    author: str,
    force: bool,
    library: Path | None,
) -> None:
    """Write DEAL's draft at HEAD as Word, with tracked changes against its draft at BASE.

    The deal file is read at each revision; a deal that is not committed is read from disk.

    \b
    Example:
      clausebook redline main HEAD deals/acme.yaml -o acme.redline.docx
    """
    with reporting():
        from ..review.gitrev import check_revision
        from ..review.revisions import redline_between
        from ..writers.output import guarded_write, output_stem

        check_revision(base)
        check_revision(head)
        root = library_root(library)
        stem = output_stem(deal)
        red = redline_between(root, base, head, deal, house_style(root), author)
        target = out if out is not None else root / "outputs" / f"{stem}.redline.docx"
        if target.is_symlink():
            raise usage(str(target), "symlink", "output file is a symbolic link; refused")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise usage(
                str(target.parent), "output-dir", f"cannot create the folder ({exc.strerror})"
            ) from None
        guarded_write(target, red.data, force)
        click.echo(
            f"redline {red.base_label} -> {red.head_label}: {red.changes} tracked changes -> {target}",
            err=True,
        )


# ---- build -------------------------------------------------------------------------------------


@click.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if any committed outputs/*.md differs from what the library produces.",
)
@click.option("--force", is_flag=True, help="Overwrite outputs even if they were edited by hand.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print what was written (or is stale) as JSON."
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Also write outputs/<deal>.docx and .pdf with TOC page numbers (needs LibreOffice; "
    "not committed).",
)
@library_option
def build(check: bool, as_json: bool, force: bool, pdf: bool, library: Path | None) -> None:
    """Draft every deals/*.yaml to outputs/<deal>.md (the Markdown drafts committed with the library).

    A deal that `draft` would refuse (past a walk-away point, an approval missing) fails here too.

    \b
    Examples:
      clausebook build            # after changing a clause: rewrite outputs/*.md, then commit
      clausebook build --check    # in CI: exit 1 if a committed draft is stale
      clausebook build --pdf      # Word and PDF of every sample deal too (not committed)
    """
    with reporting():
        from ..playbook.check import refusals
        from ..review.outputs import build_outputs

        root = library_root(library)
        problems, written, same = build_outputs(root, check, refusals, force)
        if as_json:
            import json

            stale = sorted({d.path for d in problems if d.rule.startswith("build-")})
            summary = {"written": written, "unchanged": same, "stale": stale, "check": check}
            click.echo(json.dumps(summary, indent=2))
        if pdf and not check and not problems:
            written += _build_pdfs(root)
        if check:
            if problems:
                report(problems, "text")
                click.echo("run `clausebook build` and commit outputs/ to update them", err=True)
                sys.exit(1)
            say(f"build check ok: {same} Markdown drafts match the library")
            return
        for name in written:
            say(f"wrote {name}")
        say(f"build: {len(written)} written, {same} unchanged")
        if problems:
            report(problems, "text")
            sys.exit(1)


# ---- pr-comment --------------------------------------------------------------------------------


@click.command("pr-comment")
@click.argument("report_md", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def pr_comment(report_md: Path) -> None:
    """Post REPORT_MD (from `diff --markdown`) as the pull request's one clause-review comment,
    or update it if an earlier run posted it.

    Reads GITHUB_TOKEN (with `pull-requests: write`), GITHUB_REPOSITORY, GITHUB_EVENT_PATH and
    GITHUB_API_URL, as GitHub Actions sets them.

    \b
    Example (in a workflow step):
      clausebook diff --markdown review.md -- "$BASE_SHA" HEAD && clausebook pr-comment review.md
    """
    with reporting():
        from ..review.comment import post_sticky, target_from_env

        target = target_from_env(dict(os.environ))
        done = post_sticky(target, report_md.read_text("utf-8"))
        say(f"review comment {done} on pull request #{target.number}")


def _build_pdfs(root: Path) -> list[str]:
    """Word and PDF of every sample deal beside its Markdown draft (git ignores both)."""
    from ..errors import ContentError
    from ..pipeline.build import BatchOptions, draft_many

    deals = sorted((root / "deals").glob("*.yaml"))
    opts = BatchOptions(("md", "docx", "pdf"), reference=house_style(root))
    results, diags = draft_many(root, deals, root / "outputs", opts)
    if diags:
        raise ContentError(diags)
    return [name for r in results for name in r.written if not name.endswith(".json")]


COMMANDS = (lint, diff, redline, build, pr_comment)
