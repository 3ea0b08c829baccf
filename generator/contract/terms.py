"""The credit terms of one draft, read from its Selection: the very values the draft prints.

Nothing here is written per clause. Each variant declares its ``regime`` in the clause file (a
small fixed vocabulary, schemas/clause.schema.json); the numbers are the Selection's resolved
parameters. A variant whose regime is missing or not computable is reported with its file and
line, never computed by guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import ContentError, Diagnostic
from ..model import Clause, Library, Selected, Selection

TRIGGERS = (
    "repeat-in-window",
    "repeat-consecutive",
    "total-in-window",
    "concurrent",
    "at-risk-reached",
)


def dec(value: Any) -> Decimal:
    """A YAML number as an exact Decimal (through str, so 0.1 stays 0.1)."""
    return Decimal(str(value))


def slug(metric: str) -> str:
    """'Average speed of answer' -> 'average-speed-of-answer': how a performance file names it."""
    return re.sub(r"[^a-z0-9]+", "-", metric.lower()).strip("-")


def cite(s: Selected) -> str:
    """'Clause 5.4' or 'Schedule 3', as the draft's cross-references print it."""
    return f"Schedule {s.number}" if s.clause.kind == "schedule" else f"Clause {s.number}"


@dataclass(frozen=True)
class ServiceLevel:
    id: str
    metric: str
    direction: str  # "at least" | "no more than"
    target: Decimal
    unit: str
    critical: bool
    allocation: Decimal  # percent of the At-Risk Amount, after the pool scaling the schedule states
    printed_allocation: Decimal


@dataclass(frozen=True)
class Tier:
    failures: int
    factor: Decimal  # percent


@dataclass(frozen=True)
class Band:
    """A row of the banded regime: from more than ``over`` per cent of the target, up to the next
    row's ``over``; the last row is open-ended."""

    over: Decimal  # Performance Shortfall, percent of the Expected Service Level
    credit: Decimal  # percent of the Charges for the Measurement Period


# The credit regimes the calculator computes (schemas/clause.schema.json, $defs/regime).
TIERS, BANDED = "at-risk-allocation-tiers", "banded-performance"


@dataclass(frozen=True)
class EarnBackTerms:
    clause: str
    periods: int
    percent: Decimal
    margin: Decimal
    max_repeat_failures: int
    bars: frozenset[str]
    method: str  # consecutive-periods | average-periods
    annual_sweep: bool


@dataclass(frozen=True)
class CsfTerms:
    clause: str
    triggers: tuple[str, ...]
    in_stabilisation: frozenset[str]
    exercise: str
    consecutive_failures: int
    repeat_failures: int
    repeat_window: int
    total_failures: int
    total_window: int
    concurrent_failures: int
    cap_periods: int
    exercise_days: int
    cure_days: int
    minimum_notice_days: int


@dataclass(frozen=True)
class CreditTerms:
    deal: str
    currency: str
    effective: dt.date
    term_months: int
    clause: str  # the Service Credits clause
    schedule: str
    levels_clause: str
    liability_clause: str | None
    at_risk_percent: Decimal
    at_risk_base: str
    reference_months: int
    tiers: tuple[Tier, ...]
    tier_window: int
    pool_percent: Decimal
    excluded: frozenset[str]
    key_levels_promoted: bool
    ksl_repeat_periods: int
    ksl_allocation: Decimal
    annual_cap_percent: Decimal | None
    inside_liability_cap: bool
    sole_remedy: bool
    stabilisation_months: int
    stabilisation: str  # none | no-credits | no-credits-no-csf
    stabilisation_ends_early: bool
    recovery_periods: int
    levels: tuple[ServiceLevel, ...]
    earn_back: EarnBackTerms | None
    csf: CsfTerms | None
    not_computed: tuple[str, ...]  # what the calculator leaves out, said in every statement
    method: str = TIERS  # TIERS | BANDED
    bands: tuple[Band, ...] = ()  # BANDED only, ascending

    def level(self, key: str) -> ServiceLevel | None:
        wanted = slug(key)
        return next((lv for lv in self.levels if lv.id == wanted), None)


