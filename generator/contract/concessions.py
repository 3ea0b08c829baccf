"""What each concession costs: the credits the Customer would receive on the same measured
performance if the deal stood at each step of the CoE's ladder for a credit clause.

A step is applied the way a negotiator would concede it: the variant the step adds (or the
draft's own variant when the step accepts it) and each parameter at the limit the step sets.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import Bound, Deal, Library, Selection, Step, show
from .credits import calculate
from .performance import read_performance
from .terms import read_terms

CLAUSES = ("service-credits", "earn-back")


@dataclass(frozen=True)
class Concession:
    clause: str
    step: str  # "preferred", "fallback-1" ..., "walk-away"
    label: str
    applied: str  # "variant balanced; at_risk_percent = 12"
    credits: Decimal | None  # net of Earn-Back; None when the step cannot be computed
    cost: Decimal | None  # credits given up against the preferred step (positive: a cost)
    note: str = ""


def _limit(b: Bound) -> Any:
    if b.values is not None:
        return b.values[0]
    return b.low if b.low is not None else b.high


def _at_step(sel: Selection, clause: str, step: Step) -> tuple[Deal, str]:
    current = next(s for s in sel.all() if s.clause.id == clause)
    variant = current.variant.id
    if step.adds:
        variant = step.adds[0]
    elif step.variants is not None and variant not in step.variants:
        variant = step.variants[0]
    data = copy.deepcopy(sel.deal.data)
    data.setdefault("variants", {})[clause] = variant
    applied = [f"variant {variant}"]
    overrides = data.setdefault("overrides", {}).setdefault(clause, {})
    for b in step.bounds:
        if "." in b.name:
            continue  # a limit on one field of a list is not one value to set
        overrides[b.name] = _limit(b)
        applied.append(f"{b.name} = {show(overrides[b.name])}")
    return replace(sel.deal, data=data), "; ".join(applied)


def _net(lib: Library, deal: Deal, perf: Path, charges: Path) -> Decimal:
    from ..pipeline.select import select
    from . import _shown

    sel = select(lib, deal)
    terms = read_terms(sel)
    st = calculate(terms, read_performance(terms, perf, _shown(perf), charges, _shown(charges)))
    return st.total_credits - st.total_earn_back


def concession_costs(lib: Library, sel: Selection, perf: Path, charges: Path) -> list[Concession]:
    """Each step of the ladders for the credit clauses, with the credits (net of Earn-Back) the
    Customer would receive on this performance and what that gives up against the preferred
    step."""
    from ..errors import ContentError

    out = []
    for clause in CLAUSES:
        position = sel.playbook.positions.positions.get(clause)
        if position is None or not any(s.clause.id == clause for s in sel.all()):
            continue
        preferred: Decimal | None = None
        for step in position.steps:
            deal, applied = _at_step(sel, clause, step)
            try:
                net: Decimal | None = _net(lib, deal, perf, charges)
                note = ""
            except ContentError as exc:
                net, note = None, "; ".join(d.message for d in exc.diagnostics)
            if step.rank == 0:
                preferred = net
            cost = None if net is None or preferred is None else preferred - net
            out.append(Concession(clause, step.key, step.label, applied, net, cost, note))
    return out


def draft_net(lib: Library, sel: Selection, perf: Path, charges: Path) -> Decimal:
    return _net(lib, sel.deal, perf, charges)
