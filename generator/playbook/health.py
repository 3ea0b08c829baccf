"""`clausebook playbook coverage`: is the playbook complete, consistent and alive?

Mistakes that make a playbook wrong (an unknown variant or role, a ladder out of order) are
validation errors and stop every command. This report is about gaps a CoE lead should look at:
clauses without a position, positions on deprecated variants, roles nobody needs, inclusion
rules no sample deal triggers, and preferred positions that the library's own variants miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ClausebookError, usage
from ..model import Deal, Library, Playbook, Positions, Value, show
from ..pipeline.deal import load_deal
from ..pipeline.files import deal_display, library_glob
from ..pipeline.positions import value_at
from ..pipeline.templates import RenderFailure, eval_condition

# What each kind of finding means, in the order the report shows them.
KINDS = {
    "no-position": "Clauses without a position",
    "deprecated-variant": "Positions naming deprecated variants or clauses",
    "unused-role": "Roles that approve no step",
    "silent-rule": "Inclusion rules that fire for no sample deal",
    "maturity-gap": "Maturity levels where no preferred variant applies",
    "preferred-default": "Preferred variants whose own values miss the preferred position",
    "unplaced-position": "Positions for clauses the playbook does not place",
}
INFO = frozenset({"no-position"})  # shown, but never fail --strict: many clauses are boilerplate


@dataclass(frozen=True)
class Item:
    kind: str
    subject: str
    message: str
    where: str  # path:line

    @property
    def severity(self) -> str:
        return "info" if self.kind in INFO else "warning"


@dataclass(frozen=True)
class Health:
    playbook: str
    positions: int
    placed: int
    deals: tuple[str, ...]
    items: tuple[Item, ...]

    def as_json(self) -> dict[str, object]:
        out = asdict(self)
        for item, row in zip(self.items, out["items"], strict=True):
            row["severity"] = item.severity
        return out


def sample_deals(lib: Library, root: Path) -> tuple[list[Deal], list[str]]:
    """The sample deals in deals/, and a note for each that cannot be loaded."""

    deals: list[Deal] = []
    notes: list[str] = []
    for p in library_glob(root, "deals", "*.yaml")[0]:
        try:
            deals.append(load_deal(lib, p, deal_display(root, p)))
        except ClausebookError as exc:
            first = exc.diagnostics[0].text() if exc.diagnostics else "invalid"
            notes.append(f"{deal_display(root, p)} skipped: {first}")
    return deals, notes


def health(lib: Library, root: Path, playbook: str = "standard") -> Health:

    pb = lib.playbooks.get(playbook)
    if pb is None:
        raise usage(playbook, "unknown-playbook", f"no playbook '{playbook}' in the library")
    pos = pb.positions
    deals, _ = sample_deals(lib, root)
    deals = [d for d in deals if d.data["playbook"] == pb.id]
    items: list[Item] = []
    placed = [c for a in pb.structure for c in a.clauses] + list(pb.schedules)
    items += _unpositioned(pb, pos, placed)
    items += _deprecated(lib, pb, pos)
    items += _unused_roles(pb, pos)
    items += _silent_rules(pb, deals)
    items += _maturity_gaps(lib, pb, pos)
    items += _preferred_defaults(lib, pb, pos)
    items += [
        Item(
            "unplaced-position",
            cid,
            f"'{cid}' has a position but no place in the structure",
            _at(pb, ("positions", cid)),
        )
        for cid in pos.positions
        if cid not in placed
    ]
    order = list(KINDS)
    items.sort(key=lambda i: order.index(i.kind))  # stable: file order within a kind
    return Health(
        pb.id, len(pos.positions), len(placed), tuple(d.source.path for d in deals), tuple(items)
    )


def _at(pb: Playbook, ptr: tuple[str | int, ...], key: bool = False) -> str:
    line, _ = pb.source.where(ptr, key=key)
    return f"{pb.source.path}:{line}"


def _unpositioned(pb: Playbook, pos: Positions, placed: Sequence[str]) -> list[Item]:
    out = []
    for a in pb.structure:
        for j, cid in enumerate(a.clauses):
            if cid not in pos.positions:
                out.append(
                    Item(
                        "no-position",
                        cid,
                        f"'{cid}' ({a.title})",
                        _at(pb, ("structure", a.index, "clauses", j)),
                    )
                )
    for j, cid in enumerate(pb.schedules):
        if cid not in pos.positions:
            out.append(Item("no-position", cid, f"'{cid}' (schedule)", _at(pb, ("schedules", j))))
    return out


def _deprecated(lib: Library, pb: Playbook, pos: Positions) -> list[Item]:
    out = []
    for cid, position in pos.positions.items():
        c = lib.clauses.get(cid)
        if c is None:
            continue
        if c.status == "deprecated":
            out.append(
                Item(
                    "deprecated-variant",
                    cid,
                    f"'{cid}' itself is deprecated",
                    _at(pb, ("positions", cid), key=True),
                )
            )
        for step in position.steps:
            for j, vid in enumerate(step.adds):
                v = c.variant(vid)
                if v is not None and v.deprecated:
                    out.append(
                        Item(
                            "deprecated-variant",
                            cid,
                            f"{step.key} of '{cid}' names deprecated variant '{vid}'",
                            _at(pb, (*step.pointer, "variants", j)),
                        )
                    )
    return out


def _unused_roles(pb: Playbook, pos: Positions) -> list[Item]:
    used = {r for p in pos.positions.values() for s in p.steps for r in s.approvers}
    return [
        Item(
            "unused-role",
            rid,
            f"role '{rid}' ({role.title}) approves no step of any position",
            _at(pb, ("roles", rid), key=True),
        )
        for rid, role in pos.roles.items()
        if rid not in used
    ]


def _silent_rules(pb: Playbook, deals: Sequence[Deal]) -> list[Item]:

    out = []
    for r in pb.rules:
        fired = False
        for d in deals:
            try:
                fired = eval_condition(r.when, d.data)
            except RenderFailure:
                fired = False
            if fired:
                break
        if not fired:
            out.append(
                Item(
                    "silent-rule",
                    r.id,
                    f"rule '{r.id}' ({r.when}) fires for none of the {len(deals)} sample deals, so "
                    f"no sample draft shows {', '.join(r.include)}",
                    _at(pb, ("rules", r.index, "when")),
                )
            )
    return out


def _maturity_gaps(lib: Library, pb: Playbook, pos: Positions) -> list[Item]:
    out = []
    for cid, position in pos.positions.items():
        c = lib.clauses.get(cid)
        preferred = position.preferred.variants
        if c is None or preferred is None:
            continue
        live = [v for v in c.variants if not v.deprecated]
        for level in (1, 2, 3, 4):
            if any(level in v.maturity for v in live) and not any(
                level in v.maturity for v in live if v.id in preferred
            ):
                out.append(
                    Item(
                        "maturity-gap",
                        cid,
                        f"no preferred variant of '{cid}' ({', '.join(preferred)}) suits maturity "
                        f"{level}: every deal at that level starts on a fallback",
                        _at(pb, (*position.preferred.pointer, "variants")),
                    )
                )
    return out


def _preferred_defaults(lib: Library, pb: Playbook, pos: Positions) -> list[Item]:
    """A preferred variant should, on its own defaults, sit at the preferred position."""

    out = []
    overrides = pb.parameters
    for cid, position in pos.positions.items():
        c = lib.clauses.get(cid)
        if c is None:
            continue
        step = position.preferred
        ids = (
            step.variants
            if step.variants is not None
            else tuple(v.id for v in c.variants if v.stance == "client")
        )
        for vid in ids:
            v = c.variant(vid)
            if v is None or v.deprecated:
                continue
            values = {p.name: p.default for p in c.parameters}
            values.update(dict(v.parameters))
            values.update(overrides.get(cid, {}))
            vals = [Value(k, val, "", "") for k, val in values.items()]
            for b in step.bounds:
                value, found = value_at(vals, b.name)
                if found is not None and not b.accepts(value):
                    out.append(
                        Item(
                            "preferred-default",
                            cid,
                            f"variant '{vid}' of '{cid}' drafts {b.name} {show(value)}, but the "
                            f"preferred position is {b.describe()}: a client deal opens on a fallback",
                            _at(pb, (*step.pointer, "parameters", b.name)),
                        )
                    )
    return out


# ---- output --------------------------------------------------------------------------------


def text(h: Health) -> str:
    lines = [
        f"Playbook '{h.playbook}': {h.positions} position(s) for {h.placed} placed clauses; "
        f"rules checked against {len(h.deals)} sample deal(s)."
    ]
    for kind, title in KINDS.items():
        mine = [i for i in h.items if i.kind == kind]
        lines.append("")
        lines.append(f"{title}: {len(mine) or 'none'}")
        if kind == "no-position" and mine:
            lines.append("  " + ", ".join(i.subject for i in mine))
            continue
        lines += [f"  {i.where}: {i.message}" for i in mine]
    return "\n".join(lines) + "\n"


def markdown(h: Health) -> str:
    lines = [
        f"# Playbook health: {h.playbook}",
        "",
        f"{h.positions} position(s) for {h.placed} placed clauses; rules checked against "
        f"{len(h.deals)} sample deal(s): {', '.join(h.deals) or 'none'}.",
    ]
    for kind, title in KINDS.items():
        mine = [i for i in h.items if i.kind == kind]
        lines += ["", f"## {title} ({len(mine)})", ""]
        if not mine:
            lines.append("None.")
        elif kind == "no-position":
            lines.append(", ".join(f"`{i.subject}`" for i in mine))
        else:
            lines += [f"- {i.message} ({i.where})" for i in mine]
    return "\n".join(lines) + "\n"
