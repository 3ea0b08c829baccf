"""`clausebook coverage`: which topics have variants for each maturity level and stance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import SOW_TOPIC, STANCES, Library
from ..writers.markdown import table

LEVELS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Gap:
    """A clause with no variant of ``stance`` (at maturity ``level``, when one is named), or,
    with ``stance`` "", a clause no playbook places (so no draft contains it)."""

    clause: str
    stance: str
    level: int | None = None

    @property
    def hard(self) -> bool:
        """Every clause needs client and balanced variants and a place; provider ones are optional."""
        return self.stance in ("client", "balanced", "")

    def __str__(self) -> str:
        if not self.stance:
            return f"{self.clause}: placed by no playbook, so no draft contains it"
        if self.level is None:
            return f"{self.clause}: no {self.stance} variant (fine for boilerplate)"
        return f"{self.clause}: no {self.stance} variant at maturity {self.level}"


@dataclass(frozen=True)
class Coverage:
    topics: tuple[str, ...]
    counts: dict[tuple[str, int, str], int]  # (topic, level, stance) -> variants
    gaps: tuple[Gap, ...]


def coverage(lib: Library) -> Coverage:
    from ..pipeline.placement import placed_ids

    placed = placed_ids(lib)
    counts: dict[tuple[str, int, str], int] = defaultdict(int)
    gaps: list[Gap] = []
    for c in sorted(lib.clauses.values(), key=lambda c: (c.topic, c.id)):
        live = [v for v in c.variants if not v.deprecated]
        levels = sorted({lvl for v in live for lvl in v.maturity})
        for v in live:
            for lvl in v.maturity:
                counts[(c.topic, lvl, v.stance)] += 1
        for lvl in levels if c.topic != SOW_TOPIC else ():  # SOW paragraphs take no stance
            for stance in ("client", "balanced"):
                if not any(v.stance == stance and lvl in v.maturity for v in live):
                    gaps.append(Gap(c.id, stance, lvl))
        if c.topic != SOW_TOPIC and not any(v.stance == "provider" for v in live):
            gaps.append(Gap(c.id, "provider"))
        if c.id not in placed:
            gaps.append(Gap(c.id, ""))
    topics = tuple(sorted({c.topic for c in lib.clauses.values()}))
    return Coverage(topics, dict(counts), tuple(gaps))


def coverage_json(cov: Coverage) -> dict[str, object]:
    return {
        "topics": list(cov.topics),
        "counts": [
            {"topic": t, "level": lvl, "stance": s, "variants": n}
            for (t, lvl, s), n in sorted(cov.counts.items())
        ],
        "gaps": [
            {
                "clause": g.clause,
                "kind": "stance" if g.stance else "unplaced",
                "stance": g.stance or None,
                "level": g.level,
                "hard": g.hard,
                "message": str(g),
            }
            for g in cov.gaps
        ],
    }


def coverage_markdown(cov: Coverage) -> str:
    header = ["Topic", *(f"L{lvl} {s[0].upper()}" for lvl in LEVELS for s in STANCES)]
    rows = [
        [t, *(str(cov.counts.get((t, lvl, s), 0) or "·") for lvl in LEVELS for s in STANCES)]
        for t in cov.topics
    ]
    legend = "Columns: maturity level (L1–L4) × stance (C client, B balanced, P provider); cells count variants."
    gaps = (
        ["", f"Gaps ({len(cov.gaps)}):", *[f"- {g}" for g in cov.gaps]]
        if cov.gaps
        else ["", "No gaps."]
    )
    return "\n".join([legend, "", *table(header, rows), *gaps]) + "\n"


def print_coverage(cov: Coverage) -> None:
    """The matrix as a terminal table, then one line per gap."""
    from rich.table import Table

    from ..terminal import console

    table = Table(title="Variants by topic, maturity level and stance")
    table.add_column("Topic")
    for lvl in LEVELS:
        for s in STANCES:
            table.add_column(f"L{lvl} {s[0].upper()}", justify="right")
    for t in cov.topics:
        cells = [str(cov.counts.get((t, lvl, s), 0) or "·") for lvl in LEVELS for s in STANCES]
        table.add_row(t, *cells)
    con = console()
    con.print(table)
    for g in cov.gaps:
        con.print(f"gap: {g}")
