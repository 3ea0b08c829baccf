"""Playbook statistics for people: Markdown report, terminal tables, a chart, memo lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..writers.markdown import table
from .stats import Landing, Stats, VariantStats, pct, rate

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
                pct(v.accepted, v.offered) if v.offered else "-",
                str(v.signed),
                rate(v.median_days),
                rate(v.median_rounds),
                f"{rate(v.disputes_per_deal)} ({v.disputes}/{v.live})" if v.live else "-",
                rate(v.credits_mean),
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
    lines += table(HEADERS, table_rows(stats))
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
    lines += table(
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


def print_table(stats: Stats) -> None:
    from rich.table import Table

    from ..terminal import console

    con = console()
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
        parts.append(f"accepted first time in {pct(v.accepted, v.offered)} drafts")
    if v.median_days is not None:
        parts.append(f"median {rate(v.median_days)} days to agree")
    if v.live:
        parts.append(f"disputes per live deal {rate(v.disputes_per_deal)} ({v.live} live)")
    return ", ".join(parts)
