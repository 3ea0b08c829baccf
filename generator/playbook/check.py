"""A deal placed on the CoE's ladders: where each positioned clause sits, what deviates, and
which approvals the decision-rights matrix asks for. `clausebook check` prints it; `draft`
refuses a deal whose check has errors (the gate handed into the pipeline)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic
from ..model import Deal, Position, Positions, Selected, Selection, Step, show
from ..pipeline.positions import place, value_at
from ..source import Pointer, SourceFile


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
        shown = f"'{self.value}'" if self.what == "variant" else show(self.value)
        return f"{self.what} {shown} ({self.source}, {self.where}) where {self.against} is {self.limit}"

    def stable(self) -> str:
        """Like text(), but citing a line only in the deal: clause files move under a memo."""
        shown = f"'{self.value}'" if self.what == "variant" else show(self.value)
        where = f", {self.where}" if self.pointer is not None else ""
        return f"{self.what} {shown} ({self.source}{where}) where {self.against} is {self.limit}"

    def short(self) -> str:
        """For tables: the value and the limit; where it is set only when the deal set it."""
        set_by = f"{self.source}, line {self.where.rsplit(':', 1)[-1]}; " if self.pointer else ""
        return f"{self.what} {show(self.value)} ({set_by}{self.against}: {self.limit})"


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


def check_deal(selection: Selection) -> DealCheck:
    """Every positioned clause of the draft on its ladder, with the approvals it needs."""
    deal = selection.deal
    pos = selection.playbook.positions
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


def refusals(selection: Selection) -> tuple[Diagnostic, ...]:
    """The gate `draft` hands into the pipeline: a deal past a walk-away point, or lacking an
    approval it needs, is not drafted (unless --allow-deviations)."""
    return check_deal(selection).errors
