"""The installed `clausebook` script: `draft DEAL` without click, everything else through click.

Importing click and the command modules (generator/cli/, whose package builds every command)
cost about 30 ms of a warm draft's 150-200 ms. So the script tries the plainest form first
(`draft` and one deal file, no option: what a drafter types most) and hands everything else to
the click command line (generator/cli/entry.py). It also hands over any draft that fails, before
anything is written (a draft is written as one unit or not at all), so click drafts it again and
every message and exit code is click's own; tests/cli/test_fast_path.py holds both paths to the
same output. This module sits above generator/cli/ (like __main__.py): importing anything in
generator/cli/ would import click.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path


def simple_deal(argv: list[str]) -> str | None:
    """The deal of `draft DEAL`, if that is all the command line says."""
    if len(argv) != 2 or argv[0] != "draft":
        return None
    deal = argv[1]
    if not deal or deal.startswith("-") or not deal.endswith((".yaml", ".yml")):
        return None  # an option, `-` or anything unusual: click decides what it means
    return deal


def draft(argv: list[str]) -> bool:
    """Draft ``argv``'s deal if it is the simple form and the draft succeeds; else False."""
    given = simple_deal(argv)
    if given is None:
        return False
    from .errors import printable

    try:
        from .pipeline.build import BatchOptions, draft_many
        from .pipeline.files import library_root
        from .pipeline.locate import deal_file, find_library, house_style
        from .playbook.check import refusals

        root = library_root(find_library(Path.cwd()))
        deal = deal_file(root, Path(given))
        # click's defaults for `draft`: md and docx, no --force, no notes, the deviation gate on
        opts = BatchOptions(("md", "docx"), False, house_style(root), False, refusals, False, False)
        out_dir = root / "outputs"
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
