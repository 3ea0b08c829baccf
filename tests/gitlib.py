"""A throwaway git repository holding a copy of the small test library, for diff and redline."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import MINILIB

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_AUTHOR_DATE": "2027-01-02T10:00:00Z",
    "GIT_COMMITTER_DATE": "2027-01-02T10:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
    "GIT_OPTIONAL_LOCKS": "0",
}


def git(repo: Path, *args: str) -> str:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    out = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout


def library_repo(tmp_path: Path, subfolder: str = "lib") -> tuple[Path, Path]:
    """(repository top, library root) with the small library committed once as 'base'."""
    top = tmp_path / "repo"
    root = top / subfolder if subfolder else top
    shutil.copytree(MINILIB, root)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "base")
    git(top, "tag", "base")
    return top, root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def commit(top: Path, message: str = "head") -> str:
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", message)
    return git(top, "rev-parse", "HEAD").strip()


def state(top: Path) -> tuple[str, bytes]:
    """git status and the raw index: both must be untouched by a read-only command."""
    return git(top, "status", "--porcelain", "--untracked-files=all"), (
        top / ".git" / "index"
    ).read_bytes()
