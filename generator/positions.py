"""The CoE's negotiation positions: the ladder of each clause, its checks, and a deal against it.

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

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostic
from .load import Pointer, SourceFile
from .model import Clause, Deal, Library, Parameter, Playbook, Selected, Selection, Value

NUMERIC = ("integer", "number", "percent", "money")
CHOICE = ("boolean", "enum", "string", "date")


# ---- the model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """A limit on one parameter (``name`` may be ``record.field``)."""

    name: str
    low: float | None = None
    high: float | None = None
    values: tuple[Any, ...] | None = None  # accepted values; None: any value within low..high

    def accepts(self, value: Any) -> bool:
        if self.values is not None:
            return any(_same(value, v) for v in self.values)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def covers(self, other: Bound) -> bool:
        """True when this bound accepts every value ``other`` accepts."""
        if self.values is not None:
            if other.values is None:
                return False
            return all(self.accepts(v) for v in other.values)
        if other.values is not None:
            return all(self.accepts(v) for v in other.values)
        low_ok = self.low is None or (other.low is not None and other.low >= self.low)
        high_ok = self.high is None or (other.high is not None and other.high <= self.high)
        return low_ok and high_ok

    def describe(self) -> str:
        if self.values is not None:
            shown = [_show(v) for v in self.values]
            return shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)
        if self.low is not None and self.high is not None:
            return f"between {_show(self.low)} and {_show(self.high)}"
        if self.low is not None:
            return f"at least {_show(self.low)}"
        return f"at most {_show(self.high)}"


@dataclass(frozen=True)
class Step:
    key: str  # "preferred" | "fallback-1" ... | "walk-away": what an approval's `step` names
    rank: int  # 0 for preferred
    label: str
    adds: tuple[str, ...]  # variants this step names
    variants: tuple[str, ...] | None  # every variant accepted so far; None: any variant
    bounds: tuple[Bound, ...]  # every limit in force at this step
    approvers: tuple[str, ...]
    guidance: str
    pointer: Pointer

    def bound(self, name: str) -> Bound | None:
        return next((b for b in self.bounds if b.name == name), None)

    def summary(self) -> str:
        """What this step accepts, for people: "variant client; at_risk_percent at least 15"."""
        parts = []
        if self.variants is not None:
            parts.append("variant " + " or ".join(self.variants))
        parts.extend(f"{b.name} {b.describe()}" for b in self.bounds)
        return "; ".join(parts) or "any variant and values"


@dataclass(frozen=True)
class Position:
    clause: str
    steps: tuple[Step, ...]  # preferred first, walk-away (or the last fallback) last
    note: str
    pointer: Pointer

    @property
    def preferred(self) -> Step:
        return self.steps[0]

    @property
    def limit(self) -> Step:
        """The walk-away point: the last step (a position with only a preferred step is non-negotiable)."""
        return self.steps[-1]

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def first_step_of(self, variant: str) -> Step | None:
        """The first step that accepts ``variant`` at all (whatever the parameters)."""
        return next((s for s in self.steps if s.variants is None or variant in s.variants), None)


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class Positions:
    playbook: str
    roles: dict[str, Role]
    positions: dict[str, Position]
    source: SourceFile


def step_name(key: str) -> str:
    """'fallback-1' -> 'Fallback 1' for prose; 'walk-away' stays hyphenated."""
    return "Walk-away" if key == "walk-away" else key.replace("-", " ").capitalize()


# ---- reading the playbook ------------------------------------------------------------------


def read_positions(pb: Playbook) -> Positions:
    """The roles and positions of a playbook that passed its schema (see position_errors)."""
    data = pb.data or {}
    roles = {
        rid: Role(rid, str(r.get("title", rid)), str(r.get("description", "")))
        for rid, r in (data.get("roles") or {}).items()
    }
    positions: dict[str, Position] = {}
    for cid, spec in (data.get("positions") or {}).items():
        positions[cid] = _position(cid, spec, [])
    return Positions(pb.id, roles, positions, pb.source)


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
        close = difflib.get_close_matches(cid, list(clauses), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
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
    close = difflib.get_close_matches(role, list(roles), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
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
    from .validate import value_problems

    p = parameter_of(c, name)
    if p is None:
        names = [q.name for q in c.parameters] + [
            f"{q.name}.{f}" for q in c.parameters if q.type == "record" for f, _ in q.fields
        ]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
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
            out.append((f"{at}: min {_show(lo)} of '{name}' is above its max {_show(hi)}", ()))
        checks = [(k, spec[k], (k,)) for k in ("min", "max") if k in spec and p.type in NUMERIC]
        checks += [("in", v, ("in", i)) for i, v in enumerate(spec.get("in") or ())]
    else:
        checks = [("value", spec, ())]
    for _, value, sub in checks:
        out.extend((f"{at}: {m}", sub + s) for m, s in value_problems(p, value, f"'{name}'"))
    return out


# ---- a deal against its positions ----------------------------------------------------------


@dataclass(frozen=True)
class Miss:
    """One thing a deal drafts that a step does not accept, and where it came from."""

    what: str  # "variant" or a parameter name
    value: Any
    against: str  # "preferred" or "the walk-away point"
    limit: str  # what that step accepts, for people
    source: str  # "stance balanced", "deal override"...
    where: str  # path:line of the value
    pointer: Pointer | None  # in the deal file, when the deal itself set it

    def text(self) -> str:
        shown = f"'{self.value}'" if self.what == "variant" else _show(self.value)
        return f"{self.what} {shown} ({self.source}, {self.where}) where {self.against} is {self.limit}"

    def stable(self) -> str:
        """Like text(), but citing a line only in the deal: clause files move under a memo."""
        shown = f"'{self.value}'" if self.what == "variant" else _show(self.value)
        where = f", {self.where}" if self.pointer is not None else ""
        return f"{self.what} {shown} ({self.source}{where}) where {self.against} is {self.limit}"

    def short(self) -> str:
        """For tables: the value and the limit; where it is set only when the deal set it."""
        set_by = f"{self.source}, line {self.where.rsplit(':', 1)[-1]}; " if self.pointer else ""
        return f"{self.what} {_show(self.value)} ({set_by}{self.against}: {self.limit})"


@dataclass(frozen=True)
class Approval:
    index: int
    clause: str
    role: str
    by: str
    date: str
    step: str | None
    note: str
    where: str


@dataclass(frozen=True)
class Finding:
    """Where one positioned clause of a deal sits on its ladder."""

    selected: Selected
    position: Position
    step: Step | None  # None: past the walk-away point
    misses: tuple[Miss, ...]  # against the preferred step (or the walk-away point when past it)
    approvals: tuple[Approval, ...]  # approvals that count for this step
    pointer: Pointer  # where in the deal the deviation is set

    @property
    def clause(self) -> str:
        return self.selected.clause.id

    @property
    def status(self) -> str:
        if self.step is None:
            return "past walk-away"
        if self.step.rank == 0:
            return "preferred"
        return "approved" if self.approvals else "needs approval"


@dataclass(frozen=True)
class DealCheck:
    deal: Deal
    positions: Positions
    findings: tuple[Finding, ...]  # in draft order
    unpositioned: tuple[str, ...]  # drafted clauses without a position
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def deviations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status != "preferred")


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


def check_deal(selection: Selection) -> DealCheck:
    """Every positioned clause of the draft on its ladder, with the approvals it needs."""
    deal = selection.deal
    pos = read_positions(selection.playbook)
    src = deal.source
    approvals = [_approval(i, a, src) for i, a in enumerate(deal.data.get("approvals") or ())]
    diags: list[Diagnostic] = []
    findings: list[Finding] = []
    unpositioned: list[str] = []
    drafted = {s.clause.id for s in selection.all()}
    used: set[int] = set()
    for sel in selection.all():
        position = pos.positions.get(sel.clause.id)
        if position is None:
            unpositioned.append(sel.clause.id)
            continue
        f, problems, counted = _finding(deal, sel, position, approvals)
        findings.append(f)
        diags.extend(problems)
        used |= counted
    for a in approvals:
        if a.index in used:
            continue
        if a.clause not in drafted:
            diags.append(
                _warn(
                    src,
                    ("approvals", a.index),
                    "approval-unused",
                    f"approval for '{a.clause}', which this draft leaves out",
                )
            )
    return DealCheck(deal, pos, tuple(findings), tuple(unpositioned), tuple(sorted(set(diags))))


def _approval(i: int, a: Mapping[str, Any], src: SourceFile) -> Approval:
    line, _ = src.where(("approvals", i))
    return Approval(
        index=i,
        clause=str(a["clause"]),
        role=str(a["role"]),
        by=str(a["by"]),
        date=str(a["date"]),
        step=a.get("step"),
        note=str(a.get("note") or ""),
        where=f"{src.path}:{line}",
    )


def _warn(src: SourceFile, ptr: Pointer, rule: str, message: str) -> Diagnostic:
    d = src.diag(ptr, rule, message)
    return Diagnostic(d.path, d.line, d.col, d.rule, d.message, "warning")


def _finding(
    deal: Deal, sel: Selected, position: Position, approvals: Sequence[Approval]
) -> tuple[Finding, list[Diagnostic], set[int]]:
    src = deal.source
    cid = sel.clause.id
    step = place(position, sel.variant.id, sel.values)
    against = position.preferred if step is not None else position.limit
    misses = tuple(_misses(deal, sel, against, past=step is None))
    pointer = _deal_pointer(deal, cid, misses)
    mine = [a for a in approvals if a.clause == cid]
    problems: list[Diagnostic] = []
    counted: set[int] = {a.index for a in mine}
    good: list[Approval] = []
    why = "; ".join(m.text() for m in misses)
    if step is None:
        problems.append(
            src.diag(pointer, "walk-away", f"'{cid}' goes past the walk-away point: {why}")
        )
    elif step.rank == 0:
        for a in mine:
            problems.append(
                _warn(
                    src,
                    ("approvals", a.index),
                    "approval-unused",
                    f"approval for '{cid}' is not needed: the deal is at the preferred position",
                )
            )
    else:
        who = " or ".join(step.approvers)
        for a in mine:
            if a.step is not None and a.step != step.key:
                problems.append(
                    src.diag(
                        ("approvals", a.index, "step"),
                        "approval-step",
                        f"the approval is for {a.step} of '{cid}', but the deal is at {step.key}",
                    )
                )
            elif a.role not in step.approvers:
                problems.append(
                    src.diag(
                        ("approvals", a.index, "role"),
                        "approval-role",
                        f"approval by {a.role} does not cover {step.key} of '{cid}': only {who} may approve it",
                    )
                )
            else:
                good.append(a)
        if not good:
            problems.append(
                src.diag(
                    pointer,
                    "approval-missing",
                    f"'{cid}' is at {step.key} and needs approval by {who}, which the deal does not record: {why}",
                )
            )
    finding = Finding(sel, position, step, misses, tuple(good), pointer)
    return finding, problems, counted


def _misses(deal: Deal, sel: Selected, step: Step, past: bool) -> list[Miss]:
    cid = sel.clause.id
    who = "the walk-away point" if past else "preferred"
    out: list[Miss] = []
    chosen_by_deal = cid in deal.data["variants"]
    variant_ptr: Pointer = ("variants", cid) if chosen_by_deal else ("stance",)
    line, _ = deal.source.where(variant_ptr)
    variant_where = f"{deal.source.path}:{line}"
    if step.variants is not None and sel.variant.id not in step.variants:
        source = "chosen by the deal" if chosen_by_deal else f"stance {deal.stance}"
        out.append(
            Miss(
                "variant",
                sel.variant.id,
                who,
                " or ".join(step.variants),
                source,
                variant_where,
                variant_ptr,
            )
        )
    for b in step.bounds:
        value, found = value_at(sel.values, b.name)
        if found is None or b.accepts(value):
            continue
        if found.source == "deal override":
            ptr: Pointer | None = ("overrides", cid, *b.name.split("."))
        else:
            ptr = None  # set by the variant or the playbook: the deal's choice of variant is the cause
        out.append(Miss(b.name, value, who, b.describe(), found.source, found.where, ptr))
    return out


def _deal_pointer(deal: Deal, cid: str, misses: Sequence[Miss]) -> Pointer:
    """Where in the deal to point: an override if the deal set one, else how the variant was chosen."""
    for m in misses:
        if m.pointer is not None and m.pointer[0] == "overrides":
            return m.pointer
    if cid in deal.data["variants"]:
        return ("variants", cid)
    return ("stance",)


# ---- approvals in a deal, checked without drafting it (part of validate) --------------------


def approval_errors(lib: Library, src: SourceFile, data: Mapping[str, Any]) -> list[Diagnostic]:
    """Approvals that cannot be right whatever the draft: unknown role, no such step or position."""
    pb = lib.playbooks.get(data.get("playbook", "standard"))
    if pb is None:
        return []
    pos = read_positions(pb)
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


def _same(a: Any, b: Any) -> bool:
    # True == 1 in Python; a limit of `false` must not accept 0, nor `1` accept true.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def show(value: Any) -> str:
    return _show(value)


# ---- report --------------------------------------------------------------------------------


def check_text(c: DealCheck) -> str:
    """`clausebook check` for people: one line per positioned clause, deviations explained."""
    d = c.deal
    lines = [
        f"{d.id} ({d.source.path}): maturity {d.maturity}, stance {d.stance}, "
        f"playbook {c.positions.playbook}"
    ]
    width = max((len(f.clause) for f in c.findings), default=10)
    for f in c.findings:
        where = f.step.key if f.step is not None else "PAST WALK-AWAY"
        tail = ""
        if f.step is not None and f.step.rank > 0:
            need = " or ".join(f.step.approvers)
            got = "; ".join(f"{a.by} ({a.role}, {a.date}; {a.where})" for a in f.approvals)
            tail = f"  needs {need}: " + (f"approved by {got}" if got else "NOT APPROVED")
        lines.append(f"  {f.clause:<{width}}  {where}{tail}")
        lines += [f"  {'':<{width}}    {m.text()}" for m in f.misses]
    held = sum(1 for f in c.findings if f.status == "preferred")
    moved = [f for f in c.findings if f.step is not None and f.step.rank > 0]
    past = sum(1 for f in c.findings if f.step is None)
    lines.append(
        f"{len(c.findings)} clause(s) with a position: {held} preferred, {len(moved)} on a "
        f"fallback or walk-away ({sum(1 for f in moved if f.approvals)} approved), {past} past "
        f"the walk-away point; {len(c.unpositioned)} clause(s) without a position"
    )
    return "\n".join(lines) + "\n"


def check_json(c: DealCheck) -> dict[str, Any]:
    return {
        "deal": c.deal.id,
        "file": c.deal.source.path,
        "playbook": c.positions.playbook,
        "clauses": [
            {
                "clause": f.clause,
                "variant": f.selected.variant.id,
                "step": f.step.key if f.step is not None else None,
                "status": f.status,
                "approvers": list(f.step.approvers) if f.step is not None else [],
                "deviations": [
                    {
                        "what": m.what,
                        "value": m.value,
                        "limit": f"{m.against} is {m.limit}",
                        "source": m.source,
                        "where": m.where,
                    }
                    for m in f.misses
                ],
                "approvals": [
                    {"role": a.role, "by": a.by, "date": a.date, "where": a.where}
                    for a in f.approvals
                ],
            }
            for f in c.findings
        ],
        "unpositioned": list(c.unpositioned),
        "problems": [d.text() for d in c.diagnostics],
    }
