"""Parsed blocks of rendered clause text, kept between runs: a warm draft needs no Markdown parser.

`parse_blocks` (markdown-it, then paragraphs, list items and tables) is a pure function of the
rendered text and of the numbers of the clauses that text cross-refers to. Its results are kept
in the per-user cache (generator/cache.py) under one entry, keyed by this engine's own code (the
modules that parse and the model they build, and markdown-it's version): a changed parser never
serves blocks it did not make. Inside the entry, a text is found by its sha256 and the numbers of
its references, so a clause whose text or references changed is parsed again, and only that one.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from .. import cache
from ..model import Block

# Entries kept besides those the last draft used: enough for a library's sample deals, small
# enough that loading the entry stays a few milliseconds.
KEEP = 4000

Key = tuple[bytes, tuple[tuple[str, str], ...]]
Parse = Callable[[str, Mapping[str, str]], list[Block]]


@lru_cache(maxsize=1)
def engine_key() -> str:
    """sha256 of the code whose output is cached: this parser, the model, markdown-it."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in (here / "render.py", here.parent / "model.py", Path(__file__)):
        h.update(f.read_bytes())
    spec = find_spec("markdown_it")
    if spec is not None and spec.origin:  # its __init__ names its version
        h.update(Path(spec.origin).read_bytes())
    return h.hexdigest()


class BlockCache:
    """One process's view of the stored blocks; `flush` writes them back if anything was new."""

    def __init__(self) -> None:
        # Each entry pickled on its own: loading the cache costs bytes, not objects, and only
        # the texts a draft uses are unpickled (a whole-cache unpickle cost what parsing did).
        self._stored: dict[Key, bytes] | None = None
        self._used: dict[Key, bytes] = {}
        self._new = False

    def _load(self) -> dict[Key, bytes]:
        if self._stored is None:
            hit = cache.load("blocks", engine_key())
            self._stored = hit if isinstance(hit, dict) else {}
        return self._stored

    def blocks(
        self, text: str, numbers: Mapping[str, str], parse: Parse, refs: list[str]
    ) -> list[Block]:
        """`parse(text, numbers)`, from the cache when this text was parsed before."""
        if not cache.enabled() or any(r not in numbers for r in refs):
            return parse(text, numbers)  # (a reference with no number fails in parse, as ever)
        key: Key = (
            hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(),
            tuple(sorted((r, numbers[r]) for r in set(refs))),
        )
        raw = self._used.get(key)
        if raw is None:
            raw = self._load().get(key)
        if raw is None:
            blocks = parse(text, numbers)
            self._used[key] = pickle.dumps(tuple(blocks), protocol=pickle.HIGHEST_PROTOCOL)
            self._new = True
            return blocks
        self._used[key] = raw
        found: tuple[Block, ...] = pickle.loads(raw)
        return list(found)

    def flush(self) -> None:
        """Store this draft's blocks, then the most recent others up to KEEP entries."""
        if not self._new:
            self._used = {}  # a long batch must not hold every draft's blocks
            return
        stored = self._load()
        others = [k for k in reversed(stored) if k not in self._used][:KEEP]  # newest first
        merged = {k: stored[k] for k in reversed(others)}  # stored oldest first, this run last
        merged.update(self._used)
        cache.store("blocks", engine_key(), merged)
        self._stored = merged
        self._used = {}
        self._new = False


_SHARED = BlockCache()


def shared() -> BlockCache:
    return _SHARED
