"""The rendered drafts lint reads beside the clause files: what only the assembled text shows
(a placeholder still to be agreed, one quantity stated twice with different values).

Without PATHS, lint reads the library's drafts (``outputs/*.md``); with PATHS, the Markdown
drafts named, or those directly inside a folder named. A manifest without its Markdown draft
(``draft --format docx``) is read for the placeholders it lists. Markdown's own marks (``**``,
``\\[``) are blanked to spaces of the same length, so an offset in the text is a column in
the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import ContentError, Diagnostic
from ...pipeline.load import read_plain

_MARKUP = re.compile(r"\*\*|\\(?=[\[\]*_#|`])")


@dataclass(frozen=True)
class DraftFile:
    path: str  # as reported: relative to the library root when inside it
    lines: tuple[str, ...]  # with Markdown's marks blanked
    manifest: bool = False  # a Word-only draft's manifest: its "placeholders" are read

    def text_lines(self) -> list[tuple[int, str]]:
        """(1-based line, text) of every line that holds text."""
        return [(i, ln) for i, ln in enumerate(self.lines, start=1) if ln.strip()]


def blank_markup(line: str) -> str:
    return _MARKUP.sub(lambda m: " " * len(m.group()), line)


def discover_drafts(root: Path, paths: Sequence[Path]) -> tuple[list[DraftFile], list[Diagnostic]]:
    """The drafts to read (see the module's docstring), and any that could not be read."""
    found: list[Path] = []
    if not paths or any(p.resolve() == root.resolve() for p in paths):
        paths = [root / "outputs"]
    for p in paths:
        if p.is_file() and (p.suffix == ".md" or p.name.endswith(".manifest.json")):
            found.append(p)
        elif p.is_dir():
            found += sorted(p.glob("*.md")) + sorted(p.glob("*.manifest.json"))
    drafts: list[DraftFile] = []
    problems: list[Diagnostic] = []
    for p in found:
        manifest = p.name.endswith(".manifest.json")
        if manifest and p.with_name(p.name.removesuffix(".manifest.json") + ".md") in found:
            continue  # the Markdown draft says it all, at its own lines
        shown = _display(root, p)
        try:
            text = read_plain(p, shown).decode("utf-8", errors="replace")
        except ContentError as exc:
            problems += exc.diagnostics
            continue
        lines = tuple(
            text.splitlines() if manifest else (blank_markup(ln) for ln in text.splitlines())
        )
        drafts.append(DraftFile(shown, lines, manifest))
    return drafts, problems


def _display(root: Path, p: Path) -> str:
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()
