"""`clausebook upgrades DEAL`: what today's library would change in a signed deal.

For each signed clause with a newer version: the semver class (patch: wording; minor: new
optional terms; major: a changed position), whether its place on the CoE's ladder or the
approvals it needs change, and the words an amendment would change in this deal's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Library
from ..pipeline.build import Gate
from ..review.diff import bump_between
from ..textdiff import word_diff_text, word_ops
from .conformed import fresh_document, is_deleted, upgrade_only
from .lock import Signed, clause_text, position_json

MEANING = {
    "patch": "wording",
    "minor": "new optional terms",
    "major": "changed position",
    "backwards": "older than signed",
    "removed": "no longer in the library",
}


@dataclass(frozen=True)
class Upgrade:
    clause: str
    number: str
    signed_version: str
    library_version: str | None  # None: the library no longer has the clause
    bump: str  # patch | minor | major | backwards | removed
    step: tuple[str | None, str | None]  # (signed, today) place on the ladder
    approvers: tuple[tuple[str, ...], tuple[str, ...]]  # (signed, today)
    text_diff: str  # word diff of this deal's text; "" when the text does not change

    @property
    def meaning(self) -> str:
        return MEANING[self.bump]

    def to_json(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "number": self.number,
            "signed_version": self.signed_version,
            "library_version": self.library_version,
            "bump": self.bump,
            "meaning": self.meaning,
            "position": {"signed": self.step[0], "today": self.step[1]},
            "approvers": {"signed": list(self.approvers[0]), "today": list(self.approvers[1])},
            "text_changes": bool(self.text_diff),
            "text_diff": self.text_diff,
        }


def find_upgrades(
    lib: Library, deal_path: Path, signed: Signed, gate: Gate | None = None
) -> list[Upgrade]:
    """Every signed clause whose library version moved, in signed order."""
    moved = {
        cid: c
        for cid, c in signed.clauses.items()
        if cid not in lib.clauses or bump_between(c.version, lib.clauses[cid].version) != "none"
    }
    if not moved:
        return []
    selection, fresh = fresh_document(lib, deal_path, signed, gate=gate)
    today = {s.clause.id: s for s in selection.all()}
    conformed = upgrade_only(signed, fresh, moved)
    now = {c.id: c for a in conformed.articles for c in a.clauses} | {
        s.id: s for s in conformed.schedules
    }
    positions = selection.playbook.positions.positions
    out = []
    for cid, c in moved.items():
        current = lib.clauses.get(cid)
        new = now.get(cid)
        sel = today.get(cid)
        where = (
            position_json(positions.get(cid), sel.variant.id, sel.params)
            if sel is not None
            else {"step": None, "approvers": []}
        )
        old_text = "\n".join(c.text)
        new_text = "" if new is None or is_deleted(new) else "\n".join(clause_text(new))
        diff = "" if new_text == old_text else word_diff_text(word_ops(old_text, new_text))
        out.append(
            Upgrade(
                clause=cid,
                number=c.number,
                signed_version=c.version,
                library_version=current.version if current else None,
                bump=bump_between(c.version, current.version) if current else "removed",
                step=(c.position.get("step"), where["step"]),
                approvers=(tuple(c.position.get("approvers", ())), tuple(where["approvers"])),
                text_diff=diff,
            )
        )
    return out


def upgrades_text(shown: str, signed: Signed, ups: list[Upgrade]) -> str:
    head = f"{shown}: signed {signed.signed_on}"
    if signed.commit:
        head += f" from library commit {signed.commit[:12]}"
    if not ups:
        return head + "\nevery signed clause is at its library version"
    lines = [head, f"{len(ups)} clause{'s' if len(ups) != 1 else ''} with a newer library version:"]
    for u in ups:
        to = u.library_version or "removed"
        lines.append(f"- {u.number} {u.clause}: {u.signed_version} -> {to} ({u.bump}: {u.meaning})")
        lines.append(f"    position: {_moved(u.step[0], u.step[1])}")
        lines.append(
            "    approvals: "
            + _moved(", ".join(u.approvers[0]) or "none", ", ".join(u.approvers[1]) or "none")
        )
        if u.text_diff:
            lines.append("    an amendment would change this deal's text:")
            lines.extend("      " + line for line in u.text_diff.split("\n"))
        else:
            lines.append("    this deal's text would not change")
    return "\n".join(lines)


def _moved(old: str | None, new: str | None) -> str:
    o, n = old or "not on a ladder", new or "not on a ladder"
    return f"{o} (unchanged)" if o == n else f"{o} -> {n} (changes)"
