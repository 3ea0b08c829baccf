"""Rendered clauses to JSON and back: a lock file keeps the signed text as the writers saw it,
so the signed agreement can be written again without the library it came from."""

from __future__ import annotations

from typing import Any

from ..model import Block, Para, RenderedClause, Run, Table


def run_json(r: Run) -> dict[str, Any]:
    out: dict[str, Any] = {"text": r.text}
    if r.bold:
        out["bold"] = True
    if r.italic:
        out["italic"] = True
    if r.ref:
        out["ref"] = r.ref
    return out


def run_from(d: dict[str, Any]) -> Run:
    return Run(
        str(d["text"]), bool(d.get("bold", False)), bool(d.get("italic", False)), d.get("ref")
    )


def runs_json(runs: tuple[Run, ...]) -> list[dict[str, Any]]:
    return [run_json(r) for r in runs]


def runs_from(items: list[dict[str, Any]]) -> tuple[Run, ...]:
    return tuple(run_from(r) for r in items)


def block_json(b: Block) -> dict[str, Any]:
    if isinstance(b, Table):
        return {
            "table": {
                "header": [runs_json(c) for c in b.header],
                "rows": [[runs_json(c) for c in row] for row in b.rows],
            }
        }
    out: dict[str, Any] = {"runs": runs_json(b.runs)}
    for key, value, empty in (
        ("number", b.number, None),
        ("list_level", b.list_level, 0),
        ("label", b.label, None),
        ("bullet", b.bullet, False),
    ):
        if value != empty:
            out[key] = value
    return out


def block_from(d: dict[str, Any]) -> Block:
    if "table" in d:
        t = d["table"]
        return Table(
            tuple(runs_from(c) for c in t["header"]),
            tuple(tuple(runs_from(c) for c in row) for row in t["rows"]),
        )
    return para_from(d)


def para_from(d: dict[str, Any]) -> Para:
    return Para(
        runs_from(d["runs"]),
        number=d.get("number"),
        list_level=int(d.get("list_level", 0)),
        label=d.get("label"),
        bullet=bool(d.get("bullet", False)),
    )


def clause_json(c: RenderedClause) -> dict[str, Any]:
    return {
        "id": c.id,
        "number": c.number,
        "title": c.title,
        "kind": c.kind,
        "variant": c.variant,
        "blocks": [block_json(b) for b in c.blocks],
    }


def clause_from(d: dict[str, Any]) -> RenderedClause:
    return RenderedClause(
        id=str(d["id"]),
        number=str(d["number"]),
        title=str(d["title"]),
        blocks=tuple(block_from(b) for b in d["blocks"]),
        kind=str(d["kind"]),
        notes="",
        guidance="",
        variant=str(d["variant"]),
    )


def plain(blocks: tuple[Block, ...]) -> str:
    """A clause's text with cross-references named by the clause they point at and sub-clause
    numbers left out: two renderings are the same wording when their plain texts are equal,
    whatever each numbering."""
    out = []
    for b in blocks:
        if isinstance(b, Table):
            cells = [c for c in b.header] + [c for row in b.rows for c in row]
            out.append(" | ".join(_runs_plain(c) for c in cells))
        else:
            out.append(f"{b.list_level}:{b.label or ''}:{_runs_plain(b.runs)}")
    return "\n".join(out)


def _runs_plain(runs: tuple[Run, ...]) -> str:
    return "".join(f"[ref {r.ref}]" if r.ref else r.text for r in runs)