def regime(s: Selected) -> dict[str, Any] | None:
    """The variant's declared regime, from the clause file itself (where the text is)."""
    variants = s.clause.source.data.get("variants") or []
    raw = variants[s.variant.index] if s.variant.index < len(variants) else {}
    found = raw.get("regime") if isinstance(raw, dict) else None
    return found if isinstance(found, dict) else None


# The clauses the calculator reads, and the regime key each of their variants must declare.
REQUIRED = {
    "service-credits": ("credits", "credit"),
    "earn-back": ("earn_back", "earn-back"),
    "service-levels": ("stabilisation", "stabilisation"),
    "critical-service-failure": ("triggers", "critical-service-failure"),
}


def regime_problems(lib: Library) -> list[Diagnostic]:
    """For `validate`: in a clause the calculator reads whose variants declare regimes, a
    variant that declares none (an unknown regime word is already a schema error). A library
    that declares no regime for a clause is not using the calculator for it; `credits` then
    refuses a deal that selects it, with the variant's line."""
    out = []
    for cid, (key, what) in REQUIRED.items():
        clause = lib.clauses.get(cid)
        if clause is None:
            continue
        declared = [(raw.get("regime") or {}) for raw in clause.source.data["variants"]]
        if not any(key in r for r in declared):
            continue
        if cid == "service-credits":
            out += _library_bands(clause)
        for v in clause.variants:
            if key not in declared[v.index]:
                out.append(
                    clause.source.diag(
                        ("variants", v.index, "id"),
                        "no-regime",
                        f"variant '{v.id}' of {cid} declares no {what} regime for `clausebook "
                        f"credits` (add `regime: {{{key}: ...}}`, docs/contract-data.md)",
                    )
                )
    return out


def _library_bands(clause: Clause) -> list[Diagnostic]:
    """The clause default and each variant's own ``bands``, checked where they are written."""
    data = clause.source.data
    found: list[tuple[tuple[str | int, ...], Any]] = []
    default = ((data.get("parameters") or {}).get("bands") or {}).get("default")
    if isinstance(default, list):
        found.append((("parameters", "bands", "default"), default))
    for i, raw in enumerate(data.get("variants") or []):
        own = ((raw or {}).get("parameters") or {}).get("bands")
        if isinstance(own, list):
            found.append((("variants", i, "parameters", "bands"), own))
    return [
        clause.source.diag((*pointer, i), "bad-bands", f"bands: {m}")
        for pointer, rows in found
        for i, m in bands_problems(rows)
    ]


def _missing(s: Selected, what: str) -> Diagnostic:
    return s.clause.source.diag(
        ("variants", s.variant.index, "id"),
        "no-regime",
        f"variant '{s.variant.id}' of {s.clause.id} declares no {what} regime the calculator "
        "computes (add `regime:` to the variant, docs/contract-data.md)",
    )


