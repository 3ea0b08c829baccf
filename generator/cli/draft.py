"""Drafter commands: validate, draft, explain, clauses, coverage, reference-docx, schema-doc.

Only click is imported at the top: each command imports its work inside, so `--help` is fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import (
    format_option,
    formats_option_value,
    house_style,
    library_option,
    library_root,
    report,
    reporting,
    require_file,
)

if TYPE_CHECKING:
    from ..pipeline.build import BatchOptions


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@library_option
@format_option
def validate(paths: tuple[Path, ...], library: Path | None, fmt: str) -> None:
    """Check the library (schemas, cross-references, templates) and deal files.

    With no PATHS, also drafts every deal in deals/ in memory to catch render errors.
    """
    with reporting(fmt):
        from ..pipeline.validate import validate_all
        from ..playbook.outcomes import outcome_errors

        root = library_root(library)
        result = validate_all(root, list(paths))
        diags = list(result.diagnostics)
        if result.library is not None:
            diags += outcome_errors(result.library, root)
        if diags:
            report(diags, fmt)
            sys.exit(1)
        if fmt == "text":
            click.echo(f"ok: {result.counts}", err=True)


@click.command()
@click.argument("deals", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: outputs/ in the library).",
)
@click.option(
    "--format",
    "formats",
    default="md,docx",
    show_default=True,
    help="Comma-separated output formats: md, docx, pdf (pdf needs LibreOffice).",
)
@click.option(
    "--reference-docx",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Word file whose styles the draft uses (house style).",
)
@click.option("--force", is_flag=True, help="Overwrite drafts even if they were edited by hand.")
@click.option(
    "--notes",
    is_flag=True,
    help="Write an internal copy, <deal>.internal.docx, with drafting notes and negotiation "
    "guidance in Word comments (marked not for circulation).",
)
@click.option(
    "--page-numbers",
    is_flag=True,
    help="Lay the draft out once with LibreOffice to put page numbers in the table of "
    "contents (always done for pdf).",
)
@click.option(
    "--allow-deviations",
    is_flag=True,
    help="Draft even past a walk-away point or without a needed approval (see `clausebook check`).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Draft this many deals in parallel.",
)
@click.option(
    "--at",
    "at",
    default=None,
    metavar="REV",
    help="Draft from the library as it was at this git revision (read with git, never checked out).",
)
@library_option
def draft(
    deals: tuple[Path, ...],
    out: Path | None,
    formats: str,
    reference_docx: Path | None,
    force: bool,
    notes: bool,
    page_numbers: bool,
    allow_deviations: bool,
    jobs: int,
    at: str | None,
    library: Path | None,
) -> None:
    """Draft each DEAL profile as Markdown and Word, with a manifest."""
    with reporting():
        from ..pipeline.build import BatchOptions, draft_many
        from ..playbook.check import refusals

        fmts = formats_option_value(formats)
        root = library_root(library)
        for d in deals:
            require_file(d)
        reference = house_style(root, reference_docx)
        opts = BatchOptions(
            tuple(fmts),
            force,
            reference,
            notes,
            None if allow_deviations else refusals,
            page_numbers,
        )
        out_dir = out if out is not None else root / "outputs"
        if at is not None:
            _draft_at(root, at, deals, out_dir, opts)
            return
        with _progress(len(deals)) as tick:
            results, diags = draft_many(root, list(deals), out_dir, opts, jobs, tick)
        for r in results:
            shown = ", ".join(str(out_dir / n) for n in r.written) or "unchanged"
            click.echo(f"drafted {r.deal_file} -> {shown}", err=True)
        if diags:
            report(diags, "text")
            sys.exit(1)


def _draft_at(
    root: Path, at: str, deals: tuple[Path, ...], out_dir: Path, opts: BatchOptions
) -> None:
    from ..errors import ContentError
    from ..review.revisions import draft_at

    done, problems = draft_at(root, at, deals, out_dir, opts)
    for d in done:
        shown = ", ".join(str(d.out_dir / n) for n in d.result.written) or "unchanged"
        click.echo(f"drafted {d.deal} at {d.label} -> {shown}", err=True)
    if problems:
        raise ContentError(problems)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None] | None]:
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("drafting", total=total)
        yield lambda _name: progress.advance(task)


@click.command()
@click.argument("deal", type=click.Path(path_type=Path, dir_okay=False))
@library_option
def explain(deal: Path, library: Path | None) -> None:
    """Show which clauses and variants DEAL gets, why, and where each value came from."""
    with reporting():
        from ..views.explain import explain_deal

        explain_deal(library_root(library), deal)


@click.group()
def clauses() -> None:
    """Browse the clause library."""


@clauses.command("list")
@click.option("--topic", default=None, help="Only this topic.")
@click.option(
    "--maturity",
    type=click.IntRange(1, 4),
    default=None,
    help="Only clauses with a variant for this level.",
)
@library_option
def clauses_list(topic: str | None, maturity: int | None, library: Path | None) -> None:
    """List clauses with their variants."""
    with reporting():
        from ..views.explain import list_clauses

        list_clauses(library_root(library), topic, maturity)


@clauses.command("show")
@click.argument("clause_id")
@library_option
def clauses_show(clause_id: str, library: Path | None) -> None:
    """Show one clause: parameters, variants, notes and guidance."""
    with reporting():
        from ..views.explain import show_clause

        show_clause(library_root(library), clause_id)


@click.command("coverage")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "md"]), default="table", show_default=True
)
@click.option(
    "--strict", is_flag=True, help="Exit 1 when a clause lacks a client or balanced variant."
)
@library_option
def coverage(fmt: str, strict: bool, library: Path | None) -> None:
    """Matrix of topics x maturity levels x stances, with the gaps named."""
    with reporting():
        from ..pipeline.build import open_library
        from ..views.coverage import coverage as compute
        from ..views.coverage import coverage_markdown, print_coverage

        cov = compute(open_library(library_root(library)))
        if fmt == "md":
            click.echo(coverage_markdown(cov), nl=False)
        else:
            print_coverage(cov)
        if strict and any(g.hard for g in cov.gaps):
            sys.exit(1)


@click.command("reference-docx")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
def reference_docx(out: Path) -> None:
    """Write the default house-style reference .docx to OUT, to restyle and keep in styles/."""
    with reporting():
        from ..errors import usage
        from ..writers.docx.reference import default_reference
        from ..writers.output import atomic_write

        if out.exists():
            raise usage(str(out), "exists", "file exists; choose another name")
        atomic_write(out, default_reference())
        click.echo(
            f"wrote {out}; restyle it in Word and save it as styles/reference.docx", err=True
        )


@click.command("schema-doc")
def schema_doc() -> None:
    """Print the deal profile reference (docs/deal-profile.md) generated from the schema."""
    with reporting():
        from ..views.schemadoc import deal_profile_markdown

        click.echo(deal_profile_markdown(), nl=False)


COMMANDS = (validate, draft, explain, clauses, coverage, reference_docx, schema_doc)
