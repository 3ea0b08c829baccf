"""Terminal views: `explain` (the selection trace), `clauses list` and `clauses show`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ContentError, Diagnostic, did_you_mean, usage
from ..model import Clause, Library, Selection
from ..pipeline.build import open_library
from ..pipeline.deal import load_deal
from ..pipeline.files import deal_display
from ..pipeline.select import select
from .sowexplain import print_sows, sow_json


def _console() -> Any:
    from ..terminal import console

    return console()


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _selection(root: Path, deal_path: Path) -> Selection:
    lib = open_library(root)
    if not deal_path.is_file():
        raise usage(deal_path.as_posix(), "missing-file", "deal file not found")
    return select(lib, load_deal(lib, deal_path, deal_display(root, deal_path)))


def explain_json(root: Path, deal_path: Path) -> dict[str, Any]:
    """What `explain` shows, for tools: each clause, its variant, why, and every value's source."""
    sel = _selection(root, deal_path)
    deal = sel.deal
    return {
        "deal": {"id": deal.id, "file": deal.source.path, "title": deal.data["title"]},
        "maturity": deal.maturity,
        "stance": deal.stance,
        "playbook": sel.playbook.id,
        "clauses": [
            {
                "number": s.number,
                "kind": s.clause.kind,
                "id": s.clause.id,
                "version": s.clause.version,
                "variant": s.variant.id,
                "why_included": s.included_because,
                "why_variant": s.reason,
                "parameters": [
                    {"name": v.name, "value": v.value, "source": v.source, "at": v.where}
                    for v in s.values
                ],
            }
            for s in sel.all()
        ],
        "excluded": [{"id": cid, "why": why} for cid, why in sel.excluded],
    } | ({"sows": sow_json(sel)} if deal.data.get("sows") else {})


def explain_deal(root: Path, deal_path: Path) -> None:
    from rich.table import Table

    sel = _selection(root, deal_path)
    deal = sel.deal
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
    print_sows(sel, con, _short)  # each Statement of Work: the Agreement's value or the SOW's


def _listed(root: Path, topic: str | None, maturity: int | None) -> list[Clause]:
    lib = open_library(root)
    return [
        c
        for c in sorted(lib.clauses.values(), key=lambda c: (c.topic, c.id))
        if (not topic or c.topic == topic)
        and (not maturity or any(maturity in v.maturity for v in c.variants))
    ]


def _variants_json(c: Clause, full: bool) -> list[dict[str, Any]]:
    out = []
    for v in c.variants:
        item: dict[str, Any] = {
            "id": v.id,
            "stance": v.stance,
            "maturity": list(v.maturity),
            "deprecated": v.deprecated,
        }
        if full:
            item |= {"when": v.when, "text": v.text, "notes": v.notes, "guidance": v.guidance}
        out.append(item)
    return out


def _clause_json(c: Clause, full: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": c.id,
        "title": c.title,
        "topic": c.topic,
        "kind": c.kind,
        "version": c.version,
        "status": c.status,
        "owner": c.owner,
        "summary": c.summary,
        "file": c.source.path,
    }
    if full:
        item["requires"] = list(c.requires)
        item["parameters"] = [
            {
                "name": p.name,
                "type": p.type,
                "unit": p.unit,
                "default": p.default,
                "minimum": p.minimum,
                "maximum": p.maximum,
                "description": p.description,
            }
            for p in c.parameters
        ]
    item["variants"] = _variants_json(c, full)
    return item


def clauses_json(root: Path, topic: str | None, maturity: int | None) -> list[dict[str, Any]]:
    return [_clause_json(c, False) for c in _listed(root, topic, maturity)]


def clause_json(root: Path, clause_id: str) -> dict[str, Any]:
    return _clause_json(_find(open_library(root), clause_id), True)


def list_clauses(root: Path, topic: str | None, maturity: int | None) -> None:
    from rich.table import Table

    table = Table()
    for col in ("Topic", "Clause", "Version", "Status", "Variants (stance: maturity)", "Summary"):
        table.add_column(col, overflow="fold")
    for c in _listed(root, topic, maturity):
        vs = ", ".join(f"{v.id} ({v.stance}: {','.join(map(str, v.maturity))})" for v in c.variants)
        table.add_row(c.topic, c.id, c.version, c.status, vs, c.summary)
    _console().print(table)


def _find(lib: Library, clause_id: str) -> Clause:
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
    return c


def show_clause(root: Path, clause_id: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    c = _find(open_library(root), clause_id)
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
