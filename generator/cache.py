"""A per-user cache of validated libraries and compiled templates, keyed by content hashes.

A draft should not re-read, re-validate and re-compile a hundred clause files that have not
changed. The cache lives in the user's cache folder (never inside a library repository, where a
pull request could plant a file), is keyed by the sha256 of every library file plus the engine
itself (the hash of its code, schemas and data files, so an edited or reinstalled engine never
reuses an entry made by another, whatever its version string says) and the versions of Python
and Jinja, and is only ever written for a library that validated cleanly.
Set CLAUSEBOOK_NO_CACHE=1 to bypass it, CLAUSEBOOK_CACHE_DIR to move it.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__


def enabled() -> bool:
    return not os.environ.get("CLAUSEBOOK_NO_CACHE")


def cache_dir() -> Path:
    explicit = os.environ.get("CLAUSEBOOK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clausebook"


@cache
def engine_digest() -> str:
    """sha256 of the engine's own files: its code, packaged schemas and data (~1.5 ms, once)."""
    return tree_digest(Path(__file__).resolve().parent)


def tree_digest(package: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package).as_posix()
        wanted = path.suffix == ".py" or rel.startswith(("schemas/", "data/"))
        if wanted and path.is_file() and not rel.startswith("scaffold/template/"):
            h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _salt() -> bytes:
    import jinja2

    from .limits import current_limits

    # A library validated under other limits, or templates compiled by another Jinja or Python,
    # must not be reused.
    return (
        f"{__version__}|{engine_digest()}|{sys.version}|{jinja2.__version__}|{current_limits()}"
    ).encode()


def library_key(files: list[tuple[str, bytes]], salt: str = "") -> str:
    """The key of a library's content; ``salt`` names what else the caller's result depends on
    (the sandbox revision, for a validated library)."""
    h = hashlib.sha256(_salt() + salt.encode())
    for name, data in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _path(kind: str, key: str) -> Path:
    salted = hashlib.sha256(_salt() + key.encode()).hexdigest()
    return cache_dir() / f"{kind}-{salted}.bin"


def _private(folder: Path) -> bool:
    """Entries are unpickled, so only a folder no one else can write to is trusted."""
    if not hasattr(os, "getuid"):  # Windows: the per-user profile folder is private already
        return True
    try:
        st = folder.stat()
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


_CODE = ("templates", "validators")  # entries of compiled code, kept with marshal


def load(kind: str, key: str) -> Any | None:
    if not enabled() or not _private(cache_dir()):
        return None
    try:
        data = _path(kind, key).read_bytes()
    except OSError:
        return None
    try:
        if kind in _CODE:
            return {k: marshal.loads(v) for k, v in pickle.loads(data).items()}
        return pickle.loads(data)
    except Exception:  # a stale or damaged cache entry is simply ignored
        return None


_warned = False


def store(kind: str, key: str, value: Any) -> None:
    """Write an entry; a cache that cannot be written is skipped with one warning per run."""
    if not enabled():
        return
    folder = cache_dir()
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if kind in _CODE:
            value = {k: marshal.dumps(v) for k, v in value.items()}
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, _path(kind, key))
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _warn(folder, exc)


def _warn(folder: Path, exc: OSError) -> None:
    global _warned
    if _warned:
        return
    _warned = True
    reason = exc.strerror or type(exc).__name__
    print(
        f"clausebook: warning: the cache folder {ascii(str(folder))[1:-1]} cannot be written "
        f"({reason}); continuing without the cache",
        file=sys.stderr,
    )
