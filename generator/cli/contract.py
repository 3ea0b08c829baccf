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
@click.option(
    "--concessions",
    is_flag=True,
    help="Instead: the credits at each step of the CoE's ladders for the credit clauses.",
)
@library_option
def credits(
    deal: Path,
    performance: Path,
    charges: Path,
    fmt: str,
    concessions: bool,
    library: Path | None,
) -> None:
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
        if concessions:
            _concessions(root, deal, performance, charges, fmt)
            return
        statement = credit_statement(selection_for(root, deal), performance, charges)
        if fmt == "json":
            click.echo(as_json(statement), nl=False)
        elif fmt == "md":
            click.echo(as_markdown(statement), nl=False)
        else:
            print_table(statement)


def _concessions(root: Path, deal: Path, performance: Path, charges: Path, fmt: str) -> None:
    from ..contract import library_and_selection
    from ..contract.concessions import concession_costs, draft_net
    from ..contract.credits_report import CONCESSION_HEADER, concession_rows, concessions_text

    lib, sel = library_and_selection(root, deal)
    rows = concession_costs(lib, sel, performance, charges)
    draft = draft_net(lib, sel, performance, charges)
    currency = str(sel.deal.data["pricing"]["currency"])
    if fmt in ("json", "md"):
        click.echo(concessions_text(rows, draft, currency, fmt), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"What each concession costs ({currency}); the draft: {draft:,.2f}")
    for col in CONCESSION_HEADER:
        table.add_column(col, overflow="fold")
    for row in concession_rows(rows):
        table.add_row(*row)
    Console(width=160).print(table)


@click.command()
@click.argument("deal", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "ics"]),
    default="csv",
    show_default=True,
    help="csv (one row per obligation), json (obligations.schema.json) or ics (iCalendar).",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file (required for ics); default: print.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@library_option
def obligations(
    deal: Path, fmt: str, output: Path | None, force: bool, library: Path | None
) -> None:
    """Every obligation and key date of DEAL's draft: clause, party, what, when, measure,
    consequence and the parameter the period comes from."""
    with reporting("text"):
        from ..contract import selection_for
        from ..contract.obligations import register
        from ..contract.obligations_out import as_csv, as_ics, as_json
        from ..errors import usage

        root = library_root(library)
        require_file(deal)
        if fmt == "ics" and output is None:
            raise usage(
                "--output", "ics-needs-file", "--format ics writes a file: give -o FILE.ics"
            )
        reg = register(selection_for(root, deal))
        data = (
            as_ics(reg)
            if fmt == "ics"
            else (as_json(reg) if fmt == "json" else as_csv(reg)).encode()
        )
        if output is None:
            click.echo(data.decode(), nl=False)
            return
        from ..writers.output import atomic_write

        if output.exists() and not force:
            raise usage(str(output), "exists", "exists; use --force to overwrite it")
        atomic_write(output, data)
        click.echo(f"wrote {output} ({len(reg.obligations)} obligations)", err=True)


COMMANDS = (credits, obligations)
