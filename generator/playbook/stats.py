"""Playbook statistics from outcome records: how each variant fares, and what the CoE should change.

Per clause and variant: how often the first draft offered it, how often the counterparty accepted
it unchanged, how long agreement took, and after go-live how many disputes and credits it led
to. Recommendations compare the preferred position with its fallbacks; below a minimum number
of deals they say "not enough data" rather than guess.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..model import Library, Position, Positions
from ..pipeline.positions import place_values
from .outcomes import ClauseOutcome, OutcomeRecord

DEFAULT_MIN_DEALS = 5
# A fallback is worth promoting when it is accepted first time this much more often (0.2 = 20 points).
PROMOTE_MARGIN = 0.2
# A preferred variant with at least this many disputes per live deal is worth demoting.
DISPUTE_RATE = 0.5
# The preferred position is "rarely held" when fewer than this share of signed deals keep it.
HELD_SHARE = 0.3


@dataclass(frozen=True)
class VariantStats:
    clause: str
    variant: str
    step: str  # first step of the position that accepts the variant; "-" without a position
    offered: int  # first drafts that proposed it
    accepted: int  # of those, accepted unchanged
    signed: int
    median_days: float | None  # to agree, over the drafts that proposed it
    median_rounds: float | None
    live: int  # signed deals with post-go-live figures
    disputes: int
    credits_mean: (
        float | None
    )  # mean credits paid, % of the Charges, over live deals that report it
    renegotiated: int

    @property
    def acceptance(self) -> float | None:
        return self.accepted / self.offered if self.offered else None

    @property
    def disputes_per_deal(self) -> float | None:
        return self.disputes / self.live if self.live else None


@dataclass(frozen=True)
class Landing:
    """Where the signed deals of one clause sit on its ladder."""

    clause: str
    counts: tuple[tuple[str, int], ...]  # (step key or "past walk-away", deals), ladder order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class Recommendation:
    clause: str
    kind: str  # promote | demote | review | keep | not enough data
    variant: str | None
    text: str


@dataclass(frozen=True)
class Stats:
    records: int
    sample_records: int
    min_deals: int
    variants: tuple[VariantStats, ...]
    landings: tuple[Landing, ...]
    recommendations: tuple[Recommendation, ...]

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        for v, row in zip(self.variants, out["variants"], strict=True):
            row["acceptance"] = v.acceptance
            row["disputes_per_deal"] = v.disputes_per_deal
        return out


def compute(
    lib: Library,
    positions: Positions,
    records: Sequence[OutcomeRecord],
    min_deals: int = DEFAULT_MIN_DEALS,
) -> Stats:
    rows: dict[str, list[ClauseOutcome]] = {}
    for r in records:
        for c in r.clauses:
            rows.setdefault(c.clause, []).append(c)
    order = _clause_order(lib, positions, rows)
    variants: list[VariantStats] = []
    landings: list[Landing] = []
    recs: list[Recommendation] = []
    for cid in order:
        outcomes = rows.get(cid, [])
        position = positions.positions.get(cid)
        mine = [
            _variant_stats(cid, v, outcomes, position) for v in _variant_order(lib, cid, outcomes)
        ]
        variants.extend(mine)
        if position is not None:
            if outcomes:
                landings.append(_landing(position, outcomes))
            recs.extend(_recommend(position, mine, landings[-1] if outcomes else None, min_deals))
    sample = sum(1 for r in records if r.sample)
    return Stats(len(records), sample, min_deals, tuple(variants), tuple(landings), tuple(recs))


def _clause_order(
    lib: Library, positions: Positions, rows: dict[str, list[ClauseOutcome]]
) -> list[str]:
    """Playbook order: positioned clauses as the playbook lists them, then the rest by id."""
    first = list(positions.positions)
    return first + sorted(c for c in rows if c not in positions.positions and c in lib.clauses)


def _variant_order(lib: Library, cid: str, outcomes: Iterable[ClauseOutcome]) -> list[str]:
    used = {o.opened for o in outcomes} | {o.variant for o in outcomes}
    c = lib.clauses[cid]
    return [v.id for v in c.variants if v.id in used]


def _variant_stats(
    cid: str, vid: str, outcomes: Sequence[ClauseOutcome], position: Position | None
) -> VariantStats:
    offered = [o for o in outcomes if o.opened == vid]
    signed = [o for o in outcomes if o.variant == vid]
    live = [o for o in signed if o.disputes is not None]
    credits = [o.credits_paid_percent for o in signed if o.credits_paid_percent is not None]
    step = "-"
    if position is not None:
        first = position.first_step_of(vid)
        step = first.key if first is not None else "past walk-away"
    return VariantStats(
        clause=cid,
        variant=vid,
        step=step,
        offered=len(offered),
        accepted=sum(1 for o in offered if o.accepted_first_time),
        signed=len(signed),
        median_days=_median(o.days_to_agree for o in offered),
        median_rounds=_median(o.rounds for o in offered),
        live=len(live),
        disputes=sum(o.disputes or 0 for o in live),
        credits_mean=round(statistics.fmean(credits), 2) if credits else None,
        renegotiated=sum(1 for o in signed if o.renegotiated),
    )


def _median(values: Iterable[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(statistics.median(known)) if known else None


def _landing(position: Position, outcomes: Sequence[ClauseOutcome]) -> Landing:
    counts = {s.key: 0 for s in position.steps}
    past = 0
    for o in outcomes:
        step = place_values(position, o.variant, dict(o.parameters))
        if step is None:
            past += 1
        else:
            counts[step.key] += 1
    pairs = list(counts.items()) + ([("past walk-away", past)] if past else [])
    return Landing(position.clause, tuple(pairs))


# ---- recommendations -------------------------------------------------------------------------


def pct(n: int, d: int) -> str:
    return f"{n} of {d} ({round(100 * n / d)}%)" if d else "none"


def rate(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")


def _recommend(
    position: Position,
    rows: Sequence[VariantStats],
    landing: Landing | None,
    min_deals: int,
) -> list[Recommendation]:
    cid = position.clause
    if not rows:
        return [Recommendation(cid, "not enough data", None, "No outcome records yet.")]
    preferred = [r for r in rows if r.step == "preferred"]
    fallbacks = [r for r in rows if r.step not in ("preferred", "-", "past walk-away")]
    p_names = " or ".join(r.variant for r in preferred) or "preferred"
    p_off = sum(r.offered for r in preferred)
    p_acc = sum(r.accepted for r in preferred)
    p_live = sum(r.live for r in preferred)
    p_disp = sum(r.disputes for r in preferred)
    p_days = _median_of(preferred)
    out: list[Recommendation] = []
    for f in fallbacks:
        if f.offered < min_deals or p_off < min_deals or f.acceptance is None or not p_off:
            continue
        p_rate = p_acc / p_off
        f_dpd, p_dpd = f.disputes_per_deal, (p_disp / p_live if p_live else None)
        calmer = f_dpd is None or p_dpd is None or f_dpd <= p_dpd + 0.1
        if f.acceptance - p_rate >= PROMOTE_MARGIN and calmer:
            days = (
                f"; median {rate(f.median_days)} days to agree against {rate(p_days)}"
                if f.median_days is not None and p_days is not None
                else ""
            )
            disputes = (
                f"; disputes per live deal {rate(f_dpd)} against {rate(p_dpd)}"
                if f_dpd is not None and p_dpd is not None
                else ""
            )
            out.append(
                Recommendation(
                    cid,
                    "promote",
                    f.variant,
                    f"Promote {f.variant} ({f.step}) to preferred: accepted first time in "
                    f"{pct(f.accepted, f.offered)} of the drafts that opened with it, against "
                    f"{pct(p_acc, p_off)} for {p_names}{days}{disputes}.",
                )
            )
    if p_live >= min_deals and p_disp / p_live >= DISPUTE_RATE:
        calm = [f for f in fallbacks if f.live >= min_deals and f.disputes_per_deal is not None]
        best = min(calm, key=lambda f: (f.disputes_per_deal or 0.0, f.variant), default=None)
        if best is None or (best.disputes_per_deal or 0.0) * 2 <= p_disp / p_live:
            versus = (
                f", against {rate(best.disputes_per_deal)} for {best.variant} "
                f"({best.disputes} in {best.live} deals)"
                if best is not None
                else ""
            )
            out.append(
                Recommendation(
                    cid,
                    "demote",
                    preferred[0].variant if len(preferred) == 1 else None,
                    f"Demote {p_names}: disputes per live deal {rate(p_disp / p_live)} "
                    f"({p_disp} in {p_live} deals){versus}. Review the disputed wording before "
                    "opening with it again.",
                )
            )
    if landing is not None and landing.total >= min_deals:
        held = dict(landing.counts).get("preferred", 0)
        if held / landing.total < HELD_SHARE:
            common = max(landing.counts, key=lambda kv: kv[1])
            out.append(
                Recommendation(
                    cid,
                    "review",
                    None,
                    f"The preferred position is rarely held: {pct(held, landing.total)} signed "
                    f"deals kept it; most signed at {common[0]} ({common[1]}). Consider opening "
                    "there, or give negotiators a stronger trade for the preferred position.",
                )
            )
    if out:
        return out
    if p_off < min_deals:
        return [
            Recommendation(
                cid,
                "not enough data",
                None,
                f"Not enough data: {p_off} draft(s) opened with the preferred position "
                f"(minimum {min_deals}).",
            )
        ]
    tried = [f for f in fallbacks if f.offered >= min_deals]
    versus = (
        "; " + "; ".join(f"{f.variant} ({f.step}) {pct(f.accepted, f.offered)}" for f in tried)
        if tried
        else "; no fallback has been opened with often enough to compare"
    )
    return [
        Recommendation(
            cid,
            "keep",
            None,
            f"Keep: {p_names} accepted first time in {pct(p_acc, p_off)} drafts{versus}.",
        )
    ]


def _median_of(rows: Sequence[VariantStats]) -> float | None:
    # Weighted by drafts offered: the median of medians is close enough for a recommendation's evidence.
    values = [r.median_days for r in rows for _ in range(r.offered) if r.median_days is not None]
    return float(statistics.median(values)) if values else None
