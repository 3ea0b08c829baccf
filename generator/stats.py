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

from .model import Library
from .outcomes import ClauseOutcome, OutcomeRecord
from .positions import Position, Positions, place_values

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


def _pct(n: int, d: int) -> str:
    return f"{n} of {d} ({round(100 * n / d)}%)" if d else "none"


def _rate(x: float | None) -> str:
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
                f"; median {_rate(f.median_days)} days to agree against {_rate(p_days)}"
                if f.median_days is not None and p_days is not None
                else ""
            )
            disputes = (
                f"; disputes per live deal {_rate(f_dpd)} against {_rate(p_dpd)}"
                if f_dpd is not None and p_dpd is not None
                else ""
            )
            out.append(
                Recommendation(
                    cid,
                    "promote",
                    f.variant,
                    f"Promote {f.variant} ({f.step}) to preferred: accepted first time in "
                    f"{_pct(f.accepted, f.offered)} of the drafts that opened with it, against "
                    f"{_pct(p_acc, p_off)} for {p_names}{days}{disputes}.",
                )
            )
    if p_live >= min_deals and p_disp / p_live >= DISPUTE_RATE:
        calm = [f for f in fallbacks if f.live >= min_deals and f.disputes_per_deal is not None]
        best = min(calm, key=lambda f: (f.disputes_per_deal or 0.0, f.variant), default=None)
        if best is None or (best.disputes_per_deal or 0.0) * 2 <= p_disp / p_live:
            versus = (
                f", against {_rate(best.disputes_per_deal)} for {best.variant} "
                f"({best.disputes} in {best.live} deals)"
                if best is not None
                else ""
            )
            out.append(
                Recommendation(
                    cid,
                    "demote",
                    preferred[0].variant if len(preferred) == 1 else None,
                    f"Demote {p_names}: disputes per live deal {_rate(p_disp / p_live)} "
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
                    f"The preferred position is rarely held: {_pct(held, landing.total)} signed "
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
        "; " + "; ".join(f"{f.variant} ({f.step}) {_pct(f.accepted, f.offered)}" for f in tried)
        if tried
        else "; no fallback has been opened with often enough to compare"
    )
    return [
        Recommendation(
            cid,
            "keep",
            None,
            f"Keep: {p_names} accepted first time in {_pct(p_acc, p_off)} drafts{versus}.",
        )
    ]


def _median_of(rows: Sequence[VariantStats]) -> float | None:
    # Weighted by drafts offered: the median of medians is close enough for a recommendation's evidence.
    values = [r.median_days for r in rows for _ in range(r.offered) if r.median_days is not None]
    return float(statistics.median(values)) if values else None


# ---- output --------------------------------------------------------------------------------

HEADERS = (
    "Clause",
    "Variant",
    "Step",
    "Offered",
    "Accepted 1st time",
    "Signed",
    "Median days",
    "Median rounds",
    "Disputes / live deal",
    "Credits paid (mean %)",
    "Renegotiated",
)


def table_rows(stats: Stats) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for v in stats.variants:
        out.append(
            (
                v.clause,
                v.variant,
                v.step,
                str(v.offered),
                _pct(v.accepted, v.offered) if v.offered else "-",
                str(v.signed),
                _rate(v.median_days),
                _rate(v.median_rounds),
                f"{_rate(v.disputes_per_deal)} ({v.disputes}/{v.live})" if v.live else "-",
                _rate(v.credits_mean),
                f"{v.renegotiated}/{v.signed}" if v.signed else "-",
            )
        )
    return out


def banner(stats: Stats) -> str:
    head = (
        f"{stats.records} outcome record(s); recommendations need at least {stats.min_deals} "
        "deals on each side of a comparison."
    )
    if stats.sample_records:
        head = (
            f"SAMPLE DATA: {stats.sample_records} of {stats.records} records are marked "
            "`sample: true` (made up to exercise the statistics), so the recommendations below "
            "are illustrations, not evidence. " + head
        )
    return head


def markdown(stats: Stats, title: str = "Playbook statistics") -> str:
    lines = [f"# {title}", "", banner(stats), "", "## Recommendations", ""]
    if not stats.recommendations:
        lines.append("None: no clause has a position and outcome records.")
    for r in stats.recommendations:
        lines.append(f"- **{r.clause}**: {r.text}")
    lines += ["", "## By clause and variant", ""]
    lines += _md_table(HEADERS, table_rows(stats))
    lines += [
        "",
        "*Offered*: first drafts that proposed the variant. *Accepted 1st time*: of those, "
        "accepted unchanged. *Median days* and *rounds*: from the first draft to agreed text. "
        "*Disputes / live deal*: formal disputes since go-live per signed deal that has gone "
        "live (disputes/deals). *Step*: the first step of the CoE position that accepts the "
        "variant.",
        "",
        "## Where signed deals landed on the ladder",
        "",
    ]
    steps = _landing_columns(stats.landings)
    lines += _md_table(
        ("Clause", *steps, "Signed"),
        [
            (ld.clause, *(str(dict(ld.counts).get(s, "-")) for s in steps), str(ld.total))
            for ld in stats.landings
        ],
    )
    return "\n".join(lines) + "\n"


def _landing_columns(landings: Sequence[Landing]) -> list[str]:
    seen: list[str] = []
    for ld in landings:
        for key, _ in ld.counts:
            if key not in seen:
                seen.append(key)
    ranked = ["preferred"] + sorted(
        (s for s in seen if s.startswith("fallback-")), key=lambda s: int(s.split("-")[1])
    )
    return [s for s in ranked + ["walk-away", "past walk-away"] if s in seen]


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return out


def print_table(stats: Stats) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(width=180)
    con.print(banner(stats))
    table = Table(title="Outcomes by clause and variant")
    for h in HEADERS:
        table.add_column(h, overflow="fold")
    for row in table_rows(stats):
        table.add_row(*row)
    con.print(table)
    land = Table(title="Where signed deals landed on the ladder")
    steps = _landing_columns(stats.landings)
    for h in ("Clause", *steps, "Signed"):
        land.add_column(h)
    for ld in stats.landings:
        land.add_row(ld.clause, *(str(dict(ld.counts).get(s, "-")) for s in steps), str(ld.total))
    con.print(land)
    con.print("[bold]Recommendations[/bold]")
    for r in stats.recommendations:
        con.print(f"• [bold]{r.clause}[/bold]: {r.text}")


# ---- chart ---------------------------------------------------------------------------------


def chart(stats: Stats, path: str) -> bytes:
    """Acceptance rate and disputes by variant, as PNG or SVG bytes (deterministic)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fmt = "svg" if path.lower().endswith(".svg") else "png"
    rows = [v for v in stats.variants if v.offered or v.live]
    labels = [f"{v.clause} · {v.variant}" for v in rows]
    colours = {"preferred": "#1f5f8b", "-": "#999999", "past walk-away": "#b22222"}
    with plt.rc_context({"svg.hashsalt": "clausebook", "font.size": 8}):
        height = max(2.5, 0.28 * len(rows) + 1.2)
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, height), sharey=True)
        y = list(range(len(rows)))[::-1]
        rates = [100 * (v.acceptance or 0) for v in rows]
        from matplotlib.colors import to_rgba

        # Pale bars rest on fewer deals than the minimum: read them as anecdotes.
        col = [
            to_rgba(colours.get(v.step, "#e08a1e"), 1.0 if v.offered >= stats.min_deals else 0.35)
            for v in rows
        ]
        col2 = [
            to_rgba(colours.get(v.step, "#e08a1e"), 1.0 if v.live >= stats.min_deals else 0.35)
            for v in rows
        ]
        ax1.barh(y, rates, color=col)
        for yi, v, r in zip(y, rows, rates, strict=True):
            ax1.text(r + 1, yi, f"n={v.offered}", va="center", fontsize=7)
        ax1.set_xlim(0, 110)
        ax1.set_yticks(y, labels)
        ax1.set_xlabel("Accepted first time (% of drafts offering it)")
        ax1.axvline(0, color="black", linewidth=0.5)
        dpd = [v.disputes_per_deal or 0 for v in rows]
        ax2.barh(y, dpd, color=col2)
        for yi, v, d in zip(y, rows, dpd, strict=True):
            ax2.text(d + 0.02, yi, f"n={v.live}", va="center", fontsize=7)
        ax2.set_xlim(0, max(dpd + [0.5]) * 1.2)
        ax2.set_xlabel("Disputes per live deal")
        title = (
            "First-time acceptance and disputes by variant (blue: preferred; orange: fallback; "
            f"pale: fewer than {stats.min_deals} deals)"
        )
        if stats.sample_records:
            title = "SAMPLE DATA — " + title
        fig.suptitle(title)
        fig.tight_layout()
        buf = io.BytesIO()
        meta: dict[str, Any] = (
            {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        )
        fig.savefig(buf, format=fmt, dpi=120, metadata=meta)
        plt.close(fig)
    return buf.getvalue()


def recommendation_lines(stats: Stats, clause: str) -> list[str]:
    return [r.text for r in stats.recommendations if r.clause == clause]


def variant_line(v: VariantStats) -> str:
    """One line of evidence for the memo."""
    parts = [f"{v.variant} ({v.step})"]
    if v.offered:
        parts.append(f"accepted first time in {_pct(v.accepted, v.offered)} drafts")
    if v.median_days is not None:
        parts.append(f"median {_rate(v.median_days)} days to agree")
    if v.live:
        parts.append(f"disputes per live deal {_rate(v.disputes_per_deal)} ({v.live} live)")
    return ", ".join(parts)
