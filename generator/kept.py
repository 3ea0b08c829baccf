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

from . import cache

# Entries kept besides those the last draft used: enough for a library's sample deals, small
# enough that loading the entry stays a few milliseconds.
KEEP = 4000
# A result larger than this is not kept (a hostile template may render up to the output limit),
# and the others are kept only while the whole entry stays under MAX_BYTES.
MAX_RESULT = 256 * 1024
MAX_BYTES = 32 * 1024 * 1024


def code_key(files: Iterable[Path]) -> str:
    """sha256 over the bytes of the source files whose behaviour the kept results depend on;
    "" when one cannot be read (an installation without sources): then nothing is kept."""
    h = hashlib.sha256()
    try:
        for f in files:
            h.update(f.read_bytes())
    except OSError:
        return ""
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
        if not self.engine:
            self._stored = {}
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
        if len(raw) > MAX_RESULT:
            return
        self._used[key] = raw
        self._new = True

    def flush(self) -> None:
        """Store this draft's results, then the most recent others up to KEEP entries."""
        if self._new and self.engine:
            stored = self._load()
            size = sum(len(v) for v in self._used.values())
            others: list[object] = []
            for k in reversed(stored):  # newest first
                if len(others) >= KEEP or size + len(stored[k]) > MAX_BYTES:
                    break
                if k not in self._used:
                    others.append(k)
                    size += len(stored[k])
            merged = {k: stored[k] for k in reversed(others)}  # oldest first, this draft last
            merged.update(self._used)
            cache.store(self.kind, self.engine, merged)
            self._stored = merged
        self._used = {}  # a long batch must not hold every draft's results
        self._new = False
