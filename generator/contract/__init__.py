"""The contract as data that runs: the Service Credit calculator (and the obligations register),
computed from the same Selection the draft is rendered from.

It sits beside views/ and review/: it reads a Selection from the pipeline and hands plain data
to the CLI, which prints it.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Library, Selection
from .credits import Statement


def selection_for(root: Path, deal_path: Path) -> Selection:
    """The deal's Selection, exactly as `clausebook draft` selects it."""
    return library_and_selection(root, deal_path)[1]


def library_and_selection(root: Path, deal_path: Path) -> tuple[Library, Selection]:
    from ..errors import usage
    from ..pipeline.build import open_library
    from ..pipeline.deal import load_deal
    from ..pipeline.files import deal_display
    from ..pipeline.select import select

    lib = open_library(root)
    if not deal_path.is_file():
        raise usage(deal_path.as_posix(), "missing-file", "deal file not found")
    return lib, select(lib, load_deal(lib, deal_path, deal_display(root, deal_path)))


def credit_statement(sel: Selection, performance: Path, charges: Path) -> Statement:
    """Read the terms from ``sel`` and both CSV files, then calculate; every problem at once."""
    from .credits import calculate
    from .performance import read_performance
    from .terms import read_terms

    terms = read_terms(sel)
    perf = read_performance(terms, performance, _shown(performance), charges, _shown(charges))
    return calculate(terms, perf)


def _shown(path: Path) -> str:
    """A file as messages name it: relative to where the user stands when it can be."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
