"""Outcome records: how each clause of a signed deal was negotiated and fared after go-live.

One file per signed deal in ``playbooks/outcomes/``. The statistics (stats.py) read them; this
module loads them and checks them against the library and the deal profiles, collecting every
problem with its line, as the rest of validation does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentError, Diagnostic, did_you_mean
from ..model import Clause, Library
from ..pipeline.files import library_glob
from ..pipeline.load import read_yaml
from ..pipeline.positions import parameter_of
from ..pipeline.schema import schema_errors
from ..pipeline.values import value_problems
from ..source import Pointer, SourceFile

OUTCOMES_DIR = ("playbooks", "outcomes")


@dataclass(frozen=True)
class ClauseOutcome:
    clause: str
    opened: str  # variant of the first draft sent
    variant: str  # variant signed
    parameters: tuple[tuple[str, Any], ...]
    accepted_first_time: bool
    rounds: int | None
    days_to_agree: int | None
    disputes: int | None  # None: not live yet, or not reviewed
    credits_paid_percent: float | None
    renegotiated: bool | None
    note: str


@dataclass(frozen=True)
class OutcomeRecord:
    deal: str
    path: str
    sample: bool
    archived: bool
    signed: str
    go_live: str | None
    counterparty: str
    clauses: tuple[ClauseOutcome, ...]


def outcome_paths(root: Path) -> list[Path]:
    return library_glob(root, "/".join(OUTCOMES_DIR), "*.yaml")[0]


def deal_ids(root: Path) -> dict[str, str]:
    """Deal id -> profile path for every deal profile under deals/ (unreadable files are skipped)."""
    out: dict[str, str] = {}
    base = root / "deals"
    if not base.is_dir():
        return out
    for p in library_glob(root, "deals", "**/*.yaml")[0]:
        display = p.relative_to(root).as_posix()
        try:
            src = read_yaml(p, display)
        except ContentError:
            continue  # `validate` reports broken deal files; here they simply are not known deals
        if isinstance(src.data, dict) and isinstance(src.data.get("id"), str):
            out.setdefault(src.data["id"], display)
    return out


def load_outcomes(lib: Library, root: Path) -> tuple[list[OutcomeRecord], list[Diagnostic]]:
    """Every outcome record that is well formed, and every problem in any of them."""

    known = deal_ids(root)
    records: list[OutcomeRecord] = []
    errors: list[Diagnostic] = []
    seen: dict[str, str] = {}
    errors.extend(library_glob(root, "/".join(OUTCOMES_DIR), "*.yaml")[1])
    for p in outcome_paths(root):
        display = p.relative_to(root).as_posix()
        try:
            src = read_yaml(p, display)
        except ContentError as exc:
            errors.extend(exc.diagnostics)
            continue
        errs = schema_errors(src, "outcome")
        if errs:
            errors.extend(errs)
            continue
        errs = _record_errors(lib, src, known)
        deal = src.data["deal"]
        if deal in seen:
            errs.append(
                src.diag(
                    ("deal",),
                    "duplicate-outcome",
                    f"the outcome of deal '{deal}' is already recorded in {seen[deal]}",
                )
            )
        seen.setdefault(deal, display)
        errors.extend(errs)
        if not errs:
            records.append(_record(src))
    return records, sorted(set(errors))


def outcome_errors(lib: Library, root: Path) -> list[Diagnostic]:
    return load_outcomes(lib, root)[1]


def _record(src: SourceFile) -> OutcomeRecord:
    d = src.data
    clauses = tuple(
        ClauseOutcome(
            clause=cid,
            opened=str(c.get("opened") or c["variant"]),
            variant=str(c["variant"]),
            parameters=tuple(sorted((c.get("parameters") or {}).items())),
            accepted_first_time=bool(c["accepted_first_time"]),
            rounds=c.get("rounds"),
            days_to_agree=c.get("days_to_agree"),
            disputes=c.get("disputes"),
            credits_paid_percent=c.get("credits_paid_percent"),
            renegotiated=c.get("renegotiated"),
            note=str(c.get("note") or ""),
        )
        for cid, c in d["clauses"].items()
    )
    return OutcomeRecord(
        deal=d["deal"],
        path=src.path,
        sample=bool(d.get("sample", False)),
        archived=bool(d.get("archived", False)),
        signed=str(d["signed"]),
        go_live=d.get("go_live"),
        counterparty=str(d.get("counterparty") or ""),
        clauses=clauses,
    )


def _record_errors(lib: Library, src: SourceFile, known: Mapping[str, str]) -> list[Diagnostic]:
    d = src.data
    out: list[Diagnostic] = []
    deal = d["deal"]
    if not d.get("archived") and deal not in known:
        hint = did_you_mean(deal, list(known))
        out.append(
            src.diag(
                ("deal",),
                "unknown-deal",
                f"unknown deal '{deal}'{hint}: no profile in deals/ has this id; "
                "set archived: true for a deal signed without one",
            )
        )
    out.extend(_date_errors(src))
    live = d.get("go_live")
    for cid, c in d["clauses"].items():
        ptr: Pointer = ("clauses", cid)
        clause = lib.clauses.get(cid)
        if clause is None:
            hint = did_you_mean(cid, list(lib.clauses))
            out.append(src.diag(ptr, "unknown-clause", f"unknown clause '{cid}'{hint}", key=True))
            continue
        out.extend(_clause_errors(src, ptr, clause, c, live is not None))
    return out


EARLIEST = dt.date(1980, 1, 1)  # no BPO agreement in a library was signed before this


def _date_errors(src: SourceFile) -> list[Diagnostic]:
    """Dates that cannot be true: in the future (a record describes what happened; only
    SAMPLE DATA may imagine a signature to come), out of order, or implausibly early."""
    d = src.data
    out: list[Diagnostic] = []
    today = dt.date.today()
    dates = {k: _date(d[k]) for k in ("signed", "go_live", "reviewed") if d.get(k) is not None}
    for key, when in dates.items():
        if when > today and not d.get("sample"):
            out.append(
                src.diag(
                    (key,),
                    "outcome-dates",
                    f"{key} {when} is in the future: an outcome record says what happened",
                )
            )
        if when < EARLIEST:
            out.append(src.diag((key,), "outcome-dates", f"{key} {when} is before {EARLIEST}"))
    signed, live, reviewed = (dates.get(k) for k in ("signed", "go_live", "reviewed"))
    if live is not None and signed is not None and live < signed:
        out.append(
            src.diag(("go_live",), "outcome-dates", f"go_live {live} is before signed {signed}")
        )
    if reviewed is not None and live is None:
        out.append(
            src.diag(("reviewed",), "outcome-dates", "reviewed, but the record has no go_live date")
        )
    if reviewed is not None and live is not None and reviewed < live:
        out.append(
            src.diag(
                ("reviewed",), "outcome-dates", f"reviewed {reviewed} is before go_live {live}"
            )
        )
    return out


def _clause_errors(
    src: SourceFile, ptr: Pointer, c: Clause, rec: Mapping[str, Any], live: bool
) -> list[Diagnostic]:

    out: list[Diagnostic] = []
    for key in ("opened", "variant"):
        vid = rec.get(key)
        if vid is not None and c.variant(vid) is None:
            ids = ", ".join(v.id for v in c.variants)
            out.append(
                src.diag(
                    ptr + (key,),
                    "unknown-variant",
                    f"clause '{c.id}' has no variant '{vid}' (variants: {ids})",
                )
            )
    first = rec["accepted_first_time"]
    if first and rec.get("opened") not in (None, rec["variant"]):
        out.append(
            src.diag(
                ptr + ("opened",),
                "outcome-consistency",
                "accepted first time, yet the variant signed differs from the one opened",
            )
        )
    if first and rec.get("rounds", 0) > 0:
        out.append(
            src.diag(
                ptr + ("rounds",),
                "outcome-consistency",
                "accepted first time, so there were no rounds of mark-ups: rounds must be 0",
            )
        )
    if not first and "opened" not in rec:
        out.append(
            src.diag(
                ptr,
                "outcome-consistency",
                f"'{c.id}' was not accepted first time: say which variant was opened (opened:)",
            )
        )
    after = [k for k in ("disputes", "credits_paid_percent", "renegotiated") if k in rec]
    if after and not live:
        out.append(
            src.diag(
                ptr + (after[0],),
                "outcome-dates",
                f"{after[0]} is a post-go-live figure, but the record has no go_live date",
            )
        )
    for name, value in (rec.get("parameters") or {}).items():
        p = parameter_of(c, name)
        if p is None:
            out.append(
                src.diag(
                    ptr + ("parameters", name),
                    "unknown-parameter",
                    f"clause '{c.id}' has no parameter '{name}'",
                    key=True,
                )
            )
            continue
        for msg, sub in value_problems(p, value, f"{c.id}.{name}"):
            out.append(src.diag(ptr + ("parameters", name) + sub, "parameter-value", msg))
    return out


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(str(text))
