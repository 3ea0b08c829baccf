"""The installed `clausebook` script: `draft DEAL` without click, everything else through click.

Importing click and the command modules (generator/cli/, whose package builds every command)
cost about 30 ms of a warm draft's 150-200 ms. So the script tries the plainest form first
(`draft` and one deal file, perhaps with -o, --force and --library: what a drafter types most) and hands everything else to
the click command line (generator/cli/entry.py). It also hands over any draft that fails, before
anything is written (a draft is written as one unit or not at all), so click drafts it again and
every message and exit code is click's own; tests/cli/test_fast_path.py holds both paths to the
same output. This module sits above generator/cli/ (like __main__.py): importing anything in
generator/cli/ would import click.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Simple:
    """A `draft` command line the fast path takes: one deal, and at most these options."""

    deal: str
    out: str | None = None  # -o/--output DIR
    force: bool = False  # --force
    library: str | None = None  # --library DIR (the draft command's own)


_VALUED = {"-o": "out", "--output": "out", "--library": "library"}


def simple_draft(argv: list[str]) -> Simple | None:
    """``argv`` as a Simple draft, if it is that plain; None hands it to click."""
    if not argv or argv[0] != "draft":
        return None
    deals: list[str] = []
    values: dict[str, str] = {}
    force = False
    rest = iter(argv[1:])
    for arg in rest:
        if arg in _VALUED:
            value = next(rest, None)
            key = _VALUED[arg]
            if value is None or not value or value.startswith("-") or key in values:
                return None  # a missing, odd or repeated value: click words it
            values[key] = value
        elif arg == "--force" and not force:
            force = True
        elif arg.startswith("-") or not arg.endswith((".yaml", ".yml")):
            return None  # another option, `-`, `--`, `-oDIR` or an odd name: click decides
        else:
            deals.append(arg)
    if len(deals) != 1:
        return None  # a batch has a progress bar and a summary: click's path
    return Simple(deals[0], values.get("out"), force, values.get("library"))


def draft(argv: list[str]) -> bool:
    """Draft ``argv``'s deal if it is the simple form and the draft succeeds; else False."""
    given = simple_draft(argv)
    if given is None:
        return False
    from .errors import printable

    try:
        from .pipeline.build import BatchOptions, draft_many
        from .pipeline.files import library_root
        from .pipeline.locate import deal_file, find_library, house_style
        from .playbook.check import refusals

        chosen = Path(given.library) if given.library is not None else find_library(Path.cwd())
        root = library_root(chosen)
        deal = deal_file(root, Path(given.deal))
        # click's defaults for `draft`: md and docx, no notes, the deviation gate on
        reference = house_style(root)
        opts = BatchOptions(("md", "docx"), given.force, reference, False, refusals, False, False)
        out_dir = Path(given.out) if given.out is not None else root / "outputs"
        results, diags = draft_many(root, [deal], out_dir, opts, 1, None)
    except Exception:
        return False  # nothing was written: click drafts it again and words the problem
    if diags or len(results) != 1:
        return False
    r = results[0]
    if r.placeholders:  # what draft.py's _say_drafted says, even with --quiet
        sys.stderr.write(
            printable(
                f"warning: {r.deal_file}: {r.placeholders} placeholder"
                f"{'' if r.placeholders == 1 else 's'} still to be agreed "
                f"(`clausebook lint {out_dir}` lists them)"
            )
            + "\n"
        )
    shown = ", ".join(str(out_dir / n) for n in r.written) or "unchanged"
    sys.stderr.write(printable(f"drafted {r.deal_file} -> {shown}") + "\n")
    sys.stderr.flush()
    return True


def main() -> None:
    gc.freeze()  # why: generator/cli/entry.py
    try:
        try:
            if draft(sys.argv[1:]):
                return
        except KeyboardInterrupt:  # what cli/common.py's reporting() says
            sys.stderr.write("interrupted\n")
            sys.exit(130)
        from .cli.entry import main as command_line

        command_line()
    finally:
        gc.freeze()
