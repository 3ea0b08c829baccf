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

from ..errors import ClausebookError, Diagnostic, format_diagnostics, usage

F = TypeVar("F", bound=Callable[..., object])


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


def library_root(library: Path | None) -> Path:
    from ..pipeline.files import library_root as checked

    return checked(library if library is not None else find_library(Path.cwd()))


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


def house_style(root: Path, explicit: Path | None = None) -> bytes | None:
    """The reference .docx: --reference-docx, else the library's styles/reference.docx."""
    from ..writers.docx.reference import read_reference

    path = explicit
    style = root / "styles" / "reference.docx"
    if path is None and style.is_file() and not style.is_symlink():
        path = style
    return read_reference(path) if path is not None else None


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
        click.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)
