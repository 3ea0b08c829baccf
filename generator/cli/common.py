"""What every command shares: --library and --format, finding the library, and turning every
ClausebookError into messages and an exit code (never a traceback)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click

from ..errors import ClausebookError, Diagnostic, format_diagnostics, printable, usage
from ..pipeline.locate import deal_file, find_library, house_style

__all__ = ["deal_file", "find_library", "house_style"]  # kept here for the commands

F = TypeVar("F", bound=Callable[..., object])


def library_option(f: F) -> F:
    """--library on a command; `clausebook --library X COMMAND` sets the same for every command."""
    return click.option(
        "--library",
        "library",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Library root (default: the repository you stand in).",
    )(f)


def group_library() -> Path | None:
    """The --library given to the `clausebook` group itself, if any."""
    ctx = click.get_current_context(silent=True)
    value = ctx.find_root().params.get("library") if ctx is not None else None
    return value if isinstance(value, Path) else None


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json", "github"]),
        default="text",
        show_default=True,
        help="How to print problems.",
    )(f)


def say(message: str) -> None:
    """A progress or success line on standard error; `clausebook --quiet` leaves them out."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.find_root().params.get("quiet"):
        click.echo(printable(message), err=True)  # file names may hold controls: escaped


def complete_clause_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of a clause id: the ids in the library's clauses/ file names."""
    chosen = ctx.find_root().params.get("library") or ctx.params.get("library")
    root = find_library(chosen if isinstance(chosen, Path) else Path.cwd())
    folder = root / "clauses"
    if not folder.is_dir():
        return []
    ids = sorted({p.stem for p in folder.glob("*/*.yaml")})
    return [i for i in ids if i.startswith(incomplete)]


def complete_deal(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of a deal file: deals/*.yaml here, else in the library."""
    from click.shell_completion import CompletionItem

    chosen = ctx.find_root().params.get("library") or ctx.params.get("library")
    root = find_library(chosen if isinstance(chosen, Path) else Path.cwd())
    here = Path.cwd()
    names = sorted(
        {p.relative_to(here).as_posix() for p in here.glob("deals/*.yaml")}
        | {f"deals/{p.name}" for p in (root / "deals").glob("*.yaml")}
    )
    hits = [n for n in names if n.startswith(incomplete)]
    # Anything else typed is a path: let the shell complete it as a file.
    return hits or [CompletionItem(incomplete, type="file")]  # type: ignore[list-item]


def library_root(library: Path | None) -> Path:
    from ..pipeline.files import library_root as checked

    chosen = library if library is not None else group_library()
    return checked(chosen if chosen is not None else find_library(Path.cwd()))


def require_file(path: Path, what: str = "deal file") -> None:
    if not path.is_file():
        raise usage(path.as_posix(), "missing-file", f"{what} not found")


def formats_option_value(formats: str) -> list[str]:
    """--format md,docx,pdf as a list; a click usage error for anything else."""
    fmts = [f.strip() for f in formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in ("md", "docx", "pdf")]
    if bad or not fmts:
        raise click.UsageError(
            f"--format takes md, docx and/or pdf, not {', '.join(bad) or 'nothing'}"
        )
    return fmts


@contextmanager
def reporting(fmt: str = "text") -> Iterator[None]:
    """Turn every ClausebookError into messages and an exit code; never a traceback."""
    try:
        yield
    except ClausebookError as exc:
        report(exc.diagnostics, fmt)
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


def report(diags: Sequence[Diagnostic], fmt: str) -> None:
    if not diags:
        return
    text = format_diagnostics(diags, fmt)
    click.echo(text, err=fmt == "text")
    if fmt == "text":
        n = len({(d.path, d.line, d.col, d.rule, d.message) for d in diags})
        if all(d.severity == "warning" for d in diags):
            click.echo(f"{n} warning{'s' if n != 1 else ''} (not failing)", err=True)
        else:
            click.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)
