"""Stage 1 — load YAML safely: read a file, parse it (pipeline/yamlparse.py), keep a deal's parse.

A deal file is parsed on every draft, and PyYAML's import (about 10 ms) was a fixed cost of
every warm draft: a deal parsed before (the same bytes, name and limits, by the same engine
code: the cache's salt) is served from the cache instead. Only a successful parse is kept.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ContentError, Diagnostic
from ..limits import Limits, current_limits
from ..source import SourceFile


def parse_yaml(
    text: str | bytes, path: str, limits: Limits | None = None, keep: bool = False
) -> SourceFile:
    """Parse one YAML document; raise ContentError listing every problem in it.

    ``keep``: serve and keep the result in the cache (a deal file; library files are kept
    as a whole validated library instead).
    """
    limits = limits or current_limits()
    if not keep:
        from .yamlparse import parse_yaml as parse

        return parse(text, path, limits)
    return _kept(text.encode("utf-8") if isinstance(text, str) else text, path, limits)


def _kept(raw: bytes, path: str, limits: Limits) -> SourceFile:
    import hashlib

    from .. import cache

    key = f"{hashlib.sha256(raw).hexdigest()}|{path}|{limits!r}"
    found = cache.load("parsed", key)
    if isinstance(found, SourceFile):
        return found
    from .yamlparse import parse_yaml as parse

    src = parse(raw, path, limits)
    cache.store("parsed", key, src)
    return src


def depth_problem(text: str, path: str, max_depth: int) -> Diagnostic | None:
    """See yamlparse.depth_problem."""
    from .yamlparse import depth_problem as problem

    return problem(text, path, max_depth)


def read_yaml(
    path: Path,
    display: str,
    limits: Limits | None = None,
    data: bytes | None = None,
    keep: bool = False,
) -> SourceFile:
    """Read a file from disk, refusing symlinks and anything that is not a regular file.

    ``data``: the file's bytes, already read by :func:`read_plain` (the cache hashes them), so
    the text parsed is the text hashed even if the file changes meanwhile. ``keep``: see
    :func:`parse_yaml`.
    """
    limits = limits or current_limits()
    if data is None:
        data = read_plain(path, display, limits)
    return parse_yaml(data, display, limits, keep)


def read_plain(path: Path, display: str, limits: Limits | None = None) -> bytes:
    """The bytes of a regular file, opened without following a symbolic link and without
    blocking on a FIFO, at most the size limit; ContentError otherwise."""
    import os
    import stat

    limits = limits or current_limits()

    def refuse(rule: str, message: str) -> ContentError:
        return ContentError([Diagnostic(display, 1, 1, rule, message)])

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            raise refuse("symlink", "symbolic links are not followed")
        if not stat.S_ISREG(st.st_mode):
            raise refuse("not-a-file", "not a regular file")
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise refuse("missing-file", "file not found") from None
    except OSError as exc:
        if getattr(exc, "errno", None) == getattr(__import__("errno"), "ELOOP", -1):
            raise refuse("symlink", "symbolic links are not followed") from None
        raise refuse("unreadable", f"cannot read the file ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())  # what was opened, not what the name pointed at before
        if not stat.S_ISREG(st.st_mode):
            raise refuse("not-a-file", "not a regular file")
        if st.st_size > limits.max_bytes:
            message = f"file is {st.st_size} bytes; the limit is {limits.max_bytes}"
            raise refuse("file-too-large", message)
        try:
            data = fh.read(limits.max_bytes + 1)
        except OSError as exc:
            raise refuse("unreadable", f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > limits.max_bytes:  # grew after fstat
        raise refuse("file-too-large", f"file is over {limits.max_bytes} bytes, the limit")
    return data
