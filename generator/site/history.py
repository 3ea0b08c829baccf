"""Each clause's history from git: every commit that changed its file, with the date, the
commit, its subject and a word-level redline of each variant's text against the version before.

Two git processes for the whole library, whatever its size: one `git log` naming the files each
commit touched, one `git cat-file --batch` for every version of every clause file. An old
version is read leniently (a file that no longer parses is shown as such, not an error): the
history is a record, not a check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentError, UsageError
from ..model import Library
from ..pipeline.load import parse_yaml
from ..review.gitrev import Repo, git, open_repo
from .diff import site_ops

MAX_VERSIONS = 30  # per clause: the page stays readable, the build fast


@dataclass(frozen=True)
class Change:
    variant: str
    kind: str  # "added" | "removed" | "changed"
    ops: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Version:
    sha: str
    date: str  # YYYY-MM-DD, UTC
    subject: str
    version: str  # the clause's `version` field at that commit
    changes: tuple[Change, ...]  # against the version before (empty for the first)
    unreadable: bool = False


@dataclass(frozen=True)
class _Commit:
    sha: str
    time: int
    subject: str
    files: tuple[str, ...]


def _log(repo: Repo, sha: str) -> list[_Commit]:
    fmt = "%x00%H%x1f%ct%x1f%s"
    raw = git(
        repo.top,
        [
            "log",
            f"--format={fmt}",
            "--name-only",
            "--no-renames",
            sha,
            "--",
            f"{repo.prefix}clauses/",
        ],
    )
    commits = []
    for record in raw.decode("utf-8", "replace").split("\0")[1:]:
        head, _, rest = record.partition("\n")
        parts = head.split("\x1f")
        if len(parts) != 3 or not parts[1].isdigit():
            continue
        files = tuple(f for f in rest.splitlines() if f.strip())
        commits.append(_Commit(parts[0], int(parts[1]), parts[2], files))
    return commits


def _blobs(repo: Repo, wanted: Sequence[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
    """(commit, path) -> the file's bytes at that commit (None: deleted there)."""
    if not wanted:
        return {}
    request = "".join(f"{sha}:{path}\n" for sha, path in wanted).encode("utf-8")
    out = git(repo.top, ["cat-file", "--batch"], stdin=request, timeout=120)
    result: dict[tuple[str, str], bytes | None] = {}
    pos = 0
    for key in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            result[key] = out[pos : pos + size]
            pos += size + 1
        else:
            result[key] = None  # "missing": the commit deleted the file
    return result


def _variants(data: bytes | None, path: str) -> tuple[str, dict[str, str]] | None:
    if data is None:
        return None
    try:
        doc: Any = parse_yaml(data, path).data
    except ContentError:
        return None
    if not isinstance(doc, dict):
        return None
    texts = {
        str(v.get("id")): str(v.get("text", ""))
        for v in doc.get("variants") or []
        if isinstance(v, dict)
    }
    return str(doc.get("version", "")), texts


def _changes(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[Change, ...]:
    out = []
    for vid, text in new.items():
        if vid not in old:
            out.append(Change(vid, "added", (("+", text),)))
        elif old[vid] != text:
            out.append(Change(vid, "changed", site_ops(old[vid], text)))
    out.extend(
        Change(vid, "removed", (("-", text),)) for vid, text in old.items() if vid not in new
    )
    return tuple(out)


def histories(root: Path, sha: str, lib: Library) -> dict[str, tuple[Version, ...]]:
    """clause id -> its versions, newest first; empty when the library is not in git."""
    try:
        repo = open_repo(root)
        commits = _log(repo, sha)
    except UsageError:
        return {}
    by_path = {f"{repo.prefix}{c.source.path}": cid for cid, c in lib.clauses.items()}
    touched: dict[str, list[_Commit]] = {}
    for commit in commits:
        for f in commit.files:
            if f in by_path and len(touched.setdefault(f, [])) <= MAX_VERSIONS:
                touched[f].append(commit)
    wanted = sorted({(c.sha, f) for f, cs in touched.items() for c in cs})
    blobs = _blobs(repo, wanted)
    out: dict[str, tuple[Version, ...]] = {}
    for f, cs in touched.items():
        versions = []
        oldest_first = list(reversed(cs))
        previous: dict[str, str] | None = None
        for i, c in enumerate(oldest_first):
            read = _variants(blobs.get((c.sha, f)), f)
            if read is None:
                versions.append(_version(c, "", (), unreadable=True))
                continue
            number, texts = read
            # The oldest shown commit of a long history is a baseline, not an addition.
            changes = () if previous is None and i == 0 else _changes(previous or {}, texts)
            versions.append(_version(c, number, changes))
            previous = texts
        out[by_path[f]] = tuple(reversed(versions[-MAX_VERSIONS:]))
    return out


def _version(
    c: _Commit, number: str, changes: tuple[Change, ...], unreadable: bool = False
) -> Version:
    when = dt.datetime.fromtimestamp(c.time, dt.UTC).date().isoformat()
    return Version(c.sha, when, c.subject, number, changes, unreadable)
