"""The commit a library's work tree is at, read from `.git` without starting git.

A draft records its library's HEAD commit (manifest and Word properties). Starting
`git rev-parse` for that cost a few milliseconds of every draft; the answer is in two small
files. Anything this reader does not know for certain (reftable, an
unborn branch, odd contents) is handed to git itself, so the answer is always git's.
"""

from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from pathlib import Path

from .gitenv import git_environment

_SHA1 = re.compile(r"[0-9a-f]{40}")


@lru_cache(maxsize=8)
def head_commit(root: str) -> str | None:
    """The HEAD commit of the git work tree holding `root`, or None outside one."""
    # GIT_DIR and the rest are ignored, here as in every git command Clausebook runs
    # (gitenv.py): the commit recorded is always that of the repository holding the library.
    try:
        return _read_head(Path(root))
    except (_AskGit, OSError, UnicodeDecodeError):
        return _ask_git(root)


class _AskGit(Exception):
    """The files say something this reader does not resolve for certain."""


def _ask_git(root: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", root, "rev-parse", "--verify", "--quiet", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env=git_environment(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


def _git_dir(root: Path) -> Path | None:
    """The git directory of the work tree holding `root`; None when there is none."""
    for d in (root, *root.parents):
        dot = d / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a linked work tree or submodule: "gitdir: <path>"
            text = dot.read_text("utf-8").strip()
            if not text.startswith("gitdir: "):
                raise _AskGit
            return (d / text[len("gitdir: ") :]).resolve()
    return None


def _read_head(root: Path) -> str | None:
    """HEAD resolved by reading files; None outside a work tree; _AskGit when unsure."""
    gd = _git_dir(root)
    if gd is None:
        return None
    if (gd / "reftable").exists():
        raise _AskGit
    common = gd
    if (gd / "commondir").is_file():
        common = (gd / (gd / "commondir").read_text("utf-8").strip()).resolve()
    head = (gd / "HEAD").read_text("utf-8").strip()
    if _SHA1.fullmatch(head):
        return head
    if not head.startswith("ref: refs/"):
        raise _AskGit
    ref = head[len("ref: ") :]
    # Per-work-tree refs live in the work tree's own directory; branches in the common one.
    for base in (gd, common) if ref.startswith(("refs/bisect/", "refs/worktree/")) else (common,):
        loose = base / ref
        if loose.is_file():
            value = loose.read_text("utf-8").strip()
            if not _SHA1.fullmatch(value):
                raise _AskGit
            return value
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text("utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and _SHA1.fullmatch(sha):
                return sha
    raise _AskGit  # an unborn branch, or a ref stored some other way: git decides
