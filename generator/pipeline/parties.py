"""The parties as the draft's front page and signature blocks name them (the Agreement and each
Statement of Work print the same two parties)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Para, Run


def signatories(data: Mapping[str, Any]) -> tuple[tuple[str, str, str, str], ...]:
    """(role, party, signatory's name, title) for each party's signature block."""
    return tuple(
        (
            role,
            data[k]["name"],
            *((data[k].get("signatory") or {}).get(f) or "" for f in ("name", "title")),
        )
        for k, role in (("customer", "Customer"), ("supplier", "Supplier"))
    )


def parties(data: Mapping[str, Any]) -> tuple[Para, ...]:
    """The numbered PARTIES paragraphs: (1) the Customer, (2) the Supplier."""
    out = []
    for n, (key, role) in enumerate((("customer", "Customer"), ("supplier", "Supplier")), start=1):
        p = data[key]
        desc = p.get("entity_type") or f"a company incorporated in {p['jurisdiction']}"
        text = f", {desc}"
        if p.get("company_number"):
            text += f" (registered number {p['company_number']})"
        if p.get("address"):
            text += f", whose registered office is at {p['address']}"
        text += " (the "
        end = ");" if n == 1 else ")."
        runs = (
            Run(f"({n}) "),
            Run(str(p["name"]).upper(), bold=True),
            Run(text),
            Run(f"\u201c{role}\u201d", bold=True),
            Run(end if n == 2 else ")" + "; and"),
        )
        out.append(Para(runs))
    return tuple(out)
