"""A variant's text as the site shows it: rendered with sample values into the document model's
blocks (never HTML: the templates escape every run), and as plain text for diffs and search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import Block, Clause, Library, Para, Run, Table, Variant
from ..pipeline.provisions import anchor
from ..pipeline.render import REF_CLOSE, REF_OPEN, parse_blocks
from ..pipeline.templates import RenderFailure, run_template


@dataclass(frozen=True)
class Shown:
    """A variant rendered for the site; ``error`` when the sample values could not render it
    (then ``blocks`` hold the template source as it is written)."""

    blocks: tuple[Block, ...]
    plain: str
    error: str | None


def block_text(b: Block) -> str:
    if isinstance(b, Table):
        rows = [b.header, *b.rows]
        return "\n".join(" | ".join("".join(r.text for r in cell) for cell in row) for row in rows)
    text = "".join(r.text for r in b.runs)
    return f"{b.label} {text}" if b.label and b.label != "definition" else text


def plain_text(blocks: tuple[Block, ...]) -> str:
    return "\n\n".join(block_text(b) for b in blocks)


def titles(lib: Library) -> dict[str, str]:
    """How a cross-reference reads on the site: the clause's title (it links to its page)."""
    return {cid: c.title for cid, c in lib.clauses.items()}


def sample_values(c: Clause, v: Variant) -> dict[str, Any]:
    values = {p.name: p.default for p in c.parameters}
    values.update(dict(v.parameters))
    return values


def show_text(lib: Library, text: str, values: Mapping[str, Any], deal: Mapping[str, Any]) -> Shown:
    """``text`` through the one sandboxed template environment with ``values`` and ``deal``."""
    names = titles(lib)

    def ref(target: object, provision: object = None) -> str:
        key = str(target)
        if key not in names:
            raise RenderFailure(f"ref('{key}') names no clause in the library", None)
        return f"{REF_OPEN}{key}{REF_CLOSE}"  # a provision: the site shows its clause

    ctx = dict(values)
    ctx.update(
        {"deal": dict(deal), "ref": ref, "has": lambda t: str(t) in names, "provision": anchor}
    )
    try:
        rendered = run_template(text, ctx)
        blocks = tuple(parse_blocks(rendered, names))
        return Shown(blocks, plain_text(blocks), None)
    except (RenderFailure, KeyError) as exc:
        message = exc.message if isinstance(exc, RenderFailure) else f"unknown reference {exc}"
        source = tuple(Para((Run(p.strip()),)) for p in text.split("\n\n") if p.strip())
        return Shown(source, text, message)
