"""The `clausebook` command line: thin click commands grouped by who uses them.

``main`` is built here and each command module's commands are added explicitly: importing a
module registers nothing by side effect.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import contract, draft, init, intake, lifecycle, playbook, review, site


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clausebook")
@click.option(
    "--library",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Library root for every command (default: the repository you stand in).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Print problems and results only, no progress lines."
)
def main(library: Path | None, quiet: bool) -> None:
    """Clausebook: draft BPO master services agreements from a clause library.

    \b
    Examples:
      clausebook init firm-lib                  # a new library repository
      clausebook draft deals/example.yaml       # Markdown and Word drafts in outputs/
      clausebook --library ../firm-lib validate
    """


for _command in (
    draft.COMMANDS
    + review.COMMANDS
    + playbook.COMMANDS
    + init.COMMANDS
    + intake.COMMANDS
    + site.COMMANDS
    + contract.COMMANDS
    + lifecycle.COMMANDS
):
    main.add_command(_command)
