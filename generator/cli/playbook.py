"""Centre of Excellence commands: check, memo, playbook stats and playbook coverage.

Only click is imported at the top: each command imports its work inside, so `--help` is fast.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import (
    complete_deal,
    deal_file,
    formats_option_value,
    library_option,
    library_root,
    report,
    reporting,
    say,
)

if TYPE_CHECKING:
    from ..model import Library
    from ..playbook.stats import Stats


@click.command("check")
@click.argument(
    "deal", shell_complete=complete_deal, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
@library_option
def check_cmd(deal: Path, fmt: str, library: Path | None) -> None:
    """List DEAL's deviations from the playbook's positions and the approvals they need.

    Exit 1 (with file:line in the deal) when a clause goes past its walk-away point or lacks an
    approval it needs, or when the draft prints a figure the deal does not state (a placeholder
    of `draft --placeholders`); exit 0 otherwise.

    \b
    Example:
      clausebook check deals/acme.yaml --format json
    """
    with reporting():
        from ..pipeline.build import open_library
        from ..pipeline.deal import load_deal
        from ..pipeline.files import deal_display
        from ..pipeline.select import select
        from ..playbook.check import check_deal, check_json, check_text

        root = library_root(library)
        deal = deal_file(root, deal)
        lib = open_library(root)
        from ..pipeline.build import figures_to_agree

        selection = select(lib, load_deal(lib, deal, deal_display(root, deal)))
        result = check_deal(selection)
        # A figure still to be agreed is a placeholder in a draft: never a clean check.
        result = replace(
            result, diagnostics=result.diagnostics + tuple(figures_to_agree(selection))
        )
        if fmt == "json":
            click.echo(json.dumps(check_json(result), indent=2, ensure_ascii=False))
        else:
            click.echo(check_text(result), nl=False)
            report(result.diagnostics, "text")
        if result.errors:
            sys.exit(1)


@click.command("memo")
@click.argument(
    "deals",
    nargs=-1,
    required=True,
    shell_complete=complete_deal,
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder (default: outputs/coe/ in the library).",
)
@click.option(
    "--format",
    "formats",
    default="md,docx",
    show_default=True,
    help="Comma-separated: md, docx.",
)
@click.option("--no-stats", is_flag=True, help="Leave out the track record from outcome records.")
@click.option("--force", is_flag=True, help="Overwrite memos even if they were edited by hand.")
@library_option
def memo_cmd(
    deals: tuple[Path, ...],
    out: Path | None,
    formats: str,
    no_stats: bool,
    force: bool,
    library: Path | None,
) -> None:
    """Write a negotiation memo (Markdown and Word) for each DEAL: deviations first, then each
    clause's position taken, fallbacks left, walk-away point, approver and guidance.

    \b
    Example:
      clausebook memo deals/acme.yaml --format docx
    """
    with reporting():
        from ..errors import ContentError, Diagnostic
        from ..pipeline.build import open_library
        from ..pipeline.deal import load_deal
        from ..pipeline.files import deal_display
        from ..pipeline.select import select
        from ..playbook.check import check_deal
        from ..playbook.memo import build_memo, memo_docx, memo_markdown
        from ..review.gitrev import committed_version
        from ..writers.docx.writer import source_date
        from ..writers.output import guarded_write, inside, output_dir, output_stem

        fmts = formats_option_value(formats)
        root = library_root(library)
        deals = tuple(deal_file(root, d) for d in deals)
        lib = open_library(root)
        stats = None if no_stats else _stats_or_none(lib, root)
        folder = output_dir(out if out is not None else root / "outputs" / "coe")
        problems: list[Diagnostic] = []
        for d in deals:
            try:
                deal = load_deal(lib, d, deal_display(root, d))
                result = check_deal(select(lib, deal))
            except ContentError as exc:
                problems.extend(exc.diagnostics)
                continue
            memo = build_memo(result, stats)
            stem = output_stem(d) + "-memo"
            files = {}
            if "md" in fmts:
                files[f"{stem}.md"] = memo_markdown(memo).encode("utf-8")
            if "docx" in fmts:
                files[f"{stem}.docx"] = memo_docx(memo, source_date(deal.data), deal.data)
            written = []
            for name, data in files.items():
                target = inside(folder, name)
                try:  # a memo is committed like a draft: the committed one is not an edit
                    guarded_write(target, data, force, committed_version(target))
                except ContentError as exc:
                    problems.extend(exc.diagnostics)
                    continue
                written.append(name)
            shown = ", ".join(str(folder / n) for n in written)
            say(f"memo {deal.source.path} -> {shown}")
        if problems:
            report(problems, "text")
            sys.exit(1)


def _stats_or_none(lib: Library, root: Path) -> Stats | None:
    """Track records for the memo, or None when the outcome records are missing or broken."""
    from ..playbook.outcomes import load_outcomes
    from ..playbook.stats import compute

    records, errors = load_outcomes(lib, root)
    pb = lib.playbooks.get("standard") or next(iter(lib.playbooks.values()), None)
    if errors or not records or pb is None:
        return None
    return compute(lib, pb.positions, records)


@click.group("playbook")
def playbook_group() -> None:
    """The CoE playbook: outcome statistics and health.

    \b
    Examples:
      clausebook playbook stats --format md
      clausebook playbook coverage --strict
    """


@playbook_group.command("stats")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
)
@click.option(
    "--chart",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also draw acceptance and disputes by variant to this .png or .svg file.",
)
@click.option(
    "--min-deals",
    type=click.IntRange(1, 1000),
    default=5,
    show_default=True,
    help="Fewer deals than this on either side of a comparison: 'not enough data'.",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the report to this file instead of the terminal (json or md).",
)
@click.option("--playbook", "playbook_id", default="standard", show_default=True)
@library_option
def stats_cmd(
    fmt: str,
    chart: Path | None,
    min_deals: int,
    out: Path | None,
    playbook_id: str,
    library: Path | None,
) -> None:
    """Per clause and variant: deals, first-time acceptance, days to agree, disputes and credits
    from playbooks/outcomes/, with recommendations to promote or demote variants.

    \b
    Example:
      clausebook playbook stats --format md -o stats.md --chart stats.png
    """
    with reporting():
        from ..errors import ContentError, usage
        from ..pipeline.build import open_library
        from ..playbook.outcomes import load_outcomes
        from ..playbook.stats import compute
        from ..playbook.stats_report import chart as draw
        from ..playbook.stats_report import markdown, print_table
        from ..writers.output import atomic_write

        if chart is not None:
            _chart_possible(chart)  # before any work is printed
        root = library_root(library)
        lib = open_library(root)
        pb = lib.playbooks.get(playbook_id)
        if pb is None:
            raise usage(playbook_id, "unknown-playbook", f"no playbook '{playbook_id}'")
        records, errors = load_outcomes(lib, root)
        if errors:
            raise ContentError(errors)
        result = compute(lib, pb.positions, records, min_deals)
        if fmt == "json":
            text = json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"
        elif fmt == "md":
            text = markdown(result)
        else:
            text = ""
        if out is not None:
            if fmt == "table":
                raise click.UsageError("-o needs --format md or json")
            atomic_write(out, text.encode("utf-8"))
            say(f"wrote {out}")
        elif fmt == "table":
            print_table(result)
        else:
            click.echo(text, nl=False)
        if chart is not None:
            atomic_write(chart, draw(result, chart.name))
            say(f"wrote {chart}")


def _chart_possible(chart: Path) -> None:
    from ..errors import usage

    if chart.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError("--chart takes a .png or .svg file name")
    try:
        import matplotlib  # noqa: F401 (the optional extra)
    except ImportError:
        raise usage(
            chart.as_posix(),
            "missing-extra",
            "drawing a chart needs matplotlib: pip install 'clausebook[charts]'",
        ) from None


@playbook_group.command("coverage")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 on any warning (clauses without a position are information only).",
)
@click.option("--playbook", "playbook_id", default="standard", show_default=True)
@library_option
def coverage_cmd(fmt: str, strict: bool, playbook_id: str, library: Path | None) -> None:
    """Clauses without a position, positions on deprecated variants, unused roles, inclusion
    rules that fire for no sample deal, and preferred positions the variants themselves miss.

    \b
    Example:
      clausebook playbook coverage --strict
    """
    with reporting():
        from ..pipeline.build import open_library
        from ..playbook.health import health, markdown, text

        root = library_root(library)
        h = health(open_library(root), root, playbook_id)
        if fmt == "json":
            click.echo(json.dumps(h.as_json(), indent=2, ensure_ascii=False))
        elif fmt == "md":
            click.echo(markdown(h), nl=False)
        else:
            click.echo(text(h), nl=False)
        if strict and any(i.severity == "warning" for i in h.items):
            sys.exit(1)


COMMANDS = (check_cmd, memo_cmd, playbook_group)
