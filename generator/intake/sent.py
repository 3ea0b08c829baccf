"""Which draft was sent: the manifest embedded in the returned file, a `--sent` manifest, or a
`--deal` profile; rebuilt at the library commit the manifest names when the library moved on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import usage
from ..pipeline.build import open_library
from ..review.gitrev import snapshot
from ..review.revisions import library_relative, load_at
from ..writers.manifest import git_commit
from .run import Intake, read_returned, run_intake


def _manifest_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise usage(str(path), "intake", f"cannot read the sent manifest: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("deal"), dict):
        raise usage(str(path), "intake", "not a Clausebook manifest (no `deal`)")
    return data


def intake_with_sent(root: Path, returned: Path, deal: Path | None, sent: Path | None) -> Intake:
    if not returned.is_file():
        raise usage(returned.as_posix(), "missing-file", "returned document not found")
    manifest: dict[str, Any] | None = None
    source = "--deal"
    if sent is not None:
        manifest, source = _manifest_file(sent), f"--sent {sent}"
    elif deal is None:
        _, word = read_returned(returned)
        manifest, source = word.manifest, "the manifest embedded in the returned file"
        if manifest is None:
            raise usage(
                returned.as_posix(),
                "intake",
                "this .docx carries no Clausebook manifest (not one of ours, or the editor "
                "removed it); say which draft was sent with --deal DEAL or --sent MANIFEST",
            )
    if manifest is not None and deal is None:
        deal = root / str(manifest["deal"].get("file", ""))
    assert deal is not None
    if not deal.is_file():
        raise usage(deal.as_posix(), "missing-file", "deal file not found")
    commit = ((manifest or {}).get("library") or {}).get("commit")
    if commit and commit != git_commit(str(root.resolve())):
        rel = library_relative(root, deal)
        with snapshot(root, commit) as snap:  # the library as it was when the draft was sent
            lib = load_at(snap)
            path = snap.root / rel if rel and (snap.root / rel).is_file() else deal
            return run_intake(lib, path, returned, f"{source}, library at {commit[:12]}")
    return run_intake(open_library(root), deal, returned, source)
