"""What intake writes for people and tools: the issues list (a `Report`, so the memo's Markdown
and Word writers print it), the deal-profile patch, and JSON."""

from __future__ import annotations

from typing import Any

import yaml

from ..model import Heading, Para, Report, ReportBlock, Run, Table
from .run import Intake, Issue

STATUS_TITLE = {
    "past walk-away": "Past the walk-away point",
    "unknown language": "Language the library does not hold",
    "clause deleted": "Clauses deleted",
    "needs approval": "Needs approval",
    "no position": "No CoE position: counsel decides",
    "clause moved": "Clauses moved",
    "within authority": "Within authority: accepted in the patch",
    "comment": "Comments",
}


def _p(text: str, bold: bool = False) -> Para:
    return Para((Run(text, bold=bold),))


def _name(i: Issue) -> str:
    if not i.number:
        return i.title
    word = "Schedule" if i.number.isdigit() else "Clause"
    return f"{word} {i.number} {i.title}"


def build_report(r: Intake) -> Report:
    data = r.deal.data
    blocks: list[ReportBlock] = [
        Heading(1, (Run(f"Returned draft: issues list \u2014 {data.get('title', r.deal.id)}"),)),
        _p(
            f"Deal {r.deal.id}; returned file {r.returned.name}; compared with the draft as "
            f"sent ({r.sent_from}). Changes by: {', '.join(r.counterparty) or 'not recorded'}."
        ),
        _summary(r),
    ]
    if r.formatting:
        blocks.append(
            _p(
                f"{r.formatting} formatting-only change(s) (no change to the words) are not "
                "counted as substance."
            )
        )
    for status, title in STATUS_TITLE.items():
        group = [i for i in r.issues if i.placement.status == status]
        if not group:
            continue
        blocks.append(Heading(2, (Run(title),)))
        for i in group:
            blocks.extend(_issue(i))
    if not r.issues:
        blocks.append(_p("The returned draft is the draft as sent: nothing to decide."))
    return Report(
        title=f"Issues list \u2014 {data.get('title', r.deal.id)}",
        blocks=tuple(blocks),
        subject=f"Returned draft of {r.deal.id}",
        keywords="clausebook intake",
    )


def _summary(r: Intake) -> Table:
    rows = []
    for n, i in enumerate(r.issues, start=1):
        rows.append(
            tuple(
                (Run(t),)
                for t in (
                    str(n),
                    _name(i),
                    i.summary,
                    i.placement.status,
                    ", ".join(i.placement.approvers) or "\u2014",
                )
            )
        )
    header = tuple((Run(h),) for h in ("#", "Clause", "Change", "Where it lands", "Approvers"))
    return Table(header, tuple(rows))


def _issue(i: Issue) -> list[ReportBlock]:
    out: list[ReportBlock] = [Heading(3, (Run(f"{_name(i)}: {i.summary}"),))]
    pl = i.placement
    facts = [f"Where it lands: {pl.status}" + (f", {pl.step}" if pl.step else "")]
    if pl.approvers:
        facts.append("Approvers: " + ", ".join(pl.approvers))
    if pl.where:
        facts.append(f"Playbook: {pl.where}")
    if i.authors:
        facts.append("Changed by: " + ", ".join(i.authors))
    if i.untracked:
        facts.append("Made WITHOUT tracked changes: found by comparing with the draft as sent")
    out.extend(Para((Run(f),), list_level=1, label="\u2022", bullet=True) for f in facts)
    if pl.guidance:
        out.append(Para((Run("Guidance: ", bold=True), Run(pl.guidance.strip()))))
    if i.diff:
        out.append(Para((Run("Text: ", bold=True), Run(shorten(i.diff.strip())))))
    for c in i.comments:
        who = c.author or "unknown"
        reply = " (reply)" if c.parent else ""
        out.append(Para((Run(f"Comment by {who}{reply}: ", bold=True), Run(c.text))))
    return out


def shorten(diff: str, keep: int = 8) -> str:
    """A word diff with long unchanged stretches cut to their last and first ``keep`` words."""
    import re

    parts = re.split(r"(\[-.*?-\]|\{\+.*?\+\})", diff, flags=re.S)
    out = []
    for n, part in enumerate(parts):
        words = part.split(" ")
        if n % 2 == 0 and len(words) > 2 * keep + 1:
            head = words[:keep] if n > 0 else []
            tail = words[-keep:] if n < len(parts) - 1 else []
            part = " ".join(head) + " \u2026 " + " ".join(tail)
        out.append(part)
    return "".join(out).strip()


def patch_yaml(r: Intake) -> str:
    """A deal-profile fragment accepting every change within authority, with comments saying
    why; merged into the deal, `draft` prints exactly the returned text of those clauses."""
    accepted = [i for i in r.issues if i.acceptable and i.explained is not None]
    lines = [
        f"# clausebook intake: changes to {r.deal.source.path} within authority, accepted.",
        "# Merge these keys into the deal profile; everything else in the returned draft needs",
        "# a decision (see the issues list).",
    ]
    overrides: dict[str, dict[str, Any]] = {}
    variants: dict[str, str] = {}
    notes: dict[str, str] = {}
    for i in accepted:
        assert i.explained is not None
        if i.explained.overrides:
            overrides[i.clause] = dict(i.explained.overrides)
        if i.explained.variant:
            variants[i.clause] = i.explained.variant
        notes[i.clause] = f"{i.summary} ({i.placement.step})"
    if not accepted:
        lines.append("{}")
        return "\n".join(lines) + "\n"
    for key, table in (("overrides", overrides), ("variants", variants)):
        if not table:
            continue
        lines.append(f"{key}:")
        for cid, value in table.items():
            lines.append(f"  # {notes[cid]}")
            dumped = yaml.safe_dump({cid: value}, default_flow_style=True, sort_keys=True)
            lines.append("  " + dumped.strip()[1:-1].strip())
    return "\n".join(lines) + "\n"


def merge_patch(deal: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The deal profile with a patch merged in (what a drafter does by hand, for tests)."""
    out = dict(deal)
    for key in ("overrides", "variants"):
        if key in patch:
            merged = dict(out.get(key) or {})
            for cid, value in patch[key].items():
                merged[cid] = {**(merged.get(cid) or {}), **value} if key == "overrides" else value
            out[key] = merged
    return out


def intake_json(r: Intake) -> dict[str, Any]:
    return {
        "deal": r.deal.id,
        "returned": str(r.returned),
        "sent_from": r.sent_from,
        "counterparty": list(r.counterparty),
        "formatting_changes": r.formatting,
        "needs_decision": r.needs_decision,
        "issues": [
            {
                "clause": i.clause,
                "number": i.number,
                "kind": i.kind,
                "summary": i.summary,
                "status": i.placement.status,
                "step": i.placement.step,
                "approvers": list(i.placement.approvers),
                "playbook": i.placement.where,
                "untracked": i.untracked,
                "authors": list(i.authors),
                "diff": i.diff,
                "overrides": dict(i.explained.overrides) if i.explained else {},
                "variant": i.explained.variant if i.explained else None,
                "comments": [
                    {"author": c.author, "text": c.text, "reply_to": c.parent} for c in i.comments
                ],
            }
            for i in r.issues
        ],
    }
