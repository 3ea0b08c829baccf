"""Read the library as it was at any git revision, without touching the work tree or the index.

Revisions come from pull requests and command lines, so they are hostile input: a revision such
as ``--output=/tmp/x`` would be read by git as an option. Every revision is checked against a
small safe alphabet, may not start with '-', and is passed after ``--end-of-options``. git runs
with ``shell=False``, optional locks off (so not even ``git status``-style index refreshes
happen) and no pager, prompt or external diff. Blobs are read with ``git cat-file --batch``
into a fresh temporary folder; symbolic links, submodules and paths that would leave the folder
are refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ContentError, Diagnostic, UsageError
from ..gitenv import git_environment

# Branch names, tags, hashes and the ~ ^ @{} suffixes; nothing a shell or git option parser
# could read as syntax, no ':' (that would name a path) and no whitespace.
_SAFE_REV = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/~^@{}+-]*$")
_MAX_REV = 200
# The parts of a repository that make up a library (anything else is never read).
LIBRARY_PARTS = ("clauses", "playbooks", "deals", "schemas", "styles", "outputs")
LIBRARY_FILES = ("clausebook.toml", "pyproject.toml")
_MAX_BLOB = 8 * 1024 * 1024
_MAX_FILES = 20_000
_SAFE_PART = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9 _.,+=@()&'-]*$")


def _refuse(rev: str, why: str) -> UsageError:
    shown = rev if len(rev) <= 60 else rev[:57] + "..."
    return UsageError([Diagnostic(shown or "(empty)", 1, 1, "bad-revision", why)])


def check_revision(rev: str) -> str:
    """``rev`` if it is a plain revision name; a UsageError (exit 2) naming the problem if not."""
    if not rev:
        return _raise(_refuse(rev, "an empty git revision is not allowed"))
    if rev.startswith("-"):
        return _raise(
            _refuse(
                rev,
                f"git revision {rev!r} is refused: a revision may not start with '-' "
                "(it would be read as a git option)",
            )
        )
    if len(rev) > _MAX_REV:
        return _raise(_refuse(rev, f"git revision is longer than {_MAX_REV} characters"))
    bad = sorted({ch for ch in rev if not re.match(r"[A-Za-z0-9._/~^@{}+-]", ch)})
    what = [" ".join(repr(ch) for ch in bad)] if bad else []
    if ".." in rev:
        what.append("'..' (a range, not one revision)")
    if "@{-" in rev:
        what.append("'@{-N}' (depends on the checkout history)")
    if what or not _SAFE_REV.match(rev):
        return _raise(
            _refuse(
                rev,
                f"git revision {rev!r} is refused: it contains {', '.join(what) or 'a character not allowed first'}; "
                "use a branch, tag or commit hash (letters, digits and . _ / ~ ^ @ { } + -)",
            )
        )
    return rev


def _raise(exc: UsageError) -> str:
    raise exc


def _env() -> dict[str, str]:
    return git_environment()


def git(repo: Path, args: Sequence[str], stdin: bytes | None = None, timeout: float = 60) -> bytes:
    """Run ``git -C repo ARGS`` with no shell; a UsageError carrying git's message on failure."""
    cmd = ["git", "-C", str(repo), "-c", "core.fsmonitor=false", "-c", "core.quotepath=off", *args]
    try:
        proc = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=_env(),
            shell=False,
        )
    except FileNotFoundError:
        raise UsageError(
            [Diagnostic(str(repo), 1, 1, "git", "git is not installed or not on PATH")]
        ) from None
    except subprocess.TimeoutExpired:
        raise UsageError(
            [Diagnostic(str(repo), 1, 1, "git", f"git {args[0]} took longer than {timeout:g} s")]
        ) from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(
            [Diagnostic(str(repo), 1, 1, "git", (msg[-1] if msg else f"git {args[0]} failed"))]
        )
    return proc.stdout


@dataclass(frozen=True)
class Repo:
    """A library inside a git work tree: the top folder and the library's path within it."""

    top: Path
    prefix: str  # "" when the library is the repository root, else "lib/" style

    def resolve(self, rev: str) -> str:
        """The full commit hash ``rev`` names; exit 2 with a clear message if it names none."""
        check_revision(rev)
        try:
            out = git(
                self.top,
                ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
            )
        except UsageError:
            raise _refuse(rev, f"git revision {rev!r} names no commit in {self.top}") from None
        sha = out.decode("ascii", "replace").strip()
        if not re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", sha):
            raise _refuse(rev, f"git revision {rev!r} names no commit in {self.top}")
        return sha

    def commit_time(self, sha: str) -> int:
        out = git(self.top, ["show", "-s", "--format=%ct", "--end-of-options", sha])
        text = out.decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else 0

    def short(self, sha: str) -> str:
        return sha[:10]


def committed_version(path: Path) -> bytes | None:
    """The bytes of ``path`` at HEAD of the repository holding it; None if it has none."""
    try:
        return git(path.parent, ["cat-file", "blob", "--end-of-options", f"HEAD:./{path.name}"])
    except (UsageError, OSError):
        return None


