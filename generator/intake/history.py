"""The deal's negotiation history: a YAML file beside the deal, one entry per returned round.

Rounds are appended as text, never re-dumped, so whatever a person wrote in the file (comments
included) stays as it was. The file is read back and checked after every append."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Diagnostic
from ..model import Selection
from ..writers.output import atomic_write
from .run import Intake


def history_path(deal_file: Path) -> Path:
    return deal_file.with_name(deal_file.stem + ".negotiation.yaml")


def rounds(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ContentError(
            [Diagnostic(str(path), line, 1, "negotiation-history", f"not valid YAML: {exc}")]
        ) from None
    rounds_ = (data or {}).get("rounds") if isinstance(data, dict) else None
    if data is not None and not (isinstance(data, dict) and isinstance(rounds_, list | None)):
        raise ContentError(
            [
                Diagnostic(
                    str(path), 1, 1, "negotiation-history", "expected a mapping with `rounds:`"
                )
            ]
        )
    return list(rounds_ or [])


def round_entry(r: Intake, number: int, when: dt.date) -> dict[str, Any]:
    return {
        "round": number,
        "date": when.isoformat(),
        "returned": r.returned.name,
        "counterparty": list(r.counterparty),
        "changes": [
            {
                "clause": i.clause,
                "sent_variant": _sent_variant(r, i.clause),
                "change": i.summary,
                "landed": i.placement.status,
                **({"step": i.placement.step} if i.placement.step else {}),
                **({"approvers": list(i.placement.approvers)} if i.placement.approvers else {}),
                **({"untracked": True} if i.untracked else {}),
            }
            for i in r.issues
        ],
    }


def _sent_variant(r: Intake, cid: str) -> str | None:
    return next((s.variant.id for s in r.selection.all() if s.clause.id == cid), None)


def append_round(path: Path, r: Intake, when: dt.date) -> int:
    """Append this intake as the next round; returns its number."""
    existing = rounds(path)
    number = len(existing) + 1
    entry = yaml.safe_dump([round_entry(r, number, when)], sort_keys=False, allow_unicode=True)
    old = path.read_text("utf-8") if path.is_file() else ""
    if not old.strip():
        old = f"# Negotiation history of {r.deal.source.path}, written by `clausebook intake`.\nrounds:\n"
    elif not old.endswith("\n"):
        old += "\n"
    indented = "".join("  " + line if line.strip() else line for line in entry.splitlines(True))
    text = old + indented
    # Check the appended text reads back as one more round before anything is written.
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or len(data.get("rounds") or []) != number:
        raise ContentError(
            [
                Diagnostic(
                    str(path),
                    1,
                    1,
                    "negotiation-history",
                    "cannot append a round: `rounds:` must be the last key of the file",
                )
            ]
        )
    atomic_write(path, text.encode("utf-8"))
    return number


def outcome_yaml(selection: Selection, history: list[dict[str, Any]], signed: dt.date) -> str:
    """The playbook outcome record of a signed deal, written from its negotiation history: for
    each clause on a CoE ladder, the variant first sent, the variant and values signed, whether
    it was accepted first time, in how many rounds it moved and the days it took to agree.
    Nothing negotiated is typed by hand; post-go-live figures are added later."""
    from ..playbook.check import check_deal

    deal = selection.deal
    first = _first_date(history)
    lines = [
        f"# Written by `clausebook outcome` from {deal.source.path} and its negotiation history.",
        "# Add disputes, credits_paid_percent and renegotiated after go-live.",
        f"deal: {deal.id}",
        f"counterparty: {yaml.safe_dump(str(deal.data['supplier']['name'])).splitlines()[0]}",
        f"maturity: {deal.data['maturity']}",
        f"signed: {signed.isoformat()}",
        "clauses:",
    ]
    for f in check_deal(selection).findings:
        cid = f.clause
        moved = [r for r in history if any(c.get("clause") == cid for c in r.get("changes", []))]
        sent = next(
            (c.get("sent_variant") for r in moved for c in r["changes"] if c.get("clause") == cid),
            None,
        )
        bounded = {b.name.split(".")[0] for st in f.position.steps for b in st.bounds}
        params = {v.name: v.value for v in f.selected.values if v.name in bounded}
        last = _date(moved[-1]) if moved else None
        entry: dict[str, Any] = {
            "opened": sent or f.selected.variant.id,
            "variant": f.selected.variant.id,
            **({"parameters": params} if params else {}),
            "accepted_first_time": not moved,
            "rounds": len(moved),
            "days_to_agree": (last - first).days if moved and first and last else 0,
        }
        dumped = yaml.safe_dump({cid: entry}, sort_keys=False, default_flow_style=None)
        lines.extend("  " + line for line in dumped.splitlines())
    return "\n".join(lines) + "\n"


def _date(r: dict[str, Any]) -> dt.date | None:
    value = r.get("date")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _first_date(history: list[dict[str, Any]]) -> dt.date | None:
    dates = [d for d in (_date(r) for r in history) if d is not None]
    return min(dates) if dates else None