def read_terms(sel: Selection) -> CreditTerms:
    """The credit terms of ``sel``; every problem at once as a ContentError."""
    chosen = {s.clause.id: s for s in sel.all()}
    deal_path = sel.deal.source.path
    needed = ("service-credits", "sla-schedule", "service-levels")
    absent = [c for c in needed if c not in chosen]
    if absent:
        raise ContentError(
            [
                Diagnostic(
                    deal_path, 1, 1, "no-credits", f"the draft has no {', '.join(absent)} clause"
                )
            ]
        )
    sc, sched, sl = chosen["service-credits"], chosen["sla-schedule"], chosen["service-levels"]
    diags: list[Diagnostic] = []
    sc_regime, sl_regime = regime(sc) or {}, regime(sl) or {}
    method = str(sc_regime.get("credits"))
    if method not in (TIERS, BANDED):
        diags.append(_missing(sc, "credit"))
    bands = _bands(sel, sc, diags) if method == BANDED else ()
    if "stabilisation" not in sl_regime:
        diags.append(_missing(sl, "stabilisation"))
    earn_back = _earn_back(chosen.get("earn-back"), diags)
    csf = _csf(chosen.get("critical-service-failure"), diags)
    if diags:
        raise ContentError(diags)
    p, lp = sc.params, sl.params
    pool = dec(p["allocation_pool_percent"])
    levels = _levels(sched.params["service_levels"], sel.deal.data["services"], pool)
    if method == BANDED:
        _zero_targets(sched, levels)
    liability = chosen.get("limitation-of-liability")
    not_computed = []
    if "pooled-credits" in chosen:
        pc = chosen["pooled-credits"]
        not_computed.append(
            f"pooled credits for End-to-End Service Levels ({cite(pc)}): they depend on the joint "
            "root-cause allocation between providers"
        )
    if "performance-bonus" in chosen:
        not_computed.append(f"Performance Bonus ({cite(chosen['performance-bonus'])})")
    return CreditTerms(
        deal=sel.deal.id,
        currency=str(sel.deal.data["pricing"]["currency"]),
        effective=_date(sel.deal.data["effective_date"]),
        term_months=int(sel.deal.data["term_months"]),
        clause=cite(sc),
        schedule=cite(sched),
        levels_clause=cite(sl),
        liability_clause=cite(liability) if liability else None,
        at_risk_percent=dec(p["at_risk_percent"]),
        at_risk_base=str(sc_regime.get("at_risk_base", "period-charges")),
        reference_months=int(p["reference_months"]),
        tiers=tuple(
            sorted(
                (
                    Tier(int(t["failure_count"]), dec(t["credit_factor_percent"]))
                    for t in p["tiers"]
                ),
                key=lambda t: t.failures,
            )
        ),
        tier_window=int(p["tier_window_months"]),
        pool_percent=pool,
        excluded=frozenset(sc_regime.get("excluded", ())),
        key_levels_promoted=sc_regime.get("key_levels") == "promoted-after-consecutive-misses",
        ksl_repeat_periods=int(p["ksl_repeat_periods"]),
        ksl_allocation=dec(p["ksl_allocation_percent"]),
        annual_cap_percent=dec(p["annual_cap_percent"]) if p["annual_cap_applies"] else None,
        inside_liability_cap=bool(p["credits_inside_cap"]),
        sole_remedy=bool(p["sole_remedy"]),
        stabilisation_months=int(lp["stabilisation_months"]),
        stabilisation=str(sl_regime["stabilisation"]),
        stabilisation_ends_early=bool(sl_regime.get("stabilisation_ends_early", False)),
        recovery_periods=int(lp["recovery_periods"]),
        levels=levels,
        earn_back=earn_back,
        csf=csf,
        not_computed=tuple(not_computed),
        method=method,
        bands=bands,
    )


