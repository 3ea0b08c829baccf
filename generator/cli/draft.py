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
    complete_clause_id,
    complete_deal,
    deal_file,
    find_library,
    format_option,
    formats_option_value,
    group_library,
    house_style,
    library_option,
    library_root,
    report,
    reporting,
    say,
)

if TYPE_CHECKING:
    from ..pipeline.build import BatchOptions, DraftResult


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@library_option
@format_option
def validate(paths: tuple[Path, ...], library: Path | None, fmt: str) -> None:
    """Check the library (schemas, cross-references, templates) and deal files.

    With no PATHS, also drafts every deal in deals/ in memory to catch render errors. A deal
    that `draft` would refuse (past a walk-away point, an approval missing) fails here too.
    Warnings (a clause no playbook places, a schemas/ copy that differs from the engine's) are
    printed but do not fail.

    \b
    Examples:
      clausebook validate                      # the whole library and every deal
      clausebook validate deals/acme.yaml --format json
    """
    with reporting(fmt):
        from ..pipeline.placement import unplaced
        from ..pipeline.validate import validate_all
        from ..playbook.check import refusals
        from ..playbook.outcomes import outcome_errors
        from ..scaffold.schemas import schema_drift

        root = library_root(library)
        result = validate_all(root, list(paths), refusals)
        diags = list(result.diagnostics) + schema_drift(root)
        if result.library is not None:
            from ..contract.terms import regime_problems

            diags += outcome_errors(result.library, root) + unplaced(result.library)
            diags += regime_problems(result.library)
        if not paths:
            from ..lifecycle.lock import lock_errors

            diags += lock_errors(root)  # a signed record edited by hand fails review
        report(diags, fmt)
        if any(d.severity == "error" for d in diags):
            sys.exit(1)
        if fmt == "json" and not diags:
            click.echo("[]")
        elif fmt == "text":
            say(f"ok: {result.counts}")


@click.command()
@click.argument(
    "deals", nargs=-1, required=True, shell_complete=complete_deal, type=click.Path(path_type=Path)
)
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
    "--json", "as_json", is_flag=True, help="Print what was written as JSON on standard output."
)
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
    "--placeholders",
    is_flag=True,
    help="Print a deal-supplied figure the deal does not state as a visible placeholder "
    "('[●Fixed Monthly Fee — to be agreed]') instead of failing; `clausebook lint` on the "
    "draft lists them and fails until they are agreed.",
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
    as_json: bool,
    notes: bool,
    page_numbers: bool,
    allow_deviations: bool,
    placeholders: bool,
    jobs: int,
    at: str | None,
    library: Path | None,
) -> None:
    """Draft each DEAL profile as Markdown and Word, with a manifest.

    \b
    Examples:
      clausebook draft deals/acme.yaml                # outputs/acme.md, .docx, .manifest.json
      clausebook draft deals/*.yaml -j 4 --format docx --notes
    """
    with reporting():
        from ..pipeline.build import BatchOptions, draft_many
        from ..playbook.check import refusals

        fmts = formats_option_value(formats)
        root = library_root(library)
        deals = tuple(deal_file(root, d) for d in deals)
        reference = house_style(root, reference_docx)
        opts = BatchOptions(
            tuple(fmts),
            force,
            reference,
            notes,
            None if allow_deviations else refusals,
            page_numbers,
            placeholders,
        )
        out_dir = out if out is not None else root / "outputs"
        if at is not None:
            _draft_at(root, at, deals, out_dir, opts)
            return
        with _progress(len(deals)) as tick:
            results, diags = draft_many(root, list(deals), out_dir, opts, jobs, tick)
        _say_drafted(results, out_dir)
        if as_json:
            _json(
                [
                    {"deal": str(r.deal_file), "written": [str(out_dir / n) for n in r.written]}
                    for r in results
                ]
            )
        if diags:
            report(diags, "text")
            sys.exit(1)


# Past this many deals, a terminal gets one summary line after the progress bar instead of a
# line a deal (a batch of 1,000 was 1,000 lines); a log or a script still gets a line a deal.
SUMMARY_AFTER = 10


def _terminal() -> bool:
    return sys.stderr.isatty()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _say_drafted(results: list[DraftResult], out_dir: Path) -> None:
    from ..errors import printable

    for r in results:
        if r.placeholders:  # said even with --quiet: this draft is not ready to send
            click.echo(
                printable(
                    f"warning: {r.deal_file}: {_count(r.placeholders, 'placeholder')} still to be agreed "
                    f"(`clausebook lint {out_dir}` lists them)"
                ),
                err=True,
            )
    if len(results) > SUMMARY_AFTER and _terminal():
        written = sum(1 for r in results if r.written)
        say(
            f"drafted {len(results)} deals -> {out_dir} "
            f"({written} written, {len(results) - written} unchanged)"
        )
        return
    for r in results:
        shown = ", ".join(str(out_dir / n) for n in r.written) or "unchanged"
        say(f"drafted {r.deal_file} -> {shown}")