def open_repo(library: Path) -> Repo:
    """The git repository holding ``library``; a UsageError if it is not inside one."""
    try:
        top = git(library, ["rev-parse", "--show-toplevel"]).decode("utf-8").strip()
        prefix = git(library, ["rev-parse", "--show-prefix"]).decode("utf-8").strip()
    except UsageError:
        raise UsageError(
            [
                Diagnostic(
                    str(library),
                    1,
                    1,
                    "not-a-repository",
                    "the library is not inside a git repository, so revisions cannot be read",
                )
            ]
        ) from None
    return Repo(Path(top), prefix)


@dataclass(frozen=True)
class _Entry:
    mode: str
    kind: str
    sha: str
    size: int
    path: str  # relative to the library root


def _entries(repo: Repo, sha: str) -> list[_Entry]:
    out = git(repo.top, ["ls-tree", "-r", "-l", "-z", "--full-tree", "--end-of-options", sha])
    entries: list[_Entry] = []
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, _, raw_path = rec.partition(b"\t")
        fields = meta.decode("ascii", "replace").split()
        if len(fields) != 4:
            continue
        mode, kind, obj, size = fields
        path = raw_path.decode("utf-8", "surrogateescape")
        if repo.prefix:
            if not path.startswith(repo.prefix):
                continue
            path = path[len(repo.prefix) :]
        top = path.split("/", 1)[0]
        if top not in LIBRARY_PARTS and path not in LIBRARY_FILES:
            continue
        entries.append(_Entry(mode, kind, obj, int(size) if size.isdigit() else 0, path))
    return entries


def safe_relpath(path: str) -> PurePosixPath | None:
    p = PurePosixPath(path)
    if p.is_absolute() or not p.parts:
        return None
    if any(part in ("", ".", "..") or not _SAFE_PART.match(part) for part in p.parts):
        return None
    return p


def materialise(repo: Repo, sha: str, dest: Path) -> None:
    """Write the library files of commit ``sha`` into the empty folder ``dest``."""
    problems: list[Diagnostic] = []
    wanted: list[tuple[_Entry, PurePosixPath]] = []
    for e in _entries(repo, sha):
        where = f"{e.path} (at {sha[:10]})"
        if e.mode == "120000":
            problems.append(
                Diagnostic(where, 1, 1, "symlink", "symbolic links in the library are refused")
            )
            continue
        if e.kind != "blob":
            continue  # submodules are not library content
        rel = safe_relpath(e.path)
        if rel is None:
            problems.append(Diagnostic(where, 1, 1, "file-name", "unsafe path in the repository"))
            continue
        if e.size > _MAX_BLOB:
            problems.append(
                Diagnostic(where, 1, 1, "file-too-large", f"file is {e.size} bytes; refused")
            )
            continue
        if e.path.startswith("outputs/") and not e.path.endswith(".md"):
            continue  # only the committed Markdown drafts are ever compared
        wanted.append((e, rel))
    if len(wanted) > _MAX_FILES:
        problems.append(
            Diagnostic(sha[:10], 1, 1, "too-large", f"more than {_MAX_FILES} library files")
        )
    if problems:
        raise ContentError(problems)
    if not wanted:
        return
    batch = "".join(f"{e.sha}\n" for e, _ in wanted).encode("ascii")
    out = git(repo.top, ["cat-file", "--batch"], stdin=batch, timeout=120)
    pos = 0
    root = dest.resolve()
    for e, rel in wanted:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].decode("ascii", "replace").split()
        if len(header) != 3 or header[0] != e.sha or header[1] != "blob":
            raise ContentError(
                [Diagnostic(e.path, 1, 1, "git", "git returned an unexpected object")]
            )
        size = int(header[2])
        data = out[nl + 1 : nl + 1 + size]
        pos = nl + 1 + size + 1  # the blob is followed by a newline
        target = root.joinpath(*rel.parts)
        if not target.resolve().is_relative_to(root):
            raise ContentError([Diagnostic(e.path, 1, 1, "file-name", "unsafe path; refused")])
        target.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL and O_NOFOLLOW: a file is only ever created, never written through a link.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)


@dataclass(frozen=True)
class Snapshot:
    """A library as it was at one revision, materialised in a temporary folder."""

    rev: str  # as the user wrote it
    sha: str
    root: Path
    time: int  # commit time, seconds since the epoch

    @property
    def label(self) -> str:
        return (
            f"{self.rev} ({self.sha[:10]})" if not self.sha.startswith(self.rev) else self.sha[:10]
        )


@contextlib.contextmanager
def snapshot(library: Path, rev: str, repo: Repo | None = None) -> Iterator[Snapshot]:
    """The library at ``rev`` in a temporary folder that is removed afterwards."""
    check_revision(rev)
    repo = repo or open_repo(library)
    sha = repo.resolve(rev)
    tmp = Path(tempfile.mkdtemp(prefix="clausebook-rev-"))
    try:
        lib = tmp / "lib"
        lib.mkdir()
        materialise(repo, sha, lib)
        if not (lib / "clauses").is_dir():
            raise UsageError(
                [
                    Diagnostic(
                        rev,
                        1,
                        1,
                        "not-a-library",
                        f"at {rev} ({sha[:10]}) the library has no clauses/ folder",
                    )
                ]
            )
        yield Snapshot(rev, sha, lib, repo.commit_time(sha))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
