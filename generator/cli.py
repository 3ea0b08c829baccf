"""The `clausebook` command line: thin click commands; each imports its stage lazily."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import ClausebookError, Diagnostic, format_diagnostics

F = TypeVar("F", bound=Callable[..., Any])


def find_library(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds a clauses/ folder."""
    for folder in (start, *start.parents):
        if (folder / "clauses").is_dir():
            return folder
    return start


def library_option(f: F) -> F:
    return click.option(
        "--library",
        "library",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Library root (default: the repository you stand in).",
    )(f)


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json", "github"]),
        default="text",
        show_default=True,
        help="How to print problems.",
    )(f)


def _root(library: Path | None) -> Path:
    from .validate import library_root

    return library_root(library if library is not None else find_library(Path.cwd()))


@contextmanager
def reporting(fmt: str = "text") -> Iterator[None]:
    """Turn every ClausebookError into messages and an exit code; never a traceback."""
    try:
        yield
    except ClausebookError as exc:
        _report(exc.diagnostics, fmt)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except (click.exceptions.Exit, click.exceptions.ClickException):
        raise
    except Exception as exc:  # a bug in clausebook, not in the user's files
        if os.environ.get("CLAUSEBOOK_DEBUG"):
            raise
        click.echo(
            f"clausebook: internal error: {type(exc).__name__}: {exc} "
            "(set CLAUSEBOOK_DEBUG=1 for details and please report it)",
            err=True,
        )
        sys.exit(3)


def _report(diags: Sequence[Diagnostic], fmt: str) -> None:
    if not diags:
        return
    text = format_diagnostics(diags, fmt)
    click.echo(text, err=fmt == "text")
    if fmt == "text":
        n = len({(d.path, d.line, d.col, d.rule, d.message) for d in diags})
        click.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clausebook")
def main() -> None:
    """Clausebook: draft BPO master services agreements from a clause library."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@library_option
@format_option
def validate(paths: tuple[Path, ...], library: Path | None, fmt: str) -> None:
    """Check the library (schemas, cross-references, templates) and deal files.

    With no PATHS, also drafts every deal in deals/ in memory to catch render errors.
    """
    with reporting(fmt):
        from .check import validate_all

        root = _root(library)
        diags, counts = validate_all(root, list(paths))
        if diags:
            _report(diags, fmt)
            sys.exit(1)
        if fmt == "text":
            click.echo(f"ok: {counts}", err=True)


@main.command()
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
    help="Comma-separated output formats: md, docx.",
)
@click.option(
    "--reference-docx",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Word file whose styles the draft uses (house style).",
)
@click.option("--force", is_flag=True, help="Overwrite drafts even if they were edited by hand.")
@click.option(
    "--notes", is_flag=True, help="Put drafting notes and negotiation guidance in Word comments."
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
    allow_deviations: bool,
    jobs: int,
    at: str | None,
    library: Path | None,
) -> None:
    """Draft each DEAL profile as Markdown and Word, with a manifest."""
    with reporting():
        from .build import FORMATS, draft_many

        fmts = [f.strip() for f in formats.split(",") if f.strip()]
        bad = [f for f in fmts if f not in FORMATS]
        if bad or not fmts:
            raise click.UsageError(
                f"--format takes md and/or docx, not {', '.join(bad) or 'nothing'}"
            )
        root = _root(library)
        for d in deals:
            if not d.is_file():
                from .errors import usage

                raise usage(d.as_posix(), "missing-file", "deal file not found")
        reference = None
        if reference_docx is None and (root / "styles" / "reference.docx").is_file():
            reference_docx = root / "styles" / "reference.docx"
        if reference_docx is not None:
            from .docx.reference import read_reference

            reference = read_reference(reference_docx)
        out_dir = out if out is not None else root / "outputs"
        if at is not None:
            from .cli_review import draft_at

            draft_at(root, at, deals, out_dir, fmts, force, reference, notes, allow_deviations)
            return
        with _progress(len(deals)) as tick:
            results, diags = draft_many(
                root,
                list(deals),
                out_dir,
                fmts,
                force,
                reference,
                jobs,
                tick,
                notes,
                allow_deviations,
            )
        for r in results:
            shown = ", ".join(str(out_dir / n) for n in r.written) or "unchanged"
            click.echo(f"drafted {r.deal_file} -> {shown}", err=True)
        if diags:
            _report(diags, "text")
            sys.exit(1)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None] | None]:
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("drafting", total=total)
        yield lambda _name: progress.advance(task)


@main.command()
@click.argument("deal", type=click.Path(path_type=Path, dir_okay=False))
@library_option
def explain(deal: Path, library: Path | None) -> None:
    """Show which clauses and variants DEAL gets, why, and where each value came from."""
    with reporting():
        from .explain import explain_deal

        explain_deal(_root(library), deal)


@main.group()
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
        from .explain import list_clauses

        list_clauses(_root(library), topic, maturity)


@clauses.command("show")
@click.argument("clause_id")
@library_option
def clauses_show(clause_id: str, library: Path | None) -> None:
    """Show one clause: parameters, variants, notes and guidance."""
    with reporting():
        from .explain import show_clause

        show_clause(_root(library), clause_id)


@main.command("coverage")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "md"]), default="table", show_default=True
)
@click.option(
    "--strict", is_flag=True, help="Exit 1 when a clause lacks a client or balanced variant."
)
@library_option
def coverage_cmd(fmt: str, strict: bool, library: Path | None) -> None:
    """Matrix of topics x maturity levels x stances, with the gaps named."""
    with reporting():
        from .build import open_library
        from .coverage import coverage, coverage_markdown

        cov = coverage(open_library(_root(library)))
        if fmt == "md":
            click.echo(coverage_markdown(cov), nl=False)
        else:
            from rich.console import Console
            from rich.table import Table

            from .coverage import LEVELS
            from .model import STANCES

            table = Table(title="Variants by topic, maturity level and stance")
            table.add_column("Topic")
            for lvl in LEVELS:
                for s in STANCES:
                    table.add_column(f"L{lvl} {s[0].upper()}", justify="right")
            for t in cov.topics:
                cells = [
                    str(cov.counts.get((t, lvl, s), 0) or "·") for lvl in LEVELS for s in STANCES
                ]
                table.add_row(t, *cells)
            con = Console(width=140)
            con.print(table)
            for g in cov.gaps:
                con.print(f"gap: {g}")
        hard = [g for g in cov.gaps if "provider" not in g]
        if strict and hard:
            sys.exit(1)


@main.command("reference-docx")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
def reference_docx_cmd(out: Path) -> None:
    """Write the default house-style reference .docx to OUT, to restyle and keep in styles/."""
    with reporting():
        from .docx.reference import default_reference
        from .write import atomic_write

        if out.exists():
            from .errors import usage

            raise usage(str(out), "exists", "file exists; choose another name")
        atomic_write(out, default_reference())
        click.echo(
            f"wrote {out}; restyle it in Word and save it as styles/reference.docx", err=True
        )


@main.command("schema-doc")
def schema_doc() -> None:
    """Print the deal profile reference (docs/deal-profile.md) generated from the schema."""
    with reporting():
        from .schemadoc import deal_profile_markdown

        click.echo(deal_profile_markdown(), nl=False)


# Registers `check`, `memo` and the `playbook` group.
from . import cli_playbook as _cli_playbook  # noqa: E402,F401
from . import cli_review as _cli_review  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    # Under `python -m` this file runs as __main__, but the command modules registered on
    # generator.cli's own group: run that one.
    from generator.cli import main as _package_main

    _package_main()
