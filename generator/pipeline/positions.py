"""The CoE's negotiation positions: the ladder of each clause read from the playbook, its
checks, and where a variant and values sit on it.

A position is a ladder of steps — preferred, fallback-1, fallback-2..., walk-away. Each step
accepts some variants and some parameter values; a later step accepts everything the step
before it accepts, and more. A deal sits on the first step that accepts what it drafts; a deal
that no step accepts has gone past the walk-away point. Every step but the preferred one needs
the approval of one of its roles (the decision-rights matrix).

Positions are written from the Customer's side, whatever the deal's stance: a balanced-stance
draft that opens with a balanced variant is a concession like any other, so it needs the
approval its step names. docs/playbook.md explains this to the CoE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import Diagnostic, did_you_mean
from ..model import (
    CHOICE,
    NUMERIC,
    Bound,
    Clause,
    Library,
    Parameter,
    Playbook,
    Position,
    Positions,
    Role,
    Step,
    Value,
    show,
)
from ..source import Pointer, SourceFile
from .values import value_problems

# ---- reading the playbook ------------------------------------------------------------------


def read_positions(playbook: str, data: Mapping[str, Any], source: SourceFile) -> Positions:
    """The roles and positions of a playbook that passed its schema (see position_errors);
    read once, when the library is built, into ``Playbook.positions``."""
    roles = {
        rid: Role(rid, str(r.get("title", rid)), str(r.get("description", "")))
        for rid, r in (data.get("roles") or {}).items()
    }
    positions: dict[str, Position] = {}
    for cid, spec in (data.get("positions") or {}).items():
        positions[cid] = _position(cid, spec, [])
    return Positions(playbook, roles, positions, source)


def _bound(name: str, spec: Any) -> Bound:
    if isinstance(spec, dict):
        values = tuple(spec["in"]) if "in" in spec else None
        return Bound(name, spec.get("min"), spec.get("max"), values)
    return Bound(name, values=(spec,))


def _position(
    cid: str, spec: Mapping[str, Any], problems: list[tuple[Pointer, str, str]]
) -> Position:
    """Build the ladder; ``problems`` collects (pointer, rule, message) for ladder-order mistakes."""
    raw: list[tuple[str, Pointer, Mapping[str, Any]]] = [
        ("preferred", ("positions", cid, "preferred"), spec["preferred"])
    ]
    for i, fb in enumerate(spec.get("fallbacks") or ()):
        raw.append((f"fallback-{i + 1}", ("positions", cid, "fallbacks", i), fb))
    if "walk_away" in spec:
        raw.append(("walk-away", ("positions", cid, "walk_away"), spec["walk_away"]))
    steps: list[Step] = []
    variants: tuple[str, ...] | None = None
    bounds: dict[str, Bound] = {}
    for rank, (key, ptr, s) in enumerate(raw):
        adds = tuple(s.get("variants") or ())
        new_bounds = {name: _bound(name, b) for name, b in (s.get("parameters") or {}).items()}
        if rank == 0:
            variants = adds or None
        else:
            prev = steps[-1]
            _order_problems(cid, key, prev, ptr, adds, new_bounds, bounds, problems)
            if variants is not None and adds:
                variants = variants + tuple(v for v in adds if v not in variants)
        merged = dict(bounds)
        for name, b in new_bounds.items():
            if name in merged and not b.covers(merged[name]):
                continue  # reported above; keep the looser limit so later steps are judged fairly
            merged[name] = b
        bounds = merged
        label = str(s.get("label") or _auto_label(adds, new_bounds, rank))
        steps.append(
            Step(
                key=key,
                rank=rank,
                label=label,
                adds=adds,
                variants=variants,
                bounds=tuple(bounds[n] for n in sorted(bounds)),
                approvers=tuple(s.get("approvers") or ()),
                guidance=str(s.get("guidance") or "").strip(),
                pointer=ptr,
            )
        )
    return Position(cid, tuple(steps), str(spec.get("note") or "").strip(), ("positions", cid))


def _auto_label(adds: tuple[str, ...], bounds: Mapping[str, Bound], rank: int) -> str:
    parts = [("variant " if rank == 0 else "+ variant ") + " or ".join(adds)] if adds else []
    parts.extend(f"{b.name} {b.describe()}" for b in bounds.values())
    return "; ".join(parts) or ("any variant" if rank == 0 else "as before")


def _order_problems(
    cid: str,
    key: str,
    prev: Step,
    ptr: Pointer,
    adds: tuple[str, ...],
    new_bounds: Mapping[str, Bound],
    old_bounds: Mapping[str, Bound],
    problems: list[tuple[Pointer, str, str]],
) -> None:
    """Each step must accept everything the step before it accepts, and something more."""
    walk = key == "walk-away"
    what = "the walk-away point" if walk else key
    why = (
        "a fallback may not go past the walk-away point"
        if walk
        else "each step must accept everything the step before it accepts"
    )
    rule = "walk-away-order" if walk else "step-order"
    looser = False
    for name, b in new_bounds.items():
        old = old_bounds.get(name)
        if old is None:
            problems.append(
                (
                    ptr + ("parameters", name),
                    rule,
                    f"{what} of '{cid}' adds a limit on {name} ({b.describe()}) that {prev.key} does not have: {why}",
                )
            )
        elif not b.covers(old):
            problems.append(
                (
                    ptr + ("parameters", name),
                    rule,
                    f"{what} of '{cid}' is stricter than {prev.key} on {name} ({b.describe()} against {old.describe()}): {why}",
                )
            )
        elif not old.covers(b):
            looser = True
    if adds and prev.variants is None:
        problems.append(
            (
                ptr + ("variants",),
                "step-order",
                f"{key} of '{cid}' names variants, but the preferred step already accepts any variant",
            )
        )
    elif adds and prev.variants is not None and any(v not in prev.variants for v in adds):
        looser = True
    if not looser and not any(p[0][: len(ptr)] == ptr for p in problems):
        problems.append(
            (
                ptr,
                rule,
                f"{key} of '{cid}' accepts nothing that {prev.key} does not, so no deal would ever reach it",
            )
        )


# ---- validation of the playbook ------------------------------------------------------------


def position_errors(pb: Playbook, clauses: Mapping[str, Clause]) -> list[Diagnostic]:
    """Every mistake in a playbook's roles and positions, each at its line."""
    src = pb.source
    data = pb.data or {}
    roles = data.get("roles") or {}
    out: list[Diagnostic] = []
    for cid, spec in (data.get("positions") or {}).items():
        mine = _one_position_errors(src, cid, spec, clauses, roles)
        out.extend(mine)
    return out


