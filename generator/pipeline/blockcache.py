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
from .kept import Kept, code_key

Key = tuple[bytes, tuple[tuple[str, str], ...]]
Parse = Callable[[str, Mapping[str, str]], list[Block]]


@lru_cache(maxsize=1)
def engine_key() -> str:
    """sha256 of the code whose output is cached: this parser, the model, markdown-it."""
    here = Path(__file__).resolve().parent
    files = [here / "render.py", here.parent / "model.py", Path(__file__)]
    spec = find_spec("markdown_it")
    if spec is not None and spec.origin:  # its __init__ names its version
        files.append(Path(spec.origin))
    return code_key(files)


class BlockCache:
    """Blocks by rendered text; each entry unpickled only when a draft uses it."""

    def __init__(self) -> None:
        self._kept = Kept("blocks", engine_key())

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
        raw = self._kept.get(key)
        if raw is None:
            blocks = parse(text, numbers)
            self._kept.put(key, pickle.dumps(tuple(blocks), protocol=pickle.HIGHEST_PROTOCOL))
            return blocks
        found: tuple[Block, ...] = pickle.loads(raw)
        return list(found)

    def flush(self) -> None:
        self._kept.flush()


_SHARED = BlockCache()


def shared() -> BlockCache:
    return _SHARED
