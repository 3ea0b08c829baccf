"""`clausebook site`: the library as a static catalogue for anyone reading it."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .common import house_style, library_option, library_root, reporting, say


@click.command("site")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder (default: site/ in the library).",
)
@click.option("--at", "at", default=None, help="Build the library as it was at this git revision.")
@click.option("--force", is_flag=True, help="Write into a folder that holds other files.")
@library_option
def site_cmd(out: Path | None, at: str | None, force: bool, library: Path | None) -> None:
    """Write a static site: home with the coverage matrix, a page per clause and per sample
    deal, the definitions index and search. It works from file:// and any static host.

    \b
    Example:
      clausebook site -o site/ && xdg-open site/index.html
    """
    with reporting():
        from ..site.build import build, library_at, write

        started = time.monotonic()
        root = library_root(library)
        folder = out if out is not None else root / "site"
        with library_at(root, at) as (src, rev):
            built = build(src, rev, house_style(src), git_root=root)
        written = write(built, folder, force)
        say(
            f"site: {len(written)} files -> {folder} in {time.monotonic() - started:.1f} s",
        )


COMMANDS: tuple[click.Command, ...] = (site_cmd,)
