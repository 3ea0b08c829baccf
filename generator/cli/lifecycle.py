"""A deal's life after the draft: sign, upgrades, amend (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import (
    formats_option_value,
    house_style,
    library_option,
    library_root,
    reporting,
    require_file,
    say,
)


def _date(value: str | None) -> dt.date:
    from ..errors import usage
    from ..portable import source_date_epoch

    if value is None:
        epoch = source_date_epoch()
        return epoch.date() if epoch is not None else dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise usage(value, "bad-date", "give the date as YYYY-MM-DD") from None


@click.command()
@click.argument("deal", type=click.Path(path_type=Path))
@click.option(
    "--date", "on", default=None, metavar="YYYY-MM-DD", help="Signing date (default: today)."
)
@click.option("--force", is_flag=True, help="Replace an existing signed record.")
@click.option(
    "--allow-deviations", is_flag=True, help="Sign even past a walk-away point (see `check`)."
)
@library_option
def sign(
    deal: Path, on: str | None, force: bool, allow_deviations: bool, library: Path | None
) -> None:
    """Freeze what was signed for DEAL in a lock file beside it (DEAL.lock.json).

    \b
    Example:
      clausebook sign deals/claims-hipaa-transaction.yaml --date 2027-01-10
    """
    with reporting():
        from ..lifecycle.sign import sign_deal
        from ..pipeline.build import open_library
        from ..playbook.check import refusals

        root = library_root(library)
        require_file(deal)
        lib = open_library(root)
        res = sign_deal(lib, deal, _date(on), force, None if allow_deviations else refusals)
        what = "signed" if res.written else "unchanged"
        say(f"{what} {deal.as_posix()} -> {res.lock.as_posix()} ({res.clauses} clauses)")


@click.command()
@click.argument("deal", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as text or JSON.",
)
@library_option
def upgrades(deal: Path, fmt: str, library: Path | None) -> None:
    """List every clause of signed DEAL with a newer library version, and what it would change.

    \b
    Example:
      clausebook upgrades deals/claims-hipaa-transaction.yaml --format json
    """
    with reporting():
        import json

        from ..lifecycle.lock import lock_path, read_lock
        from ..lifecycle.upgrades import find_upgrades, upgrades_text
        from ..pipeline.build import open_library

        root = library_root(library)
        require_file(deal)
        lock = lock_path(deal)
        signed = read_lock(lock, lock.as_posix())
        ups = find_upgrades(open_library(root), deal, signed)
        if fmt == "json":
            click.echo(json.dumps([u.to_json() for u in ups], indent=2, ensure_ascii=False))
        else:
            click.echo(upgrades_text(lock.as_posix(), signed, ups))


@click.command()
@click.argument("deal", type=click.Path(path_type=Path))
@click.option(
    "--to-maturity",
    type=click.IntRange(1, 4),
    default=None,
    help="Amend the signed agreement to this maturity level.",
)
@click.option(
    "--upgrade",
    "upgrade",
    is_flag=True,
    help="Bring in the library's newer clauses (CLAUSE ids after DEAL; none: every newer one).",
)
@click.argument("clauses", nargs=-1)
@click.option(
    "--effective",
    default=None,
    metavar="YYYY-MM-DD",
    help="Amendment effective date (default: today).",
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
    help="Comma-separated output formats: md, docx.",
)
@click.option(
    "--reference-docx",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Word file whose styles the documents use (house style).",
)
@click.option(
    "--author", default="Clausebook", show_default=True, help="Author of the redline's changes."
)
@click.option("--force", is_flag=True, help="Overwrite outputs even if they were edited by hand.")
@click.option("--allow-deviations", is_flag=True, help="Amend even past a walk-away point.")
@library_option
def amend(
    deal: Path,
    to_maturity: int | None,
    upgrade: bool,
    clauses: tuple[str, ...],
    effective: str | None,
    out: Path | None,
    formats: str,
    reference_docx: Path | None,
    author: str,
    force: bool,
    allow_deviations: bool,
    library: Path | None,
) -> None:
    """Draft an Amendment Agreement for signed DEAL, its conformed copy and a redline.

    \b
    Examples:
    clausebook amend deals/acme.yaml --to-maturity 3
    clausebook amend deals/acme.yaml --upgrade service-credits exit-plan
    """
    with reporting():
        from ..lifecycle.amend import make_amendment
        from ..lifecycle.amendment import Purpose
        from ..lifecycle.lock import lock_path, read_lock
        from ..pipeline.build import open_library, save_draft
        from ..playbook.check import refusals
        from ..writers.output import output_dir

        if (to_maturity is None) == (not upgrade):
            raise click.UsageError("give exactly one of --to-maturity N and --upgrade [CLAUSE...]")
        if clauses and not upgrade:
            raise click.UsageError("CLAUSE ids go with --upgrade")
        fmts = formats_option_value(formats)
        root = library_root(library)
        require_file(deal)
        lock = lock_path(deal)
        signed = read_lock(lock, lock.as_posix())
        purpose = Purpose(to_maturity, tuple(clauses))
        made = make_amendment(
            open_library(root),
            deal,
            signed,
            purpose,
            _date(effective),
            fmts,
            house_style(root, reference_docx),
            None if allow_deviations else refusals,
            author,
        )
        out_dir = out if out is not None else root / "outputs"
        res = save_draft(made.draft, output_dir(out_dir), force)
        shown = ", ".join(str(out_dir / n) for n in res.written) or "unchanged"
        for note in made.notes:
            say(f"note: {note}")
        say(f"amended {deal.as_posix()}: {len(made.changes)} clauses change -> {shown}")


COMMANDS = (sign, upgrades, amend)
