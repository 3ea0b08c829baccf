"""Clauses no playbook places: they validate, but no draft will ever contain them."""

from __future__ import annotations

from ..errors import Diagnostic
from ..model import SOW_TOPIC, Library


def placed_ids(lib: Library) -> set[str]:
    """Every clause id a playbook's structure or schedules name (rules only add placed ones),
    and the Statement of Work paragraphs, which every SOW document places."""
    ids = {cid for cid, c in lib.clauses.items() if c.topic == SOW_TOPIC}
    for pb in lib.playbooks.values():
        for article in pb.structure:
            ids.update(article.clauses)
        ids.update(pb.schedules)
    return ids


def unplaced(lib: Library) -> list[Diagnostic]:
    """A warning at each clause's id that no playbook places."""
    placed = placed_ids(lib)
    out = []
    for cid, clause in sorted(lib.clauses.items()):
        if cid in placed:
            continue
        line, col = clause.source.where(("id",))
        out.append(
            Diagnostic(
                clause.source.path,
                line,
                col,
                "unplaced-clause",
                f"no playbook places '{cid}', so no draft contains it: add it to an article's "
                "clauses (or the schedules) in playbooks/",
                severity="warning",
            )
        )
    return out
