"""`clausebook lint`: drafting rules over the clause source, each finding at file:line:col.

Lint reads the clause files on its own, tolerantly: a clause that validation would refuse (no
owner, say) still gets its drafting findings, and one broken file never hides the others. It
works on the template source, with Jinja tags masked out so offsets in the text stay offsets
in the file; a ``{{ … }}`` that prints a number, period or amount counts as a measure. The
rendered drafts are read as well (drafts.py), for what only the assembled text shows.

Rules are configured per library (``clausebook.toml`` ``[lint]`` or ``[tool.clausebook.lint]``
in the library's ``pyproject.toml``) and a finding can be suppressed in the YAML with a comment
that must give a reason::

    # clausebook: allow vague-language -- the 24-hour backstop in the same clause measures it
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import Diagnostic
from .clausefile import ClauseFile, Finding, discover_clause_files
from .config import RULES, Context, LintConfig, load_config
from .drafts import discover_drafts
from .rules import MODULES
from .suppressions import apply_suppressions

__all__ = ["RULES", "LintConfig", "LintResult", "lint_library", "load_config"]


@dataclass(frozen=True)
class LintResult:
    diagnostics: tuple[Diagnostic, ...]
    files: int
    suppressed: int
    drafts: int = 0


def lint_library(
    root: Path,
    paths: Sequence[Path] = (),
    config: LintConfig | None = None,
    base_root: Path | None = None,
    base_label: str = "the base revision",
) -> LintResult:
    """Every drafting finding in the library (restricted to ``paths`` when given)."""
    cfg = config or load_config(root)
    files, problems = discover_clause_files(root)
    drafts, unread = discover_drafts(root, paths)
    findings: list[Finding] = [Finding(d, d.line) for d in problems + unread]
    base: dict[str, ClauseFile] | None = None
    if base_root is not None and "approved-text-changed" in cfg.rules:
        base_files, _ = discover_clause_files(base_root)
        base = {cf.id: cf for cf in base_files}
    ctx = Context(cfg, tuple(files), base, base_label, tuple(drafts))
    for rule in MODULES:
        if ctx.wants(rule.IDS):
            findings += rule.check(ctx)
    diags, suppressed = apply_suppressions(files, findings, cfg, base_root is not None)
    selected = _selected(root, paths)
    if selected is not None:
        diags = [
            d for d in diags if any(d.path == s or d.path.startswith(s + "/") for s in selected)
        ]
    return LintResult(tuple(sorted(set(diags))), len(files), suppressed, len(drafts))


def _selected(root: Path, paths: Sequence[Path]) -> list[str] | None:
    if not paths:
        return None
    out = []
    for p in paths:
        try:
            rel = p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = p.as_posix()
        out.append("" if rel == "." else rel.rstrip("/"))
    if "" in out:
        return None
    return out
