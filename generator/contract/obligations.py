"""The obligations and key-dates register of a draft, from the obligations each clause file
declares next to its text (``obligations:``, schemas/clause.schema.json).

Periods come from the Selection's resolved parameters, so the register shows the number the
draft prints. Dates are computed from the deal's Effective Date and Term: a Business Day is
Monday to Friday (public holidays are not known to the library), and the Service Commencement
Date is taken to be the Effective Date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import ContentError, Diagnostic
from ..model import Selected, Selection
from .terms import cite


@dataclass(frozen=True)
class Obligation:
    id: str
    clause: str  # "Clause 5.3"
    clause_id: str
    party: str
    what: str
    when: str  # in words: "5 business days after the end of each month"
    dates: tuple[dt.date, ...]  # every due date in the Term (empty for an event-driven one)
    recurrence: str | None  # "monthly" | "quarterly" | "yearly" | "every 3 months"
    measure: str
    consequence: str
    parameter: str | None  # "measurement-reporting.report_business_days = 5"
    source: str  # file:line of the declaration


@dataclass(frozen=True)
class Register:
    deal: str
    title: str
    effective: dt.date
    end: dt.date  # the last day of the Term
    obligations: tuple[Obligation, ...]


def add_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def add_business_days(d: dt.date, n: int) -> dt.date:
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        d += dt.timedelta(days=step)
        if d.weekday() < 5:
            left -= 1
    return d


def shift(d: dt.date, amount: int, unit: str, before: bool) -> dt.date:
    sign = -1 if before else 1
    if unit == "months":
        return add_months(d, sign * amount)
    if unit == "business days":
        return add_business_days(d, sign * amount)
    return d + dt.timedelta(days=sign * amount)


def _anchors(kind: str, effective: dt.date, end: dt.date, every: int = 0) -> list[dt.date]:
    """The dates a period runs from, inside the Term."""
    if kind == "effective-date":
        if not every:
            return [effective]
        return [d for k in range(1, 1000) if (d := add_months(effective, k * every)) <= end]
    if kind == "term-end":
        return [end]
    step = {"each-month-end": 1, "each-quarter-end": 3, "each-contract-year-start": 12}[kind]
    if kind == "each-contract-year-start":
        return [d for k in range(0, 100) if (d := add_months(effective, 12 * k)) <= end]
    # Period ends counted from the Effective Date: the first Measurement Period ends a month on.
    out = []
    for k in range(1, 1000):
        d = add_months(effective, k * step) - dt.timedelta(days=1)
        if d > end:
            break
        out.append(d)
    return out


RECURRENCE = {
    "each-month-end": "monthly",
    "each-quarter-end": "quarterly",
    "each-contract-year-start": "yearly",
}
ANCHOR_WORDS = {
    "effective-date": "the Effective Date",
    "term-end": "the end of the Term",
    "each-month-end": "the end of each Measurement Period",
    "each-quarter-end": "the end of each quarter",
    "each-contract-year-start": "the start of each Contract Year",
}


def register(sel: Selection) -> Register:
    deal = sel.deal.data
    effective = deal["effective_date"]
    effective = (
        effective if isinstance(effective, dt.date) else dt.date.fromisoformat(str(effective))
    )
    end = add_months(effective, int(deal["term_months"])) - dt.timedelta(days=1)
    out: list[Obligation] = []
    diags: list[Diagnostic] = []
    for s in sel.all():
        declared = s.clause.source.data.get("obligations") or []
        for i, raw in enumerate(declared):
            if raw.get("variants") and s.variant.id not in raw["variants"]:
                continue
            ob = _obligation(s, i, raw, effective, end, diags)
            if ob is not None:
                out.append(ob)
    if diags:
        raise ContentError(diags)
    return Register(sel.deal.id, str(deal.get("title", "")), effective, end, tuple(out))


def _obligation(
    s: Selected,
    i: int,
    raw: dict[str, Any],
    effective: dt.date,
    end: dt.date,
    diags: list[Diagnostic],
) -> Obligation | None:
    src = s.clause.source
    when = raw["when"]
    name = when.get("parameter")
    params = s.params
    if name is not None and name not in params:
        diags.append(
            src.diag(
                ("obligations", i, "when", "parameter"),
                "obligation",
                f"obligation '{raw['id']}' names no parameter '{name}' of {s.clause.id}",
            )
        )
        return None
    amount = params[name] if name else None
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        diags.append(
            src.diag(
                ("obligations", i, "when", "parameter"),
                "obligation",
                f"parameter '{name}' is not a whole number of {when.get('unit', 'days')}",
            )
        )
        return None
    unit = str(when.get("unit", "days"))
    before = when.get("direction") == "before"
    kind = when["from"]
    period = f"{amount} {unit[:-1] if amount == 1 else unit}" if amount is not None else ""
    rel = "before" if before else "after"
    repeat = bool(when.get("repeat"))
    if kind == "event":
        words = (
            f"{period} {rel} {when.get('event', 'the event')}".strip()
            if period
            else f"on {when.get('event', 'the event')}"
        )
        dates: tuple[dt.date, ...] = ()
        recurrence = None
    elif repeat and unit == "months" and amount:
        dates = tuple(_anchors(kind, effective, end, every=amount))
        words = f"every {period} from {ANCHOR_WORDS[kind]}"
        recurrence = f"every {period}"
    else:
        anchors = _anchors(kind, effective, end)
        # A date before the Effective Date (targets "before the first Contract Year") is not
        # in the register: the Agreement sets those at signing.
        dates = tuple(
            d for d in (shift(a, amount or 0, unit, before) for a in anchors) if d >= effective
        )
        words = f"{period} {rel} {ANCHOR_WORDS[kind]}" if period else f"on {ANCHOR_WORDS[kind]}"
        recurrence = RECURRENCE.get(kind)
    return Obligation(
        id=raw["id"],
        clause=cite(s),
        clause_id=s.clause.id,
        party=raw["party"],
        what=raw["what"],
        when=words,
        dates=dates,
        recurrence=recurrence,
        measure=raw.get("measure", ""),
        consequence=raw.get("consequence", ""),
        parameter=f"{s.clause.id}.{name} = {amount}" if name else None,
        source=src.at(("obligations", i)),
    )
