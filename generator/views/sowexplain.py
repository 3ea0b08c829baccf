"""`explain` for Statements of Work: per SOW, each term it could state, the Agreement's value
and where it came from, the SOW's value, and which of the two applies to that SOW's document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Selection
from ..pipeline.sow import Sow, initial_term_end, read_sows, sla_rows

MSA, SOW = "MSA default", "SOW value"


@dataclass(frozen=True)
class Term:
    """One line of the trace: the Agreement's value against the SOW's."""

    sow: str
    term: str
    agreement: Any
    agreement_source: str
    value: Any  # None: the SOW does not state it
    value_at: str
    applied: str  # MSA | SOW


def _at(sel: Selection, *ptr: str | int) -> str:
    src = sel.deal.source
    return f"{src.path}:{src.where(ptr)[0]}"


def _one(sel: Selection, sow: Sow) -> list[Term]:
    data = sel.deal.data
    i = sow.number - 1
    deal_file = sel.deal.source.path
    out = [
        Term(
            sow.id,
            "services",
            list(data["services"]),
            f"deal ({_at(sel, 'services')})",
            list(sow.services),
            _at(sel, "sows", i, "services"),
            SOW,
        ),
        Term(
            sow.id,
            "locations",
            list(data["delivery"]["locations"]),
            f"deal ({_at(sel, 'delivery', 'locations')})",
            list(sow.locations) if sow.locations_stated else None,
            _at(sel, "sows", i, "locations") if sow.locations_stated else "",
            SOW if sow.locations_stated else MSA,
        ),
        Term(
            sow.id,
            "term",
            f"{data['effective_date']} to {initial_term_end(data).isoformat()}",
            f"Initial Term ({deal_file}: effective_date, term_months)",
            f"{sow.start.isoformat()} to {sow.end.isoformat()}",
            _at(sel, "sows", i, "start"),
            SOW,
        ),
    ]
    out.append(
        Term(
            sow.id,
            "charges",
            f"{data['pricing']['model']} pricing in {data['pricing']['currency']}, as the "
            "Pricing Schedule sets",
            f"deal ({_at(sel, 'pricing')})",
            [f"{c['item']}: {c['amount']:g} {c['basis']}" for c in sow.charges],
            _at(sel, "sows", i, "charges"),
            SOW,
        )
    )
    out += _targets(sel, sow)
    out += [
        Term(
            sow.id,
            f"{v.clause.clause.id}.{v.agreement.name} (Clause {v.clause.number})",
            v.agreement.value,
            f"{v.agreement.source} ({v.agreement.where})",
            v.value,
            v.where,
            SOW,
        )
        for v in sow.variations
    ]
    return out


def _targets(sel: Selection, sow: Sow) -> list[Term]:
    sched = next((s for s in sel.schedules if s.clause.id == "sla-schedule"), None)
    if sched is None:
        return []  # no Service Level Schedule: read_sows refused any target already
    value = next(v for v in sched.values if v.name == "service_levels")
    stated = {t.metric: t for t in sow.targets}
    out = []
    for metric, row in sla_rows(sel, sow.services).items():
        t = stated.get(metric)
        out.append(
            Term(
                sow.id,
                f"service level: {metric}",
                f"{row['direction']} {row['target']} {row['unit']}",
                f"sla-schedule, {value.source} ({value.where})",
                None if t is None else f"{t.direction} {t.target:g} {t.unit}",
                "" if t is None else t.where,
                MSA if t is None else SOW,
            )
        )
    return out


def sow_terms(sel: Selection) -> list[Term]:
    """Every SOW's trace, in the order of the deal's `sows:`; [] for a deal without SOWs."""
    if not sel.deal.data.get("sows"):
        return []
    return [t for sow in read_sows(sel) for t in _one(sel, sow)]


def sow_json(sel: Selection) -> list[dict[str, Any]]:
    return [
        {
            "sow": t.sow,
            "term": t.term,
            "agreement": {"value": t.agreement, "source": t.agreement_source},
            "sow_value": None if t.value is None else {"value": t.value, "at": t.value_at},
            "applied": t.applied,
        }
        for t in sow_terms(sel)
    ]


def print_sows(sel: Selection, console: Any, short: Any) -> None:
    from rich.table import Table

    terms = sow_terms(sel)
    for sid in dict.fromkeys(t.sow for t in terms):
        table = Table(title=f"Statement of Work '{sid}'", show_lines=True)
        for col in ("Term", "MSA default (source)", "SOW value (where)", "Applied"):
            table.add_column(col, overflow="fold")
        for t in (t for t in terms if t.sow == sid):
            mine = "—" if t.value is None else f"{short(t.value)} ({t.value_at})"
            table.add_row(t.term, f"{short(t.agreement)} — {t.agreement_source}", mine, t.applied)
        console.print(table)
