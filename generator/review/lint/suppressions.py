"""`# clausebook: allow RULE[, RULE] -- reason` comments, and applying them to findings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import Diagnostic, did_you_mean
from .clausefile import ClauseFile, Finding
from .config import RULES, UNSUPPRESSIBLE, LintConfig

_SUPPRESS_RX = re.compile(
    r"#\s*clausebook:\s*allow\b(?P<body>[^\n]*)",
)


_SUPPRESS_BODY = re.compile(
    r"^\s*(?P<rules>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)\s*(?:--\s*(?P<reason>.*?))?\s*$"
)


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    col: int
    rules: tuple[str, ...]
    reason: str


def suppressions(cf: ClauseFile) -> tuple[list[Suppression], list[Diagnostic]]:
    """`# clausebook: allow RULE[, RULE] -- reason` comments (not text that looks like one)."""
    spans = sorted((s.start, s.end) for s in cf.scalars.values())
    out: list[Suppression] = []
    problems: list[Diagnostic] = []
    for m in _SUPPRESS_RX.finditer(cf.text):
        idx = m.start()
        if any(a <= idx < b for a, b in spans):
            continue  # inside clause text: words, not a comment
        line = cf.text.count("\n", 0, idx) + 1
        col = idx - (cf.text.rfind("\n", 0, idx) + 1) + 1
        body = _SUPPRESS_BODY.match(m.group("body"))
        if body is None:
            problems.append(
                Diagnostic(
                    cf.path,
                    line,
                    col,
                    "suppression-without-reason",
                    "write '# clausebook: allow RULE -- reason' (rule ids separated by commas)",
                )
            )
            continue
        rules = tuple(r.strip() for r in body.group("rules").split(","))
        reason = (body.group("reason") or "").strip()
        for r in rules:
            if r not in RULES:
                hint = did_you_mean(r, list(RULES))
                problems.append(
                    Diagnostic(cf.path, line, col, "unknown-rule", f"no lint rule '{r}'{hint}")
                )
        if len(re.sub(r"\W", "", reason)) < 3:
            problems.append(
                Diagnostic(
                    cf.path,
                    line,
                    col,
                    "suppression-without-reason",
                    f"suppressing {', '.join(rules)} needs a reason: '# clausebook: allow {', '.join(rules)} -- why this is acceptable'",
                )
            )
            continue
        out.append(Suppression(cf.path, line, col, rules, reason))
    return out, problems


def apply_suppressions(
    files: Sequence[ClauseFile], findings: Sequence[Finding], cfg: LintConfig, have_base: bool
) -> tuple[list[Diagnostic], int]:
    by_file: dict[str, list[Suppression]] = {}
    out: list[Diagnostic] = []
    for cf in files:
        sups, problems = suppressions(cf)
        by_file[cf.path] = sups
        out += [d for d in problems if d.rule in cfg.rules]
    used: set[Suppression] = set()
    suppressed = 0
    for f in findings:
        d = f.diag
        hit = None
        if d.rule not in UNSUPPRESSIBLE:
            for s in by_file.get(d.path, []):
                if d.rule in s.rules and ({s.line, s.line + 1} & {d.line, f.anchor}):
                    hit = s
                    break
        if hit is None:
            out.append(d)
        else:
            used.add(hit)
            suppressed += 1
    if "unused-suppression" in cfg.rules:
        for sups in by_file.values():
            for s in sups:
                if s in used:
                    continue
                # A switched-off rule finds nothing; an approval note stays true after the merge.
                live = [r for r in s.rules if r in cfg.rules and r in RULES]
                live = [r for r in live if r != "approved-text-changed"]
                if live:
                    out.append(
                        Diagnostic(
                            s.path,
                            s.line,
                            s.col,
                            "unused-suppression",
                            f"this comment suppresses no {', '.join(live)} finding: remove it",
                        )
                    )
    return out, suppressed