def _draft_at(
    root: Path, at: str, deals: tuple[Path, ...], out_dir: Path, opts: BatchOptions
) -> None:
    from ..errors import ContentError
    from ..review.revisions import draft_at

    done, problems = draft_at(root, at, deals, out_dir, opts)
    for d in done:
        shown = ", ".join(str(d.out_dir / n) for n in d.result.written) or "unchanged"
        say(f"drafted {d.deal} at {d.label} -> {shown}")
    if problems:
        raise ContentError(problems)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None] | None]:
    if total < 2 or not _terminal():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("drafting", total=total)
        yield lambda _name: progress.advance(task)


@click.command()
@click.argument(
    "deal", shell_complete=complete_deal, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@library_option
def explain(deal: Path, fmt: str, library: Path | None) -> None:
    """Show which clauses and variants DEAL gets, why, and where each value came from.

    \b
    Example:
      clausebook explain deals/acme.yaml
    """
    with reporting():
        from ..views.explain import explain_deal, explain_json

        root = library_root(library)
        if fmt == "json":
            _json(explain_json(root, deal_file(root, deal)))
        else:
            explain_deal(root, deal_file(root, deal))


@click.group()
def clauses() -> None:
    """Browse the clause library.

    \b
    Examples:
      clausebook clauses list --topic sla
      clausebook clauses show service-credits --format json
    """


@clauses.command("list")
@click.option("--topic", default=None, help="Only this topic.")
@click.option(
    "--maturity",
    type=click.IntRange(1, 4),
    default=None,
    help="Only clauses with a variant for this level.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@library_option
def clauses_list(topic: str | None, maturity: int | None, fmt: str, library: Path | None) -> None:
    """List clauses with their variants.

    \b
    Example:
      clausebook clauses list --topic sla --maturity 3
    """
    with reporting():
        from ..views.explain import clauses_json, list_clauses

        if fmt == "json":
            _json(clauses_json(library_root(library), topic, maturity))
        else:
            list_clauses(library_root(library), topic, maturity)


@clauses.command("show")
@click.argument("clause_id", shell_complete=complete_clause_id)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@library_option
def clauses_show(clause_id: str, fmt: str, library: Path | None) -> None:
    """Show one clause: parameters, variants, notes and guidance.

    \b
    Example:
      clausebook clauses show service-credits
    """
    with reporting():
        from ..views.explain import clause_json, show_clause

        if fmt == "json":
            _json(clause_json(library_root(library), clause_id))
        else:
            show_clause(library_root(library), clause_id)


@click.command("coverage")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when a clause lacks a client or balanced variant, or no playbook places it.",
)
@library_option
def coverage(fmt: str, strict: bool, library: Path | None) -> None:
    """Matrix of topics x maturity levels x stances, with the gaps named.

    \b
    Example:
      clausebook coverage --format md --strict
    """
    with reporting():
        from ..pipeline.build import open_library
        from ..views.coverage import coverage as compute
        from ..views.coverage import coverage_json, coverage_markdown, print_coverage

        cov = compute(open_library(library_root(library)))
        if fmt == "json":
            _json(coverage_json(cov))
        elif fmt == "md":
            click.echo(coverage_markdown(cov), nl=False)
        else:
            print_coverage(cov)
        if strict and any(g.hard for g in cov.gaps):
            sys.exit(1)


def _json(data: object) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.command("reference-docx")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@library_option
def reference_docx(out: Path, library: Path | None) -> None:
    """Write the house-style reference .docx to OUT, to restyle and keep as styles/reference.docx.

    Inside a library that has a styles/reference.docx, that is the file written (so a restyle
    starts from the current house style); otherwise the engine's default.

    \b
    Example:
      clausebook reference-docx house.docx     # restyle in Word, save as styles/reference.docx
    """
    with reporting():
        from ..errors import usage
        from ..pipeline.files import library_root as checked
        from ..writers.docx.reference import default_reference
        from ..writers.output import atomic_write

        if out.exists():
            raise usage(str(out), "exists", "file exists; choose another name")
        start = library or group_library() or find_library(Path.cwd())
        root = checked(start) if (start / "clauses").is_dir() else None
        current = house_style(root) if root is not None else None
        atomic_write(out, current if current is not None else default_reference())
        source = "the library's house style" if current is not None else "the default house style"
        say(f"wrote {out} ({source}); restyle it in Word and save it as styles/reference.docx")


@click.command("schema-doc")
@library_option
def schema_doc(library: Path | None) -> None:
    """Print the deal profile reference (docs/deal-profile.md) generated from the schema.

    The reference is the engine's schema, the one every library is validated with, so
    --library (accepted like every command's) changes nothing.

    \b
    Example:
      clausebook schema-doc > docs/deal-profile.md
    """
    with reporting():
        from ..views.schemadoc import deal_profile_markdown

        click.echo(deal_profile_markdown(), nl=False)


COMMANDS = (validate, draft, explain, clauses, coverage, reference_docx, schema_doc)
