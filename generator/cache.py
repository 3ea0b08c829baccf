"""A per-user cache of validated libraries and compiled templates, keyed by content hashes.

A draft should not re-read, re-validate and re-compile a hundred clause files that have not
changed. The cache lives in the user's cache folder (never inside a library repository, where a
pull request could plant a file), is keyed by the sha256 of every library file plus the versions
of Clausebook, Python and Jinja, and is only ever written for a library that validated cleanly.
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


def _salt() -> bytes:
    import jinja2

    return f"{__version__}|{sys.version}|{jinja2.__version__}".encode()


def library_key(files: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256(_salt())
    for name, data in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _path(kind: str, key: str) -> Path:
    return cache_dir() / f"{kind}-{key}.bin"


def load(kind: str, key: str) -> Any | None:
    if not enabled():
        return None
    try:
        data = _path(kind, key).read_bytes()
    except OSError:
        return None
    try:
        if kind == "templates":
            return {k: marshal.loads(v) for k, v in pickle.loads(data).items()}
        return pickle.loads(data)
    except Exception:  # a stale or damaged cache entry is simply ignored
        return None


def store(kind: str, key: str, value: Any) -> None:
    if not enabled():
        return
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if kind == "templates":
            value = {k: marshal.dumps(v) for k, v in value.items()}
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, _path(kind, key))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