def bands_problems(rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Why a ``bands`` list cannot be read as a table of ranges: the first row starts over 0%,
    each later row starts above the one before, and a larger shortfall never costs less."""
    out = []
    if rows and dec(rows[0]["over_percent"]) != 0:
        out.append(
            (
                0,
                f"the first band must start at over_percent 0, not {rows[0]['over_percent']}: "
                "every Performance Shortfall needs a band",
            )
        )
    for i in range(1, len(rows)):
        before, row = rows[i - 1], rows[i]
        if dec(row["over_percent"]) <= dec(before["over_percent"]):
            out.append(
                (
                    i,
                    f"band {i + 1} (over_percent {row['over_percent']}) must start above band "
                    f"{i} (over_percent {before['over_percent']}): bands ascend",
                )
            )
        if dec(row["credit_percent"]) < dec(before["credit_percent"]):
            out.append(
                (
                    i,
                    f"band {i + 1} credits {row['credit_percent']}%, less than band {i} "
                    f"({before['credit_percent']}%): a larger shortfall must not cost less",
                )
            )
    return out


def _at(where: str, rule: str, message: str) -> Diagnostic:
    """A Diagnostic at a Value's 'path:line'."""
    path, _, line = where.rpartition(":")
    return Diagnostic(path, int(line) if line.isdigit() else 1, 1, rule, message)


def _bands(sel: Selection, s: Selected, diags: list[Diagnostic]) -> tuple[Band, ...]:
    value = next((v for v in s.values if v.name == "bands"), None)
    if value is None:
        diags.append(_missing(s, "banded credit (no `bands` parameter)"))
        return ()
    rows = list(value.value)
    for i, m in bands_problems(rows):
        text = f"bands ({value.source}): {m}"
        # At the offending row where the value's file is known; else at the value's line.
        pointer: tuple[str | int, ...]
        if value.source == "deal override":
            pointer = ("overrides", "service-credits", "bands", i)
            diags.append(sel.deal.source.diag(pointer, "bad-bands", text))
        elif value.source == "variant default":
            pointer = ("variants", s.variant.index, "parameters", "bands", i)
            diags.append(s.clause.source.diag(pointer, "bad-bands", text))
        elif value.source == "clause default":
            pointer = ("parameters", "bands", "default", i)
            diags.append(s.clause.source.diag(pointer, "bad-bands", text))
        else:
            diags.append(_at(value.where, "bad-bands", text))
    return tuple(Band(dec(r["over_percent"]), dec(r["credit_percent"])) for r in rows)


def _zero_targets(sched: Selected, levels: tuple[ServiceLevel, ...]) -> None:
    """A shortfall is a share of the target, so a Critical level with a zero target has none."""
    value = next(v for v in sched.values if v.name == "service_levels")
    bad = [lv.metric for lv in levels if lv.critical and lv.target == 0]
    if bad:
        raise ContentError(
            [
                _at(
                    value.where,
                    "bad-bands",
                    f"{', '.join(bad)}: a target of 0 gives no Performance Shortfall for the banded Service Credits",
                )
            ]
        )


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _levels(
    rows: list[dict[str, Any]], services: list[str], pool: Decimal
) -> tuple[ServiceLevel, ...]:
    """The schedule's rows for the deal's services, as the schedule's template selects them."""
    chosen = [
        r
        for r in rows
        if r["applies_to"] == "all" or any(s in r["applies_to"].split(" ") for s in services)
    ]
    total = sum(
        (dec(r["allocation_percent"]) for r in chosen if r["category"] == "Critical"), Decimal(0)
    )
    # The schedule: over the pool, "each Allocation Percentage is reduced in proportion".
    scale = pool / total if total > pool else Decimal(1)
    return tuple(
        ServiceLevel(
            id=slug(r["metric"]),
            metric=r["metric"],
            direction=r["direction"],
            target=dec(r["target"]),
            unit=r["unit"],
            critical=r["category"] == "Critical",
            allocation=dec(r["allocation_percent"]) * scale
            if r["category"] == "Critical"
            else Decimal(0),
            printed_allocation=dec(r["allocation_percent"]),
        )
        for r in chosen
    )


def _earn_back(s: Selected | None, diags: list[Diagnostic]) -> EarnBackTerms | None:
    if s is None:
        return None
    r = regime(s) or {}
    if r.get("earn_back") not in ("consecutive-periods", "average-periods"):
        diags.append(_missing(s, "earn-back"))
        return None
    p = s.params
    return EarnBackTerms(
        clause=cite(s),
        periods=int(p["earn_back_periods"]),
        percent=dec(p["earn_back_percent"]),
        margin=dec(p["margin_points"]),
        max_repeat_failures=int(p["max_repeat_failures"]),
        bars=frozenset(r.get("earn_back_bars", ())),
        method=str(r["earn_back"]),
        annual_sweep=bool(r.get("annual_sweep", False)),
    )


def _csf(s: Selected | None, diags: list[Diagnostic]) -> CsfTerms | None:
    if s is None:
        return None
    r = regime(s) or {}
    if not r.get("triggers") or "exercise" not in r:
        diags.append(_missing(s, "critical-service-failure"))
        return None
    p = s.params
    return CsfTerms(
        clause=cite(s),
        triggers=tuple(t for t in TRIGGERS if t in r["triggers"]),
        in_stabilisation=frozenset(r.get("triggers_in_stabilisation", ())),
        exercise=str(r["exercise"]),
        consecutive_failures=int(p["consecutive_failures"]),
        repeat_failures=int(p["repeat_failures"]),
        repeat_window=int(p["repeat_window_months"]),
        total_failures=int(p["total_failures"]),
        total_window=int(p["total_window_months"]),
        concurrent_failures=int(p["concurrent_failures"]),
        cap_periods=int(p["cap_periods"]),
        exercise_days=int(p["exercise_days"]),
        cure_days=int(p["cure_days"]),
        minimum_notice_days=int(p["minimum_notice_days"]),
    )
