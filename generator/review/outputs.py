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
    root: Path, check: bool, gate: Gate | None = None, force: bool = False
) -> tuple[list[Diagnostic], list[str], int]:
    """(problems, files written, files already current) for every deals/*.yaml; ``gate`` is
    the check `draft` refuses on. A draft edited by hand (neither what Clausebook last wrote
    there nor the committed version) is not overwritten without ``force``."""
    from ..pipeline.build import make_draft, open_library
    from ..pipeline.files import library_glob
    from ..pipeline.validate import duplicate_ids
    from ..writers.output import guarded_write, output_dir, output_stem
    from .gitrev import committed_version

    lib = open_library(root)
    out = root / "outputs"
    if not check:
        out = output_dir(out)
    written: list[str] = []
    same = 0
    drafted = []
    deals, problems = library_glob(root, "deals", "*.yaml")
    for deal in deals:
        try:
            output_stem(deal)  # an unsafe name is refused before drafting
            draft = make_draft(lib, deal, ["md"], gate=gate)
            drafted.append(draft.deal)
        except ClausebookError as exc:
            problems.extend(exc.diagnostics)
            continue
        # The Agreement's draft, then each Statement of Work's (<deal>.sow-<id>.md), if any.
        for name in sorted(n for n in draft.files if n.endswith(".md")):
            data = draft.files[name]
            target = out / name
            shown = f"outputs/{name}"
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
            try:
                guarded_write(target, data, force, committed_version(target))
            except ClausebookError as exc:
                problems.extend(_shown(d, shown) for d in exc.diagnostics)
                continue
            written.append(shown)
    return problems + duplicate_ids(drafted), written, same


def _shown(d: Diagnostic, shown: str) -> Diagnostic:
    return Diagnostic(shown, d.line, d.col, d.rule, d.message, d.severity)


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
