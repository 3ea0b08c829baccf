"""The library commit read from .git files: the same answer git rev-parse gives, in every shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import gitref
from tests.gitlib import commit, git, library_repo


def _both(root: Path) -> tuple[str | None, str | None]:
    return gitref._read_head(root), gitref._ask_git(str(root))


def test_loose_ref_packed_ref_and_detached_head(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    first = git(top, "rev-parse", "HEAD").strip()
    assert _both(root) == (first, first)  # a loose branch ref, from a subfolder
    git(top, "pack-refs", "--all")
    assert not (top / ".git" / "refs" / "heads" / "main").exists()
    assert _both(root) == (first, first)  # packed-refs only
    (root / "extra.txt").write_text("x\n")
    second = commit(top)
    assert second != first
    assert _both(root) == (second, second)  # a new loose ref shadows the packed one
    git(top, "checkout", "-q", "--detach", first)
    assert _both(top) == (first, first)


def test_linked_work_tree(tmp_path: Path) -> None:
    top, _ = library_repo(tmp_path)
    wt = tmp_path / "wt"
    git(top, "worktree", "add", "-q", "-b", "other", str(wt))
    (wt / "extra.txt").write_text("x\n")
    head = commit(wt)
    assert (wt / ".git").is_file()
    assert _both(wt) == (head, head)


def test_outside_a_repository_and_unborn_branch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    if gitref._git_dir(plain) is None:  # no repository above the temporary folder
        assert gitref._read_head(plain) is None
    assert gitref.head_commit(str(plain)) is None  # with the override set, git decides
    unborn = tmp_path / "unborn"
    unborn.mkdir()
    git(unborn, "init", "-q", "-b", "main")
    with pytest.raises(gitref._AskGit):
        gitref._read_head(unborn)
    assert gitref._ask_git(str(unborn)) is None


def test_no_git_process_for_a_plain_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top, root = library_repo(tmp_path)
    expected = git(top, "rev-parse", "HEAD").strip()
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_NAMESPACE"):
        monkeypatch.delenv(var, raising=False)

    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError("git was started")

    monkeypatch.setattr(gitref.subprocess, "run", no_git)
    gitref.head_commit.cache_clear()
    assert gitref.head_commit(str(root)) == expected