def _one_position_errors(
    src: SourceFile,
    cid: str,
    spec: Mapping[str, Any],
    clauses: Mapping[str, Clause],
    roles: Mapping[str, Any],
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    base: Pointer = ("positions", cid)
    c = clauses.get(cid)
    if c is None:
        hint = did_you_mean(cid, clauses)
        out.append(
            src.diag(base, "unknown-clause", f"position for unknown clause '{cid}'{hint}", key=True)
        )
        return out
    steps: list[tuple[str, Pointer, Mapping[str, Any]]] = [
        ("preferred", base + ("preferred",), spec["preferred"])
    ]
    steps += [
        (f"fallback-{i + 1}", base + ("fallbacks", i), fb)
        for i, fb in enumerate(spec.get("fallbacks") or ())
    ]
    if "walk_away" in spec:
        steps.append(("walk-away", base + ("walk_away",), spec["walk_away"]))
    for key, ptr, s in steps:
        for j, vid in enumerate(s.get("variants") or ()):
            if c.variant(vid) is None:
                ids = ", ".join(v.id for v in c.variants)
                out.append(
                    src.diag(
                        ptr + ("variants", j),
                        "unknown-variant",
                        f"{key} of '{cid}' names variant '{vid}', which the clause does not have (variants: {ids})",
                    )
                )
        for name, b in (s.get("parameters") or {}).items():
            out.extend(
                src.diag(ptr + ("parameters", name) + sub, "position-parameter", msg)
                for msg, sub in _bound_problems(c, key, name, b)
            )
        for j, role in enumerate(s.get("approvers") or ()):
            if role not in roles:
                out.append(
                    src.diag(ptr + ("approvers", j), "unknown-role", _unknown_role(role, roles))
                )
    problems: list[tuple[Pointer, str, str]] = []
    if not any(d.rule == "position-parameter" for d in out):
        # The order of the steps is only worth judging once every limit is well formed.
        _position(cid, spec, problems)
    out.extend(src.diag(p, rule, msg) for p, rule, msg in problems)
    return out


def _unknown_role(role: str, roles: Mapping[str, Any]) -> str:
    hint = did_you_mean(role, roles)
    known = ", ".join(sorted(roles)) or "none defined"
    return f"unknown role '{role}'{hint}; the playbook's roles are: {known}"


def parameter_of(c: Clause, name: str) -> Parameter | None:
    """The parameter, or record field, that ``name`` ('cap' or 'cap.general_percent') names."""
    root, _, sub = name.partition(".")
    p = c.parameter(root)
    if p is None or not sub:
        return p
    return dict(p.fields).get(sub) if p.type == "record" else None


def _bound_problems(c: Clause, key: str, name: str, spec: Any) -> list[tuple[str, Pointer]]:
    p = parameter_of(c, name)
    if p is None:
        names = [q.name for q in c.parameters] + [
            f"{q.name}.{f}" for q in c.parameters if q.type == "record" for f, _ in q.fields
        ]
        hint = did_you_mean(name, names)
        return [(f"{key} of '{c.id}' limits '{name}', which the clause does not have{hint}", ())]
    if p.type not in NUMERIC + CHOICE:
        return [
            (
                f"{key} of '{c.id}' limits '{name}', a {p.type}: positions limit numbers, true/false and choices",
                (),
            )
        ]
    out: list[tuple[str, Pointer]] = []
    checks: list[tuple[str, Any, Pointer]]
    at = f"{key} of '{c.id}'"
    if isinstance(spec, dict):
        if p.type in CHOICE and ("min" in spec or "max" in spec):
            out.append((f"{at}: min and max apply to numbers; '{name}' is a {p.type}: use in", ()))
        lo, hi = spec.get("min"), spec.get("max")
        if lo is not None and hi is not None and lo > hi:
            out.append((f"{at}: min {show(lo)} of '{name}' is above its max {show(hi)}", ()))
        checks = [(k, spec[k], (k,)) for k in ("min", "max") if k in spec and p.type in NUMERIC]
        checks += [("in", v, ("in", i)) for i, v in enumerate(spec.get("in") or ())]
    else:
        checks = [("value", spec, ())]
    for _, value, sub in checks:
        out.extend((f"{at}: {m}", sub + s) for m, s in value_problems(p, value, f"'{name}'"))
    return out


# ---- a deal against its positions ----------------------------------------------------------


def value_at(values: Sequence[Value], name: str) -> tuple[Any, Value | None]:
    root, _, sub = name.partition(".")
    v = next((x for x in values if x.name == root), None)
    if v is None:
        return None, None
    if sub:
        return (v.value.get(sub) if isinstance(v.value, dict) else None), v
    return v.value, v


def place(position: Position, variant: str, values: Sequence[Value]) -> Step | None:
    """The first step that accepts this variant and these values; None past the walk-away point."""
    for step in position.steps:
        if _accepts(step, variant, values):
            return step
    return None


def place_values(position: Position, variant: str, params: Mapping[str, Any]) -> Step | None:
    """``place`` for plain values (outcome records), where no source is known."""
    values = [Value(k, v, "", "") for k, v in params.items()]
    return place(position, variant, values)


def _accepts(step: Step, variant: str, values: Sequence[Value]) -> bool:
    if step.variants is not None and variant not in step.variants:
        return False
    for b in step.bounds:
        value, found = value_at(values, b.name)
        if found is not None and not b.accepts(value):
            return False
    return True


# ---- approvals in a deal, checked without drafting it (part of validate) --------------------


def approval_errors(lib: Library, src: SourceFile, data: Mapping[str, Any]) -> list[Diagnostic]:
    """Approvals that cannot be right whatever the draft: unknown role, no such step or position."""
    pb = lib.playbooks.get(data.get("playbook", "standard"))
    if pb is None:
        return []
    pos = pb.positions
    out: list[Diagnostic] = []
    for i, a in enumerate(data.get("approvals") or ()):
        cid, role, key = a["clause"], a["role"], a.get("step")
        if cid not in lib.clauses:
            continue  # reported as an unknown clause
        if role not in pos.roles:
            out.append(
                src.diag(("approvals", i, "role"), "unknown-role", _unknown_role(role, pos.roles))
            )
            continue
        position = pos.positions.get(cid)
        if position is None:
            out.append(
                src.diag(
                    ("approvals", i, "clause"),
                    "approval-no-position",
                    f"'{cid}' has no position in playbook '{pb.id}', so no approval applies to it",
                )
            )
            continue
        steps = position.steps[1:]
        if key is not None:
            step = position.step(key)
            if step is None or step.rank == 0:
                names = ", ".join(s.key for s in steps) or "none: the position is non-negotiable"
                out.append(
                    src.diag(
                        ("approvals", i, "step"),
                        "approval-step",
                        f"the position of '{cid}' has no step {key} (steps: {names})",
                    )
                )
            elif role not in step.approvers:
                out.append(
                    src.diag(
                        ("approvals", i, "role"),
                        "approval-role",
                        f"{role} may not approve {key} of '{cid}': only {' or '.join(step.approvers)} may",
                    )
                )
        elif not any(role in s.approvers for s in steps):
            allowed = sorted({r for s in steps for r in s.approvers})
            out.append(
                src.diag(
                    ("approvals", i, "role"),
                    "approval-role",
                    f"{role} may not approve any step of '{cid}' (approvers: {', '.join(allowed) or 'none'})",
                )
            )
    return out


# ---- helpers -------------------------------------------------------------------------------


# ---- report --------------------------------------------------------------------------------
