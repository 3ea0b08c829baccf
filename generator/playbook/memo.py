"""The negotiation memo: for the negotiating team, where the draft sits on each CoE position.

Deviations first, then clause by clause: the position taken, the fallbacks left, the walk-away
point, who approves each step and the guidance for it. One small memo model feeds both the
Markdown and the Word writer, so the two never disagree. Output is deterministic: no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..model import (
    Heading,
    Para,
    Positions,
    Report,
    ReportBlock,
    Run,
    Selected,
    Step,
    Table,
    show,
    step_name,
)
from ..pipeline.positions import value_at
from .check import DealCheck, Finding
from .stats import Stats
from .stats_report import recommendation_lines, variant_line

MATURITY = {1: "Foundational", 2: "Managed", 3: "Optimised", 4: "Outcome partnership"}
# `commands` and snake_case parameter names read as code, in Markdown and in Word alike.
_CODE = re.compile(
    r"`([^`]+)`|(?<![\w.])((?:[a-z][a-z0-9]*\.)?[a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w])"
)


def _inline(text: str, bold: bool = False) -> list[Run]:
    """Text with `command` spans as code runs: the writers print them as code, not backticks."""
    out: list[Run] = []
    pos = 0
    for m in _CODE.finditer(text):
        if m.start() > pos:
            out.append(Run(text[pos : m.start()], bold))
        out.append(Run(m.group(1) or m.group(2), bold, code=True))
        pos = m.end()
    if pos < len(text) or not out:
        out.append(Run(text[pos:], bold))
    return out


def _runs(parts: Sequence[str | Run]) -> tuple[Run, ...]:
    out: list[Run] = []
    for p in parts:
        out.extend(_inline(p) if isinstance(p, str) else [p])
    return tuple(out)


def _p(*parts: str | Run) -> Para:
    return Para(_runs(parts))


def _b(text: str) -> Run:
    return Run(text, bold=True)


def _h(level: int, text: str) -> Heading:
    return Heading(level, (Run(text),))


def _bullets(items: Sequence[tuple[Run, ...]], numbered: bool = False) -> list[Para]:
    if numbered:
        return [Para(i, list_level=1, label=f"{n}.") for n, i in enumerate(items, 1)]
    return [Para(i, list_level=1, label="•", bullet=True) for i in items]


def _roles(pos: Positions, keys: Sequence[str]) -> str:
    names = [pos.roles[k].title if k in pos.roles else k for k in keys]
    return " or ".join(names) or "-"


def _clause_name(s: Selected) -> str:
    number = f"Schedule {s.number}" if s.clause.kind == "schedule" else s.number
    return f"{number} {s.clause.title}"


def _step_title(step: Step) -> str:
    return f"{step_name(step.key)} — {step.label}"


def _values_taken(f: Finding) -> str:
    """The variant and the values of every parameter the ladder limits, as the draft has them."""
    names = sorted({b.name for s in f.position.steps for b in s.bounds})
    parts = [f"variant {f.selected.variant.id}"]
    for n in names:
        value, found = value_at(f.selected.values, n)
        if found is not None:
            parts.append(f"{n} {show(value)}")
    return "; ".join(parts)


def build_memo(check: DealCheck, stats: Stats | None = None) -> Report:
    deal = check.deal
    pos = check.positions
    d = deal.data
    title = f"Negotiation memo: {d['title']}"
    blocks: list[ReportBlock] = [_h(1, title)]
    blocks.append(
        _p(
            f"{d['customer']['name']} (Customer) and {d['supplier']['name']} (Supplier) · deal "
            f"{deal.id} · maturity {deal.maturity} ({MATURITY.get(deal.maturity, '')}) · "
            f"stance {deal.stance} · playbook {pos.playbook} · {deal.source.path}"
        )
    )
    blocks.append(
        _p(
            _b("Confidential — negotiating team only. "),
            "This memo shows the Customer's fallbacks and walk-away points; never send it to the "
            "counterparty. Positions are the Customer's; a balanced-stance draft opens on a "
            "fallback wherever its variant is one.",
        )
    )
    blocks += _summary(check)
    blocks += _deviations(check)
    blocks.append(_h(2, "Clause by clause"))
    for f in check.findings:
        blocks += _clause(f, pos, stats)
    if check.unpositioned:
        blocks.append(_h(2, "Clauses without a CoE position"))
        blocks.append(
            _p(
                f"{len(check.unpositioned)} clauses of the draft have no position in the playbook; "
                "they follow the library's variant for the deal's stance and maturity and need no "
                "approval: " + ", ".join(check.unpositioned) + "."
            )
        )
    if stats is not None and stats.sample_records:
        blocks.append(
            _p(
                _b("Track records use SAMPLE DATA: "),
                f"{stats.sample_records} of {stats.records} outcome records are marked "
                "sample: true. Read them as an illustration of the report, not as evidence.",
            )
        )
    return Report(
        title,
        tuple(blocks),
        subject="Negotiation memo",
        keywords=deal.id,
        comments="Confidential: negotiating team only",
    )


def _summary(check: DealCheck) -> list[ReportBlock]:
    fs = check.findings
    held = sum(1 for f in fs if f.status == "preferred")
    on_fallback = [f for f in fs if f.step is not None and f.step.rank > 0]
    approved = sum(1 for f in on_fallback if f.approvals)
    past = [f for f in fs if f.step is None]
    missing = [f for f in fs if f.status == "needs approval"]
    total = len(fs) + len(check.unpositioned)
    items: list[tuple[Run, ...]] = [
        _runs(
            [
                f"{len(fs)} of the draft's {total} clauses {'has' if len(fs) == 1 else 'have'} "
                f"a CoE position: {held} at the "
                f"preferred position, {len(on_fallback)} on a fallback or the walk-away point "
                f"({approved} approved), {len(past) or 'none'} past the walk-away point."
            ]
        )
    ]
    if missing:
        need = "; ".join(
            f"{f.clause} ({step_name(f.step.key) if f.step else ''}: "
            f"{_roles(check.positions, f.step.approvers if f.step else ())})"
            for f in missing
        )
        items.append(_runs([_b("Approvals still needed: "), need + "."]))
    else:
        items.append(_runs([_b("Approvals still needed: "), "none."]))
    if past:
        items.append(
            _runs(
                [
                    _b("Past the walk-away point: "),
                    ", ".join(f.clause for f in past)
                    + ". The CoE's answer is to walk away; `clausebook draft` refuses this deal "
                    "without --allow-deviations.",
                ]
            )
        )
    items.append(
        _runs(
            [f"Run `clausebook check {check.deal.source.path}` again after any change to the deal."]
        )
    )
    return [_h(2, "Summary"), *_bullets(items)]


def _deviations(check: DealCheck) -> list[ReportBlock]:
    out: list[ReportBlock] = [_h(2, "Deviations from the playbook")]
    devs = check.deviations
    if not devs:
        out.append(_p("None: every clause with a CoE position is at the preferred position."))
        return out
    rows = []
    for f in devs:
        step = f"{_step_title(f.step)}" if f.step else "PAST THE WALK-AWAY POINT"
        what = "; ".join(m.short() for m in f.misses)
        approver = _roles(check.positions, f.step.approvers) if f.step else "none: walk away"
        if f.approvals:
            rec = "; ".join(
                f"{a.by} ({_roles(check.positions, [a.role])}, {a.date})"
                + (f": {a.note}" if a.note else "")
                for a in f.approvals
            )
        elif f.step is None:
            rec = "-"
        else:
            rec = "NONE — needed before the draft goes out"
        rows.append((_clause_name(f.selected), step, what, approver, rec))
    header = ("Clause", "Step", "What deviates", "Approver", "Approval")
    cells = tuple(tuple(tuple(_inline(c)) for c in row) for row in rows)
    out.append(Table(tuple((Run(h),) for h in header), cells))
    return out


def _clause(f: Finding, pos: Positions, stats: Stats | None) -> list[ReportBlock]:
    s = f.selected
    status = {
        "preferred": "preferred",
        "approved": f"{step_name(f.step.key)} (approved)" if f.step else "",
        "needs approval": f"{step_name(f.step.key)} (NEEDS APPROVAL)" if f.step else "",
        "past walk-away": "PAST THE WALK-AWAY POINT",
    }[f.status]
    out: list[ReportBlock] = [_h(3, f"{_clause_name(s)} — {status}")]
    taken = (
        _step_title(f.step) if f.step else "past the walk-away point"
    ) + f". The draft has {_values_taken(f)}."
    out.append(_p(_b("Position taken: "), taken))
    if f.misses:
        out.append(_p(_b("Deviation: "), "; ".join(m.stable() for m in f.misses) + "."))
    if f.position.note:
        out.append(_p(_b("Why the CoE holds this position: "), f.position.note))
    current = f.step.rank if f.step else len(f.position.steps)
    step_now = f.step or f.position.limit
    if step_now.guidance:
        out.append(_p(_b("Guidance at this step: "), step_now.guidance))
    left = [st for st in f.position.steps[1:] if st.rank > current and st.key != "walk-away"]
    if left:
        out.append(_p(_b("Fallbacks left, in order:")))
        out += _bullets(
            [
                _runs(
                    [
                        _b(_step_title(st) + ". "),
                        f"Accepts {st.summary()}. Approver: {_roles(pos, st.approvers)}."
                        + (f" {st.guidance}" if st.guidance else ""),
                    ]
                )
                for st in left
            ],
            numbered=True,
        )
    elif f.step is not None:
        out.append(_p(_b("Fallbacks left: "), "none before the walk-away point."))
    limit = f.position.limit
    if limit.rank == 0:
        out.append(
            _p(
                _b("Walk-away: "),
                "this position is non-negotiable: any deviation means walking away.",
            )
        )
    elif f.step is None or f.step.rank >= limit.rank:
        out.append(
            _p(
                _b("Walk-away: "),
                f"{limit.label} ({limit.summary()}) — "
                + (
                    "the draft is already there: no further concession."
                    if f.step is not None
                    else "the draft is past it."
                ),
            )
        )
    else:
        out.append(
            _p(
                _b("Walk-away: "),
                f"{limit.label}. Accepts {limit.summary()}; nothing beyond. Approver: "
                f"{_roles(pos, limit.approvers)}."
                + (f" {limit.guidance}" if limit.guidance else ""),
            )
        )
    v = s.variant
    if v.guidance:
        out.append(_p(_b(f"Variant guidance ({v.id}): "), v.guidance))
    if v.notes:
        out.append(_p(_b("Drafting notes: "), v.notes))
    if stats is not None:
        rows = [r for r in stats.variants if r.clause == s.clause.id]
        if rows:
            label = "Track record (sample data):" if stats.sample_records else "Track record:"
            out.append(_p(_b(label)))
            lines = [variant_line(r) + "." for r in rows] + recommendation_lines(stats, s.clause.id)
            out += _bullets([_runs([line]) for line in lines])
    return out


# ---- writers: the shared ones ------------------------------------------------------------


def memo_markdown(memo: Report) -> str:
    from ..writers.markdown import report_markdown

    return report_markdown(memo)


def memo_docx(memo: Report, when: dt.datetime, deal: dict[str, Any] | None = None) -> bytes:
    """Word memo in the house style (the default reference document) on the deal's paper,
    with fixed timestamps."""
    from ..writers.docx.report import report_docx

    return report_docx(memo, when, deal)
