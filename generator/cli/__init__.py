"""The `clausebook` command line: thin click commands grouped by who uses them.

``main`` is built here and each command module's commands are added explicitly: importing a
module registers nothing by side effect.
"""

from __future__ import annotations

import click

from . import draft, lifecycle, playbook, review


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clausebook")
def main() -> None:
    """Clausebook: draft BPO master services agreements from a clause library."""


for _command in draft.COMMANDS + review.COMMANDS + playbook.COMMANDS + lifecycle.COMMANDS:
    main.add_command(_command)
