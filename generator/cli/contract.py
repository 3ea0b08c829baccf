"""Contract-management commands: credits (and obligations), computed from the draft's own terms.

Only click is imported at the top: each command imports its work inside, so `--help` is fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import library_option, library_root, reporting, require_file


@click.command()
@click.argument("deal", type=click.Path(path_type=Path))
@click.option(
    "--performance",
    "performance",
    required=True,
    type=click.Path(path_type=Path),
    help="CSV of measured performance: month,service_level,measured[,excused].",
)
@click.option(
    "--charges",
    "charges",
    required=True,
    type=click.Path(path_type=Path),
    help="CSV of the Charges for each month: month,charges.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help="How to print the statement.",
)
@library_option
def credits(deal: Path, performance: Path, charges: Path, fmt: str, library: Path | None) -> None:
    """Service Credits, Earn-Back and Critical Service Failures, month by month, for DEAL.

    Computed from the clauses and values the draft prints; each line cites its clause.
    """
    with reporting("text"):
        from ..contract import credit_statement, selection_for
        from ..contract.credits_report import as_json, as_markdown, print_table

        root = library_root(library)
        require_file(deal)
        require_file(performance, "performance file")
        require_file(charges, "charges file")
        statement = credit_statement(selection_for(root, deal), performance, charges)
        if fmt == "json":
            click.echo(as_json(statement), nl=False)
        elif fmt == "md":
            click.echo(as_markdown(statement), nl=False)
        else:
            print_table(statement)


COMMANDS = (credits,)
