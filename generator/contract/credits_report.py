"""A credit Statement as JSON, Markdown or a terminal table; amounts as exact decimal strings."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .concessions import Concession
from .credits import Statement


def _amount(x: Decimal | None) -> str | None:
    return None if x is None else f"{x:.2f}"


def as_data(st: Statement) -> dict[str, Any]:
    t = st.terms
    return {
        "deal": t.deal,
        "currency": t.currency,
        "service_credits_clause": t.clause,
        "months": [
            {
                "month": m.label,
                "measurement_period": m.month,
                "contract_year": m.contract_year,
                "charges": _amount(m.charges),
                "at_risk_amount": _amount(m.at_risk),
                "service_credits": _amount(m.credits),
                "earn_back": _amount(m.earn_back),
                "lines": [
                    {
                        "kind": ln.kind,
                        "service_level": ln.level,
                        "amount": _amount(ln.amount),
                        "clause": ln.clause,
                        "text": ln.text,
                    }
                    for ln in m.lines
                ],
            }
            for m in st.months
        ],
        "critical_service_failures": [
            {"month": m.label, "trigger": tr.kind, "service_level": tr.level, "clause": tr.clause}
            for tr in st.triggers
            for m in st.months
            if m.month == tr.month
        ],
        "total_service_credits": _amount(st.total_credits),
        "total_earn_back": _amount(st.total_earn_back),
        "net": _amount(st.total_credits - st.total_earn_back),
        "notes": list(st.notes),
    }


def as_json(st: Statement) -> str:
    return json.dumps(as_data(st), indent=2, ensure_ascii=False) + "\n"


def _rows(st: Statement) -> list[list[str]]:
    rows = []
    for m in st.months:
        for ln in m.lines:
            amount = "" if ln.amount is None else f"{ln.amount:,.2f}"
            rows.append([m.label, ln.kind, ln.text, amount, ln.clause])
        if m.credits or m.earn_back:
            rows.append(
                [
                    m.label,
                    "total",
                    f"Service Credits {m.credits:,.2f}, Earn-Back {m.earn_back:,.2f}",
                    f"{m.credits - m.earn_back:,.2f}",
                    st.terms.clause,
                ]
            )
    return rows


HEADER = ("Month", "Kind", "What", "Amount", "Clause")


def as_markdown(st: Statement) -> str:
    from ..writers.markdown import table

    t = st.terms
    out = [
        f"# Service Credits — {t.deal}",
        "",
        f"Amounts in {t.currency}; each line cites the clause of the draft that says so.",
        "",
        *table(HEADER, _rows(st)),
        "",
        f"Total Service Credits {st.total_credits:,.2f}; Earn-Back {st.total_earn_back:,.2f}; net {st.total_credits - st.total_earn_back:,.2f}.",
        "",
        *(f"- {n}" for n in st.notes),
    ]
    return "\n".join(out) + "\n"


def print_table(st: Statement, width: int | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    t = st.terms
    table = Table(title=f"Service Credits — {t.deal} ({t.currency})")
    for col in HEADER:
        table.add_column(col, overflow="fold", justify="right" if col == "Amount" else "left")
    for row in _rows(st):
        table.add_row(*row)
    con = Console(width=width or 160)
    con.print(table)
    con.print(
        f"Total Service Credits {st.total_credits:,.2f}; Earn-Back {st.total_earn_back:,.2f}; "
        f"net {st.total_credits - st.total_earn_back:,.2f}"
    )
    for n in st.notes:
        con.print(f"• {n}")


CONCESSION_HEADER = ("Clause", "Step", "Label", "As applied", "Credits", "Cost against preferred")


def concession_rows(rows: list[Concession]) -> list[list[str]]:
    def amount(x: Decimal | None) -> str:
        return "" if x is None else f"{x:,.2f}"

    return [
        [
            c.clause,
            c.step,
            c.label,
            c.applied + (f" ({c.note})" if c.note else ""),
            amount(c.credits),
            amount(c.cost),
        ]
        for c in rows
    ]


def concessions_text(rows: list[Concession], draft: Decimal, currency: str, fmt: str) -> str:
    """What each concession costs, as JSON or Markdown (the table format prints with rich)."""
    if fmt == "json":
        data = {
            "currency": currency,
            "draft_credits": _amount(draft),
            "steps": [
                {
                    "clause": c.clause,
                    "step": c.step,
                    "label": c.label,
                    "applied": c.applied,
                    "credits": _amount(c.credits),
                    "cost_against_preferred": _amount(c.cost),
                    "note": c.note,
                }
                for c in rows
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    from ..writers.markdown import table

    lines = [
        "# What each concession costs",
        "",
        f"Service Credits net of Earn-Back, in {currency}, on the performance given; the draft as it stands: {draft:,.2f}.",
        "",
        *table(CONCESSION_HEADER, concession_rows(rows)),
    ]
    return "\n".join(lines) + "\n"
