"""Stage 6 — the provenance of a draft: what went in, and the hash of what came out."""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..gitenv import git_environment
from ..model import Selection


@lru_cache(maxsize=8)
def git_commit(root: str) -> str | None:
    """The library's HEAD commit, or None outside a git work tree."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "rev-parse", "--verify", "--quiet", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env=git_environment(),  # GIT_DIR must not name another repository's commit
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


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
        "library": {"commit": git_commit(str(Path(library_root).resolve()))},
        "playbook": {"id": pb.id, "file": pb.source.path, "sha256": pb.source.sha256},
        "clauses": clauses,
        "excluded": [{"id": cid, "why": why} for cid, why in selection.excluded],
        "outputs": dict(sorted(outputs.items())),
    }


def dumps(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )


def inputs_digest(manifest: dict[str, Any]) -> str:
    """sha256 over everything that went into a draft (not the outputs): one id for the inputs."""
    import hashlib

    inputs = {k: v for k, v in manifest.items() if k != "outputs"}
    return hashlib.sha256(dumps(inputs)).hexdigest()
