"""Terminal views: `explain` (the selection trace), `clauses list` and `clauses show`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ContentError, Diagnostic, did_you_mean, usage
from ..pipeline.build import open_library
from ..pipeline.deal import load_deal
from ..pipeline.files import deal_display
from ..pipeline.select import select


def _console() -> Any:
    from rich.console import Console

    return Console(width=160)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def explain_deal(root: Path, deal_path: Path) -> None:
    from rich.table import Table

    lib = open_library(root)
    if not deal_path.is_file():
        raise usage(deal_path.as_posix(), "missing-file", "deal file not found")
    deal = load_deal(lib, deal_path, deal_display(root, deal_path))
    sel = select(lib, deal)
    con = _console()
    con.print(
        f"[bold]{deal.data['title']}[/bold] — deal {deal.id}: maturity {deal.maturity}, "
        f"stance {deal.stance}, pricing {deal.data['pricing']['model']}, playbook {sel.playbook.id}"
    )
    table = Table(show_lines=True)
    for col in (
        "No.",
        "Clause",
        "Variant",
        "Why included",
        "Why this variant",
        "Parameters (value — source)",
    ):
        table.add_column(col, overflow="fold")
    for s in sel.all():
        params = "\n".join(
            f"{v.name} = {_short(v.value)} — {v.source} ({v.where})" for v in s.values
        )
        number = f"Sch. {s.number}" if s.clause.kind == "schedule" else s.number
        table.add_row(
            number,
            f"{s.clause.id}@{s.clause.version}",
            s.variant.id,
            s.included_because,
            s.reason,
            params,
        )
    con.print(table)
    if sel.excluded:
        ex = Table(title="Left out")
        ex.add_column("Clause")
        ex.add_column("Why")
        for cid, why in sel.excluded:
            ex.add_row(cid, why)
        con.print(ex)


def list_clauses(root: Path, topic: str | None, maturity: int | None) -> None:
    from rich.table import Table

    lib = open_library(root)
    table = Table()
    for col in ("Topic", "Clause", "Version", "Status", "Variants (stance: maturity)", "Summary"):
        table.add_column(col, overflow="fold")
    for c in sorted(lib.clauses.values(), key=lambda c: (c.topic, c.id)):
        if topic and c.topic != topic:
            continue
        if maturity and not any(maturity in v.maturity for v in c.variants):
            continue
        vs = ", ".join(f"{v.id} ({v.stance}: {','.join(map(str, v.maturity))})" for v in c.variants)
        table.add_row(c.topic, c.id, c.version, c.status, vs, c.summary)
    _console().print(table)


def show_clause(root: Path, clause_id: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    lib = open_library(root)
    c = lib.clauses.get(clause_id)
    if c is None:
        hint = did_you_mean(clause_id, list(lib.clauses))
        raise ContentError(
            [
                Diagnostic(
                    clause_id,
                    1,
                    1,
                    "unknown-clause",
                    f"no clause '{clause_id}' in the library{hint}",
                )
            ]
        )
    con = _console()
    con.print(
        f"[bold]{c.title}[/bold]  {c.id}@{c.version}  ({c.status}, owner {c.owner}, {c.source.path})"
    )
    con.print(c.summary)
    if c.requires:
        con.print(f"requires: {', '.join(c.requires)}")
    for p in c.parameters:
        bounds = "" if p.minimum is None and p.maximum is None else f" [{p.minimum}..{p.maximum}]"
        con.print(
            f"  • {p.name}: {p.type}{' ' + p.unit if p.unit else ''} = {_short(p.default)}{bounds}  {p.description}"
        )
    for v in c.variants:
        title = f"{v.id} — {v.stance}, maturity {', '.join(map(str, v.maturity))}" + (
            f", when {v.when}" if v.when else ""
        )
        con.print(Panel(Markdown(v.text), title=title))
        con.print(f"[italic]Notes:[/italic] {v.notes}")
        con.print(f"[italic]Guidance:[/italic] {v.guidance}\n")
