"""approved-text-changed: an approved clause whose contract text changed since the base."""

from __future__ import annotations

from collections.abc import Mapping

from ..clausefile import ClauseFile, Finding, finding
from ..config import Context


def contract_text(cf: ClauseFile) -> dict[str, str]:
    """What a reader of the contract sees of a clause, keyed for comparison."""
    out = {"title": str(cf.data.get("title", ""))}
    for _, v in cf.variants():
        vid = str(v.get("id", ""))
        out[f"variant {vid}"] = str(v.get("text", ""))
        if v.get("title"):
            out[f"variant {vid} title"] = str(v["title"])
    for term, definition in cf.defines().items():
        out[f"definition of {term}"] = definition
    return out


def check_approved(
    cf: ClauseFile, base: Mapping[str, ClauseFile], base_label: str
) -> list[Finding]:
    if cf.data.get("status") != "approved":
        return []
    old = base.get(cf.id)
    if old is None or old.data.get("status") != "approved":
        return []
    new_text, old_text = contract_text(cf), contract_text(old)
    changed = sorted(k for k in set(new_text) | set(old_text) if new_text.get(k) != old_text.get(k))
    if not changed:
        return []
    return [
        finding(
            cf,
            ("status",),
            "approved-text-changed",
            f"the text of this approved clause changed since {base_label} ({', '.join(changed)}): "
            "set status: draft until its owner approves the new wording",
        )
    ]


IDS = ("approved-text-changed",)


def check(ctx: Context) -> list[Finding]:
    if ctx.base is None:
        return []
    return [f for cf in ctx.files for f in check_approved(cf, ctx.base, ctx.base_label)]
