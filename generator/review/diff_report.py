"""A diff Report as Markdown, for the pull-request comment and the step summary."""

from __future__ import annotations

import json
import re
from typing import Any

from ..textdiff import word_diff_text
from ..writers.markdown import table
from .diff import Change, Report


def _fence(text: str, lang: str = "") -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _code(text: str) -> str:
    text = str(text).replace("\n", " ")
    if len(text) > 120:
        text = text[:117] + "…"
    ticks = "``" if "`" in text else "`"
    return f"{ticks}{text}{ticks}"


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return _code(v)
    return _code(json.dumps(v, ensure_ascii=False))


def _change_md(c: Change) -> str:
    kind = c.kind.replace("-", " ")
    head = f"- **{c.what}**: {kind} · *{c.bump}*"
    if c.words:
        body = word_diff_text(c.words)
        return head + "\n\n" + _indent(_fence(body, "text")) if body else head
    if c.old is not None or c.new is not None:
        return head + f": {_value(c.old)} → {_value(c.new)}"
    return head


def _indent(text: str) -> str:
    return "\n".join(("  " + ln) if ln else ln for ln in text.split("\n"))


def to_markdown(r: Report, max_diff_lines: int = 300) -> str:
    problems = r.problems
    bumps_bad = [c for c in r.clauses if not c.ok]
    touched = [d for d in r.deals if d.status != "unchanged"]
    icon = "❌" if problems else "✅"
    base = f"`{r.base}`" + (
        f" ({r.base_sha[:10]})" if r.base_sha and not r.base_sha.startswith(r.base) else ""
    )
    head = f"`{r.head}`" + (
        f" ({r.head_sha[:10]})" if r.head_sha and not r.head_sha.startswith(r.head) else ""
    )
    out = [f"## {icon} Clause review: {base} → {head}", ""]
    added = sum(1 for c in r.clauses if c.status == "added")
    removed = sum(1 for c in r.clauses if c.status == "removed")
    out += [
        *table(
            ("", ""),
            [
                ("Clauses changed", f"{len(r.clauses)} ({added} added, {removed} removed)"),
                ("Version bumps", f"❌ {len(bumps_bad)} missing" if bumps_bad else "✅ ok"),
                ("Playbooks affected", ", ".join(f"`{p}`" for p, _ in r.playbooks) or "none"),
                (
                    "Sample deals whose draft changes",
                    f"{sum(1 for d in touched if d.status != 'error')} of {len(r.deals)}",
                ),
            ],
        ),
        "",
    ]
    if problems:
        out += ["### Problems", ""]
        out += [f"- `{p.path}:{p.line}` **{p.rule}**: {p.message}" for p in problems]
        out.append("")
    if r.clauses:
        out += ["### Clause changes", ""]
    for c in r.clauses:
        mark = "✅" if c.ok else "❌"
        if c.status == "added":
            out += [f"#### ➕ `{c.id}` {c.new_version} — new clause", f"`{c.path}`", ""]
            continue
        if c.status == "removed":
            out += [f"#### ➖ `{c.id}` {c.old_version} — removed", f"`{c.path}`", ""]
            continue
        need = f"needs **{c.required}**" if c.required != "none" else "no bump needed"
        out += [
            f"#### {mark} `{c.id}` {c.old_version} → {c.new_version} · {need}, got {c.actual}",
            f"`{c.path}:{c.line}`",
            "",
        ]
        out += [_change_md(ch) for ch in c.changes]
        out.append("")
    if r.playbooks:
        out += ["### Affected playbooks", ""]
        out += [f"- `{p}` — {why}" for p, why in r.playbooks]
        out.append("")
    if touched:
        out += ["### Affected sample deals", ""]
        for d in touched:
            via = (
                " — includes " + ", ".join(f"`{c}` (variant `{v}`)" for c, v in d.clauses)
                if d.clauses
                else ""
            )
            if d.status == "error":
                out.append(f"- ❌ `{d.path}`: {d.error}")
                continue
            edited = ", deal profile edited" if d.profile_changed else ""
            out.append(
                f"- `{d.path}` ({d.status}, +{d.added_lines} −{d.removed_lines} lines{edited}){via}"
            )
        out.append("")
        for d in touched:
            if not d.diff:
                continue
            lines = d.diff.split("\n")
            cut = len(lines) > max_diff_lines
            body = "\n".join(lines[:max_diff_lines])
            more = (
                f"\n\n*… {len(lines) - max_diff_lines} more lines: run `clausebook diff` locally.*"
                if cut
                else ""
            )
            out += [
                "<details>",
                f"<summary><code>{d.path}</code>: rendered draft +{d.added_lines} −{d.removed_lines}</summary>",
                "",
                _fence(body, "diff") + more,
                "",
                "</details>",
                "",
            ]
    elif not r.clauses:
        out += ["No clause, playbook or sample-deal draft changed.", ""]
    return "\n".join(out).rstrip() + "\n"
