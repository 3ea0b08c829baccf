"""Results of a pure pipeline step, kept between runs in the per-user cache (generator/cache.py).

One cache entry per kind of result, keyed by the code that makes it (a changed engine never
serves results it did not make); inside it, each result under the hash of its inputs, as bytes,
so loading the entry costs bytes, not objects. The entries a draft used are stored again with the
most recent others, up to a bound, so the entry does not grow without end.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .. import cache

# Entries kept besides those the last draft used: enough for a library's sample deals, small
# enough that loading the entry stays a few milliseconds.
KEEP = 4000


def code_key(files: Iterable[Path]) -> str:
    """sha256 over the bytes of the source files whose behaviour the kept results depend on."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


class Kept:
    """One process's view of one kind of kept results; `flush` writes back what was new."""

    def __init__(self, kind: str, engine: str) -> None:
        self.kind = kind
        self.engine = engine
        self._stored: dict[object, bytes] | None = None
        self._used: dict[object, bytes] = {}
        self._new = False

    def _load(self) -> dict[object, bytes]:
        if self._stored is None:
            hit = cache.load(self.kind, self.engine)
            self._stored = hit if isinstance(hit, dict) else {}
        return self._stored

    def get(self, key: object) -> bytes | None:
        raw = self._used.get(key)
        if raw is None:
            raw = self._load().get(key)
        if raw is not None:
            self._used[key] = raw
        return raw

    def put(self, key: object, raw: bytes) -> None:
        self._used[key] = raw
        self._new = True

    def flush(self) -> None:
        """Store this draft's results, then the most recent others up to KEEP entries."""
        if self._new:
            stored = self._load()
            others = [k for k in reversed(stored) if k not in self._used][:KEEP]  # newest first
            merged = {k: stored[k] for k in reversed(others)}  # oldest first, this draft last
            merged.update(self._used)
            cache.store(self.kind, self.engine, merged)
            self._stored = merged
        self._used = {}  # a long batch must not hold every draft's results
        self._new = False
