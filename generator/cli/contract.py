"""Contract-management commands: credits and obligations, computed from the draft's own terms.

Only click is imported at the top: each command imports its work inside, so `--help` is fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import library_option, library_root, reporting, require_file, say


def output_option(f: click.decorators.FC) -> click.decorators.FC:
    f = click.option("--force", is_flag=True, help="Overwrite an existing output file.")(f)
    return click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write to this file (required for xlsx and ics); default: print.",
    )(f)


def emit(data: str | bytes, output: Path | None, force: bool, binary: bool) -> None:
    """Print text, or write the file atomically; an existing file only with --force."""
    from ..errors import usage

    if output is None:
        if binary:
            raise usage("--output", "needs-file", "this format writes a file: give -o FILE")
        click.echo(data if isinstance(data, str) else data.decode(), nl=False)
        return
    from ..writers.output import atomic_write

    if output.exists() and not force:
        raise usage(str(output), "exists", "exists; use --force to overwrite it")
    atomic_write(output, data.encode() if isinstance(data, str) else data)
    say(f"wrote {output}")


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
    type=click.Choice(["table", "json", "md", "xlsx"]),
    default="table",
    show_default=True,
    help="How to give the statement (xlsx needs -o).",
)
@click.option(
    "--concessions",
    is_flag=True,
    help="Instead: the credits at each step of the CoE's ladders for the credit clauses.",
)
@output_option
@library_option
def credits(
    deal: Path,
    performance: Path,
    charges: Path,
    fmt: str,
    concessions: bool,
    output: Path | None,
    force: bool,
    library: Path | None,
) -> None:
    """Service Credits, Earn-Back and Critical Service Failures, month by month, for DEAL.

    Computed from the clauses and values the draft prints; each line cites its clause.

    \b
    Example:
      clausebook credits deals/offshore-remote.yaml \\
        --performance docs/samples/offshore-remote-performance.csv \\
        --charges docs/samples/offshore-remote-charges.csv
    """
    with reporting("text"):
        from ..contract import credit_statement, selection_for
        from ..contract.credits_report import as_json, as_markdown, print_table

        root = library_root(library)
        require_file(deal)
        require_file(performance, "performance file")
        require_file(charges, "charges file")
        if concessions:
            _concessions(root, deal, performance, charges, fmt, output, force)
            return
        statement = credit_statement(selection_for(root, deal), performance, charges)
        if fmt == "table" and output is None:
            print_table(statement)
        elif fmt == "xlsx":
            from ..contract.xlsx import statement_xlsx

            emit(statement_xlsx(statement), output, force, binary=True)
        else:
            emit(
                as_json(statement) if fmt == "json" else as_markdown(statement),
                output,
                force,
                False,
            )


def _concessions(
    root: Path, deal: Path, perf: Path, charges: Path, fmt: str, output: Path | None, force: bool
) -> None:
    from ..contract import library_and_selection
    from ..contract.concessions import concession_costs, draft_net
    from ..contract.credits_report import CONCESSION_HEADER, concession_rows, concessions_text

    lib, sel = library_and_selection(root, deal)
    rows = concession_costs(lib, sel, perf, charges)
    draft = draft_net(lib, sel, perf, charges)
    currency = str(sel.deal.data["pricing"]["currency"])
    if fmt in ("json", "md") or output is not None:
        emit(
            concessions_text(rows, draft, currency, "json" if fmt == "json" else "md"),
            output,
            force,
            False,
        )
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
    type=click.Choice(["csv", "json", "ics", "xlsx"]),
    default="csv",
    show_default=True,
    help="csv (one row per obligation), json (obligations.schema.json), ics (iCalendar) or xlsx.",
)
@output_option
@library_option
def obligations(
    deal: Path, fmt: str, output: Path | None, force: bool, library: Path | None
) -> None:
    """Every obligation and key date of DEAL's draft: clause, party, what, when, measure,
    consequence and the parameter the period comes from.

    \b
    Example:
      clausebook obligations deals/care-outcome-gdpr.yaml --format ics -o key-dates.ics
    """
    with reporting("text"):
        from ..contract import selection_for
        from ..contract.obligations import register
        from ..contract.obligations_out import as_csv, as_ics, as_json

        root = library_root(library)
        require_file(deal)
        if fmt in ("ics", "xlsx") and output is None:
            from ..errors import usage

            raise usage(
                "--output", "needs-file", f"--format {fmt} writes a file: give -o FILE.{fmt}"
            )
        reg = register(selection_for(root, deal))
        if fmt == "xlsx":
            from ..contract.xlsx import register_xlsx

            emit(register_xlsx(reg), output, force, binary=True)
        elif fmt == "ics":
            emit(as_ics(reg), output, force, binary=True)
        else:
            emit(as_json(reg) if fmt == "json" else as_csv(reg), output, force, False)


COMMANDS = (credits, obligations)
