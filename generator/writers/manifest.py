"""Stage 6 — the provenance of a draft: what went in, and the hash of what came out."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .. import __version__
from ..gitenv import git_environment
from ..gitref import head_commit
from ..model import Selection


def git_commit(root: str) -> str | None:
    """The library's HEAD commit, or None outside a git work tree."""
    return head_commit(root)


# What a draft reads from the library; a change elsewhere (outputs/, docs) is not an input.
_INPUTS = (
    "clauses",
    "playbooks",
    "deals",
    "schemas",
    "styles",
    "clausebook.toml",
    "pyproject.toml",
)


def git_dirty(root: str) -> list[str] | None:
    """The library's input files that differ from HEAD (untracked ones included), as git names
    them; None outside a git work tree. Not cached: the tree may change between two drafts."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "status", "--porcelain=v1", "-z", "--untracked-files=all"]
            + ["--", *_INPUTS],
            capture_output=True,
            timeout=10,
            check=False,
            env=git_environment(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    names: list[str] = []
    entries = iter(out.stdout.decode("utf-8", "replace").split("\0"))
    for entry in entries:
        if len(entry) > 3:
            names.append(entry[3:])
            if entry[0] in "RC":
                next(entries, None)  # a rename's old name follows; the new one is enough
    return sorted(names)


def build_manifest(
    selection: Selection, library_root: str, outputs: dict[str, str]
) -> dict[str, Any]:
    deal = selection.deal
    pb = selection.playbook
    clauses = []
    for s in selection.all():
        clauses.append(
            {
                "id": s.clause.id,
                "version": s.clause.version,
                "ref": f"{s.clause.id}@{s.clause.version}",
                "number": s.number,
                "variant": s.variant.id,
                "file": s.clause.source.path,
                "sha256": s.clause.source.sha256,
                "why_included": s.included_because,
                "why_variant": s.reason,
                "parameters": {
                    v.name: {"value": v.value, "source": v.source, "at": v.where} for v in s.values
                },
            }
        )
    return {
        "clausebook": __version__,
        "deal": {"id": deal.id, "file": deal.source.path, "sha256": deal.source.sha256},
        "library": _library(str(Path(library_root).resolve())),
        "playbook": {"id": pb.id, "file": pb.source.path, "sha256": pb.source.sha256},
        "clauses": clauses,
        "excluded": [{"id": cid, "why": why} for cid, why in selection.excluded],
        "outputs": dict(sorted(outputs.items())),
    }


def _library(root: str) -> dict[str, Any]:
    commit = git_commit(root)
    dirty = git_dirty(root) if commit is not None else None
    return {
        "commit": commit,
        "dirty": None if dirty is None else bool(dirty),  # None: not in git, nothing to compare
        "dirty_files": dirty or [],
    }


def dumps(manifest: dict[str, Any]) -> bytes:
    """The manifest as indented, key-sorted JSON (what `json.dumps(indent=2)` writes)."""
    return join_members(dump_members(manifest))


def dump_members(manifest: dict[str, Any]) -> dict[str, str]:
    """Each top-level member as it appears in `dumps`, so a draft dumps its inputs once.

    The indented encoder is pure Python and the clause list is large: the inputs' digest and
    the final manifest share these texts instead of encoding the same clauses twice.
    """
    out = {}
    for key, value in manifest.items():
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
        # JSON strings never hold a raw newline, so this indents exactly one more level.
        out[key] = f"  {json.dumps(key, ensure_ascii=False)}: " + text.replace("\n", "\n  ")
    return out


def join_members(members: dict[str, str]) -> bytes:
    if not members:
        return b"{}\n"
    return ("{\n" + ",\n".join(members[k] for k in sorted(members)) + "\n}\n").encode("utf-8")


def inputs_digest(manifest: dict[str, Any]) -> str:
    """sha256 over everything that went into a draft (not the outputs): one id for the inputs."""
    return digest_members(dump_members({k: v for k, v in manifest.items() if k != "outputs"}))


def digest_members(members: dict[str, str]) -> str:
    import hashlib

    return hashlib.sha256(join_members(members)).hexdigest()
