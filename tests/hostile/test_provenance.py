"""The manifest says which commit of the library a draft came from: the environment of whoever
runs the draft must not be able to make it name another repository's commit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gitlib import git, library_repo

from .support import draft


@pytest.mark.parametrize("variable", ["GIT_DIR", "GIT_WORK_TREE+GIT_DIR", "GIT_INDEX_FILE"])
def test_git_environment_cannot_change_the_commit_in_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    top, root = library_repo(tmp_path / "library")
    own = git(top, "rev-parse", "HEAD").strip()
    other, _ = library_repo(tmp_path / "other")
    (other / "x.txt").write_text("another history")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "other")
    foreign = git(other, "rev-parse", "HEAD").strip()
    assert foreign != own
    for name in variable.split("+"):
        value = {"GIT_DIR": other / ".git", "GIT_WORK_TREE": other}.get(name, other / "index")
        monkeypatch.setenv(name, str(value))
    outcome = draft(root, tmp_path / "out", "small.yaml")
    assert outcome.code == 0, outcome.output
    manifest = json.loads((tmp_path / "out" / "small.manifest.json").read_text("utf-8"))
    assert manifest["library"]["commit"] == own


def test_library_outside_any_repository_records_no_commit_whatever_git_dir_says(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other, _ = library_repo(tmp_path / "other")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(minilib.parent))
    outcome = draft(minilib, tmp_path / "out", "small.yaml")
    assert outcome.code == 0, outcome.output
    manifest = json.loads((tmp_path / "out" / "small.manifest.json").read_text("utf-8"))
    assert manifest["library"]["commit"] is None


def test_two_drafts_of_a_template_that_printed_a_repr_are_refused_not_different(
    minilib: Path, tmp_path: Path
) -> None:
    from .support import TEXT_LINE, at, refused, set_clause_text

    set_clause_text(minilib, "Text {{ [''.maketrans] | join_and | upper }}.")
    message = (
        "rendered text contains a Python object's repr (a memory address); "
        "print a parameter, a deal value or a filter's result instead"
    )
    for run in ("a", "b"):
        refused(draft(minilib, tmp_path / run, "small.yaml"), at(TEXT_LINE, "render", message))
