"""`clausebook coverage`: which topics have variants for each maturity level and stance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import STANCES, Library

LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Coverage:
    topics: tuple[str, ...]
    counts: dict[tuple[str, int, str], int]  # (topic, level, stance) -> variants
    gaps: tuple[str, ...]  # one sentence per gap


def coverage(lib: Library) -> Coverage:
    counts: dict[tuple[str, int, str], int] = defaultdict(int)
    gaps: list[str] = []
    for c in sorted(lib.clauses.values(), key=lambda c: (c.topic, c.id)):
        live = [v for v in c.variants if not v.deprecated]
        levels = sorted({lvl for v in live for lvl in v.maturity})
        for v in live:
            for lvl in v.maturity:
                counts[(c.topic, lvl, v.stance)] += 1
        for lvl in levels:
            for stance in ("client", "balanced"):
                if not any(v.stance == stance and lvl in v.maturity for v in live):
                    gaps.append(f"{c.id}: no {stance} variant at maturity {lvl}")
        if not any(v.stance == "provider" for v in live):
            gaps.append(f"{c.id}: no provider variant (fine for boilerplate)")
    topics = tuple(sorted({c.topic for c in lib.clauses.values()}))
    return Coverage(topics, dict(counts), tuple(gaps))


def coverage_markdown(cov: Coverage) -> str:
    head = (
        "| Topic | "
        + " | ".join(f"L{lvl} {s[0].upper()}" for lvl in LEVELS for s in STANCES)
        + " |"
    )
    sep = "|---|" + "---|" * (len(LEVELS) * len(STANCES))
    rows = [
        f"| {t} | "
        + " | ".join(str(cov.counts.get((t, lvl, s), 0) or "·") for lvl in LEVELS for s in STANCES)
        + " |"
        for t in cov.topics
    ]
    legend = "Columns: maturity level (L1–L4) × stance (C client, B balanced, P provider); cells count variants."
    gaps = (
        ["", f"Gaps ({len(cov.gaps)}):", *[f"- {g}" for g in cov.gaps]]
        if cov.gaps
        else ["", "No gaps."]
    )
    return "\n".join([legend, "", head, sep, *rows, *gaps]) + "\n"
