"""`clausebook intake`: the counterparty's returned Word file, mapped onto the library and the
playbook. Only click is imported at the top, so `--help` stays fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import library_option, library_root, report, reporting, require_file, say


@click.command("intake")
@click.argument("returned", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--deal",
    "deal",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The deal profile the draft was made from (when the file carries no manifest).",
)
@click.option(
    "--sent",
    "sent",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The manifest of the draft as sent: the draft is rebuilt at its library commit.",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder (default: outputs/intake/<deal>-round-<n>/).",
)
@click.option(
    "--author",
    default="Customer",
    show_default=True,
    help="Who the response redline's changes and comments are by.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
@click.option("--no-history", is_flag=True, help="Do not record this round beside the deal.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@library_option
def intake_cmd(
    returned: Path,
    deal: Path | None,
    sent: Path | None,
    out: Path | None,
    author: str,
    fmt: str,
    no_history: bool,
    force: bool,
    library: Path | None,
) -> None:
    """Read RETURNED (the counterparty's marked-up .docx) against the draft as sent.

    Writes an issues list (Markdown and Word), a deal-profile patch accepting every change
    within authority, and a response redline. Exit 0 when nothing is beyond authority, 1 when a
    change needs approval, passes a walk-away point or is language the library does not hold.

    \b
    Example:
      clausebook intake returned/acme-v2.docx --deal deals/care-outcome-gdpr.yaml
    """
    with reporting():
        from ..intake.outputs import write_intake
        from ..intake.report import intake_json
        from ..intake.sent import intake_with_sent

        root = library_root(library)
        result = intake_with_sent(root, returned, deal, sent)
        written, problems = write_intake(root, result, out, author, force, not no_history)
        if problems:
            report(problems, "text")
            sys.exit(1)
        if fmt == "json":
            click.echo(json.dumps(intake_json(result), indent=2, ensure_ascii=False))
        else:
            click.echo(_text(result), nl=False)
        for w in written:
            say(f"wrote {w}")
        sys.exit(1 if result.needs_decision else 0)


def _text(result: object) -> str:
    from ..intake.run import Intake

    assert isinstance(result, Intake)
    lines = [
        f"{result.returned}: {len(result.issues)} issue(s), sent draft from {result.sent_from}"
    ]
    for i in result.issues:
        where = f" [{i.placement.where}]" if i.placement.where else ""
        who = f"; approvers: {', '.join(i.placement.approvers)}" if i.placement.approvers else ""
        untracked = " (untracked)" if i.untracked else ""
        lines.append(
            f"  {i.number or '-':>6} {i.clause}: {i.summary}{untracked} -> "
            f"{i.placement.status}{(', ' + i.placement.step) if i.placement.step else ''}"
            f"{who}{where}"
        )
    if result.formatting:
        lines.append(f"  {result.formatting} formatting-only change(s), not counted as substance")
    return "\n".join(lines) + "\n"


@click.command("outcome")
@click.argument("deal", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--signed", "signed", required=True, help="Date of signature, YYYY-MM-DD.")
@click.option("--force", is_flag=True, help="Overwrite an existing outcome record.")
@library_option
def outcome_cmd(deal: Path, signed: str, force: bool, library: Path | None) -> None:
    """Write DEAL's playbook outcome record (playbooks/outcomes/<id>.yaml) from its negotiation
    history, as signed: no negotiation fact is typed by hand.

    \b
    Example:
      clausebook outcome deals/care-outcome-gdpr.yaml --signed 2027-01-15
    """
    with reporting():
        import datetime as dt

        from ..errors import usage
        from ..intake.history import history_path, outcome_yaml, rounds
        from ..pipeline.build import open_library
        from ..pipeline.deal import load_deal
        from ..pipeline.files import deal_display
        from ..pipeline.select import select
        from ..writers.output import atomic_write, check_overwrite

        try:
            when = dt.date.fromisoformat(signed)
        except ValueError:
            raise usage("--signed", "outcome", f"not a date (YYYY-MM-DD): {signed}") from None
        root = library_root(library)
        require_file(deal)
        lib = open_library(root)
        sel = select(lib, load_deal(lib, deal, deal_display(root, deal)))
        text = outcome_yaml(sel, rounds(history_path(deal)), when).encode("utf-8")
        target = root / "playbooks" / "outcomes" / f"{sel.deal.id}.yaml"
        problem = check_overwrite(target, text, {}, force)
        if problem is not None:
            report([problem], "text")
            sys.exit(1)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text)
        say(f"wrote {target}")


COMMANDS = (intake_cmd, outcome_cmd)
