"""Safe git access: hostile revisions are refused, revisions are read without touching the work tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import ContentError, UsageError
from generator.review.gitrev import check_revision, open_repo, snapshot
from tests.gitlib import commit, edit, git, library_repo, state


@pytest.mark.parametrize(
    "rev",
    ["main", "HEAD", "HEAD~1", "HEAD^", "v1.2.0", "origin/main", "HEAD@{1}", "a1b2c3d", "base"],
)
def test_ordinary_revisions_are_accepted(rev: str) -> None:
    assert check_revision(rev) == rev


@pytest.mark.parametrize(
    ("rev", "why"),
    [
        ("--output=/tmp/pwned", "may not start with '-'"),
        ("-p", "may not start with '-'"),
        ("HEAD; rm -rf /", "it contains ' ' ';'"),
        ("$(touch_x)", "it contains '$' '(' ')'"),
        ("main..evil", "'..'"),
        ("HEAD:clauses/x.yaml", "':'"),
        ("", "empty"),
        ("a" * 201, "longer than 200"),
        ("@{-1}", "'@{-N}'"),
    ],
)
def test_hostile_revisions_are_refused_with_exit_2(rev: str, why: str) -> None:
    with pytest.raises(UsageError) as exc:
        check_revision(rev)
    assert exc.value.exit_code == 2
    assert why in exc.value.diagnostics[0].message
    assert exc.value.diagnostics[0].rule == "bad-revision"


def test_snapshot_reads_each_revision_and_leaves_the_work_tree_alone(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    edit(root / "clauses/core/services.yaml", "version: 1.2.0", "version: 1.3.0")
    commit(top)
    edit(root / "clauses/core/services.yaml", "version: 1.3.0", "version: 9.9.9")  # uncommitted
    (root / "clauses/core/untracked.yaml").write_text("id: untracked\n")
    before = state(top)
    with snapshot(root, "base") as old, snapshot(root, "HEAD") as new:
        assert "version: 1.2.0" in (old.root / "clauses/core/services.yaml").read_text()
        assert "version: 1.3.0" in (new.root / "clauses/core/services.yaml").read_text()
        assert not (new.root / "clauses/core/untracked.yaml").exists()
        assert (new.root / "deals/small.yaml").is_file()
        assert old.sha != new.sha and len(new.sha) == 40 and new.time > 0
        kept = old.root
    assert not kept.exists()  # the temporary copy is removed
    assert state(top) == before
    assert "version: 9.9.9" in (root / "clauses/core/services.yaml").read_text()


def test_library_at_the_repository_root_works_too(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path, subfolder="")
    repo = open_repo(root)
    assert repo.prefix == ""
    with snapshot(root, "HEAD", repo) as snap:
        assert (snap.root / "playbooks/standard.yaml").is_file()


def test_symlinks_in_a_revision_are_refused(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    os.symlink("/etc/passwd", root / "clauses/core/leak.yaml")
    commit(top, "add a symlink")
    with pytest.raises(ContentError) as exc, snapshot(root, "HEAD"):
        pass
    d = exc.value.diagnostics[0]
    assert d.rule == "symlink" and d.path.startswith("clauses/core/leak.yaml (at ")


def test_unknown_revision_is_a_usage_error(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path)
    with pytest.raises(UsageError) as exc, snapshot(root, "no-such-branch"):
        pass
    assert "names no commit" in exc.value.diagnostics[0].message


def test_a_folder_outside_git_is_a_clear_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    (plain / "clauses").mkdir(parents=True)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(UsageError) as exc:
        open_repo(plain)
    assert exc.value.diagnostics[0].rule == "not-a-repository"


def test_option_like_revision_never_reaches_git(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    target = tmp_path / "pwned"
    with pytest.raises(UsageError), snapshot(root, f"--output={target}"):
        pass
    assert not target.exists()
    assert git(top, "status", "--porcelain") == ""
