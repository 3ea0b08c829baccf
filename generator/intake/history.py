"""The deal's negotiation history: a YAML file beside the deal, one entry per returned round.

Rounds are appended as text, never re-dumped, so whatever a person wrote in the file (comments
included) stays as it was. The file is read back and checked after every append."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Diagnostic
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
                "change": i.summary,
                "landed": i.placement.status,
                **({"step": i.placement.step} if i.placement.step else {}),
                **({"approvers": list(i.placement.approvers)} if i.placement.approvers else {}),
                **({"untracked": True} if i.untracked else {}),
            }
            for i in r.issues
        ],
    }


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
