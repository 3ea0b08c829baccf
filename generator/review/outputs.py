"""The Markdown drafts of the sample deals, committed in outputs/ so a pull request shows what a
clause change does to real contracts; `clausebook build` writes them, `build --check` proves
they are current."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ClausebookError, Diagnostic

if TYPE_CHECKING:
    from ..pipeline.build import Gate


def build_outputs(
    root: Path, check: bool, gate: Gate | None = None
) -> tuple[list[Diagnostic], list[str], int]:
    """(problems, files written, files already current) for every deals/*.yaml; ``gate`` is
    the check `draft` refuses on."""
    from ..pipeline.build import make_draft, open_library
    from ..pipeline.validate import duplicate_ids
    from ..writers.output import atomic_write, output_dir, output_stem

    lib = open_library(root)
    out = root / "outputs"
    if not check:
        out = output_dir(out)
    problems: list[Diagnostic] = []
    written: list[str] = []
    same = 0
    drafted = []
    for deal in sorted((root / "deals").glob("*.yaml")):
        try:
            stem = output_stem(deal)
            draft = make_draft(lib, deal, ["md"], gate=gate)
            drafted.append(draft.deal)
        except ClausebookError as exc:
            problems.extend(exc.diagnostics)
            continue
        data = draft.files[f"{stem}.md"]
        target = out / f"{stem}.md"
        shown = f"outputs/{stem}.md"
        if target.is_symlink():
            problems.append(Diagnostic(shown, 1, 1, "symlink", "is a symbolic link; refused"))
            continue
        current = target.read_bytes() if target.is_file() else None
        if current == data:
            same += 1
            continue
        if check:
            problems.append(_stale(shown, current, data, deal.relative_to(root).as_posix()))
            continue
        atomic_write(target, data)
        written.append(shown)
    return problems + duplicate_ids(drafted), written, same


def _stale(shown: str, current: bytes | None, data: bytes, deal: str) -> Diagnostic:
    if current is None:
        return Diagnostic(shown, 1, 1, "build-missing", f"no committed draft for {deal}")
    old = current.decode("utf-8", "replace").splitlines()
    new = data.decode("utf-8").splitlines()
    line = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    changed = sum(1 for d in difflib.ndiff(old, new) if d.startswith(("+ ", "- ")))
    return Diagnostic(
        shown,
        line + 1,
        1,
        "build-check",
        f"differs from what the library now drafts for {deal} ({changed} lines differ, the first here)",
    )
