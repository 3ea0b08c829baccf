"""`clausebook validate`: the library, then every deal, drafted in memory to catch render errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ClausebookError, ContentError, Diagnostic
from ..model import Deal, Library
from .build import Gate, open_library
from .deal import check_deal_files, load_deal
from .files import deal_display, library_glob
from .render import render_document
from .select import select
from .sowdoc import sow_documents


@dataclass(frozen=True)
class Validation:
    diagnostics: tuple[Diagnostic, ...]
    counts: str  # "100 clauses, 314 variants, ..." when the library loaded
    library: Library | None  # for the checks the caller adds (outcome records)


def _is_library_file(root: Path, p: Path) -> bool:
    try:
        rel = p.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return rel.parts[:1] in (("clauses",), ("playbooks",), ("schemas",))


def duplicate_ids(deals: list[Deal]) -> list[Diagnostic]:
    """Two deal files with one id: outcome records and approvals name deals by id."""
    first: dict[str, Deal] = {}
    out = []
    for deal in deals:
        seen = first.setdefault(deal.id, deal)
        if seen is not deal and seen.source.path != deal.source.path:
            line, col = deal.source.where(("id",))
            out.append(
                Diagnostic(
                    deal.source.path,
                    line,
                    col,
                    "duplicate-deal-id",
                    f"deal id '{deal.id}' is already used by {seen.source.path}",
                )
            )
    return out


def validate_all(root: Path, paths: list[Path], gate: Gate | None = None) -> Validation:
    """Every problem of the library and its deals; ``gate`` is the check `draft` refuses on,
    so a deal that validates is a deal that drafts."""
    diags: list[Diagnostic] = []
    deals: list[Path] = []
    for p in paths:
        if p.is_dir():
            if (p / "clauses").is_dir() and p.resolve() != root.resolve():
                root = p
            elif p.resolve() != root.resolve():
                deals.extend(sorted(p.glob("*.yaml")))
        elif not p.exists():
            diags.append(Diagnostic(p.as_posix(), 1, 1, "missing-file", "file not found"))
        elif not _is_library_file(root, p):
            deals.append(p)
    if not paths:
        deals, outside = library_glob(root, "deals", "*.yaml")
        diags.extend(outside)
    lib: Library | None
    try:
        lib = open_library(root)
    except ContentError as exc:
        diags.extend(exc.diagnostics)
        diags.extend(check_deal_files(root, deals, None))  # deals too, all at once
        return Validation(tuple(diags), "", None)
    loaded: list[Deal] = []
    for d in deals:
        try:
            deal = load_deal(lib, d, deal_display(root, d))
            loaded.append(deal)
            selection = select(lib, deal)
            if gate is not None:
                diags.extend(gate(selection))
            render_document(selection)
            sow_documents(lib, selection)  # each Statement of Work, checked and rendered
        except ClausebookError as exc:
            diags.extend(exc.diagnostics)
    diags.extend(duplicate_ids(loaded))
    variants = sum(len(c.variants) for c in lib.clauses.values())
    counts = (
        f"{len(lib.clauses)} clauses, {variants} variants, {len(lib.playbooks)} playbook(s), "
        f"{len(deals)} deal(s)"
    )
    return Validation(tuple(diags), counts, lib)
