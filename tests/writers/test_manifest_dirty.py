"""The manifest says whether the library's inputs matched its commit when the draft was made."""

from __future__ import annotations

import json
from pathlib import Path

from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library
from tests.gitlib import edit, library_repo


def manifest(root: Path) -> dict[str, object]:
    draft = make_draft(load_library(root), root / "deals" / "small.yaml", ["md"])
    data: dict[str, object] = json.loads(draft.files["small.manifest.json"])
    library = data["library"]
    assert isinstance(library, dict)
    return library


def test_a_clean_work_tree_is_recorded_clean(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path)
    lib = manifest(root)
    assert lib["dirty"] is False and lib["dirty_files"] == []
    assert isinstance(lib["commit"], str) and len(lib["commit"]) == 40


def test_edited_and_untracked_inputs_are_named_outputs_are_not(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path)
    edit(root / "clauses/core/services.yaml", "The Services.", "The Services, as edited.")
    (root / "deals" / "new.yaml").write_text("id: new\n")
    (root / "outputs").mkdir(exist_ok=True)
    (root / "outputs" / "small.md").write_text("a draft is not an input\n")
    lib = manifest(root)
    assert lib["dirty"] is True
    assert lib["dirty_files"] == ["lib/clauses/core/services.yaml", "lib/deals/new.yaml"]


def test_outside_git_dirty_is_unknown(minilib: Path) -> None:
    lib = manifest(minilib)
    assert lib["commit"] is None and lib["dirty"] is None
