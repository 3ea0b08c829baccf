"""A deal's life after the draft: sign, upgrades, amend (docs/lifecycle.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import library_option, library_root, reporting, require_file


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
    """Freeze what was signed for DEAL in a lock file beside it (DEAL.lock.json)."""
    with reporting():
        from ..lifecycle.sign import sign_deal
        from ..pipeline.build import open_library
        from ..playbook.check import refusals

        root = library_root(library)
        require_file(deal)
        lib = open_library(root)
        res = sign_deal(lib, deal, _date(on), force, None if allow_deviations else refusals)
        what = "signed" if res.written else "unchanged"
        click.echo(
            f"{what} {deal.as_posix()} -> {res.lock.as_posix()} ({res.clauses} clauses)", err=True
        )


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
    """List every clause of signed DEAL with a newer library version, and what it would change."""
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


COMMANDS = (sign, upgrades)
