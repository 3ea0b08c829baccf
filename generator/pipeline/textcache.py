"""Rendered clause text kept between runs: an unchanged draft runs no template, and an edited
deal runs only the templates that read what changed.

A template's output is a pure function of its source, the clause's parameter values, the deal
fields it reads, the numbers of the clauses in the draft (what `ref` and `has` answer) and the
render limits: all of them go into the key, and the engine's own code (the template environment,
its filters and sandbox, Jinja's version) names the cache entry. The deal fields a template
reads are found in its syntax tree (static chains such as `deal.pricing.model`); a template that
uses `deal` any other way is keyed on the whole deal. Only successful renders are kept; a
failure is rendered again, so its message and line are always current.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .. import cache
from ..kept import Kept, code_key
from ..limits import RenderLimits


@lru_cache(maxsize=1)
def engine_key() -> str:
    """sha256 of the code that renders: environment, filters, sandbox, limits, Jinja."""
    here = Path(__file__).resolve().parent
    names = (
        "templates.py",
        "sandbox.py",
        "words.py",
        "rendered.py",  # what rendered text may contain: checked before a text is kept
        "render.py",
        "textcache.py",
    )
    files = [here / n for n in names] + [here.parent / "limits.py", here.parent / "kept.py"]
    spec = find_spec("jinja2")
    if spec is not None and spec.origin:  # its __init__ names its version
        files.append(Path(spec.origin))
    return code_key(files)


# Deal fields the environment's own filters read through the template context (templates.py:
# `money` the currency, `longdate` the governing law). tests/pipeline/test_textcache.py fails
# when a filter that takes the context is added, so that this list is kept true.
CONTEXT_READS: tuple[tuple[str, ...], ...] = (("pricing",), ("governing_law",))
# A chain ending in one of these may call a method of the deal's dict: keyed on the whole deal.
_DICT_ATTRS = frozenset(dir(dict))
_MISSING = "\ue000missing"  # a path the deal does not have (private use: never in YAML input)


@dataclass(frozen=True)
class Context:
    """What every template of one draft sees besides its own parameters."""

    deal: Mapping[str, Any]
    base: bytes  # digest of the clause numbers and the limits
    whole: bytes  # digest of those and the whole deal


def context(
    deal: Mapping[str, Any], numbers: Mapping[str, str], limits: RenderLimits
) -> Context | None:
    try:
        base = pickle.dumps((sorted(numbers.items()), limits), pickle.HIGHEST_PROTOCOL)
        whole = pickle.dumps(deal, pickle.HIGHEST_PROTOCOL)
    except Exception:  # something unpicklable: render without the cache
        return None
    return Context(
        deal, hashlib.sha256(base).digest(), hashlib.sha256(base + b"\0" + whole).digest()
    )


def deal_reads(source: str) -> tuple[tuple[str, ...], ...] | None:
    """The deal fields `source` reads, or None when it may read the deal some other way."""
    from jinja2 import nodes

    from .templates import deal_chains, shared_env

    try:
        ast = shared_env().parse(source)
    except Exception:  # a template that does not parse is rendered, and fails, every time
        return None
    roots: set[int] = set()
    chains: set[tuple[str, ...]] = set()
    for chain, name, _ in deal_chains(ast):
        if any(step in _DICT_ATTRS for step in chain):
            return None
        roots.add(id(name))
        chains.add(chain)
    uses = [n for n in ast.find_all(nodes.Name) if n.name == "deal"]
    if any(id(n) not in roots for n in uses):  # the whole deal, a computed key, `set deal`
        return None
    return tuple(sorted(chains | set(CONTEXT_READS)))


def _value_at(deal: Mapping[str, Any], path: tuple[str, ...]) -> object:
    """The value at the longest prefix of `path` that is a chain of dict keys."""
    cur: object = deal
    for step in path:
        if not isinstance(cur, dict):
            return cur  # an attribute of a list or a string: its whole value decides
        if step not in cur:
            return _MISSING
        cur = cur[step]
    return cur


class TextCache:
    def __init__(self) -> None:
        self._texts = Kept("texts", engine_key())
        self._reads = Kept("reads", engine_key())

    def _reads_of(self, source: str) -> tuple[tuple[str, ...], ...] | None:
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).digest()
        raw = self._reads.get(key)
        if raw is None:
            found = deal_reads(source)
            raw = pickle.dumps(found, pickle.HIGHEST_PROTOCOL)
            self._reads.put(key, raw)
            return found
        reads: tuple[tuple[str, ...], ...] | None = pickle.loads(raw)
        return reads

    def text(
        self,
        source: str,
        params: Mapping[str, Any],
        ctx: Context | None,
        render: Callable[[], str],
    ) -> str:
        """`render()`, or what it returned before for the same template and inputs."""
        if ctx is None or not cache.enabled():
            return render()
        reads = self._reads_of(source)
        try:
            own = pickle.dumps(sorted(params.items()), pickle.HIGHEST_PROTOCOL)
            if reads is None:
                seen = ctx.whole
            else:
                values = [(path, _value_at(ctx.deal, path)) for path in reads]
                seen = ctx.base + pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
        except Exception:
            return render()
        h = hashlib.sha256(seen + b"\0" + source.encode("utf-8", "surrogatepass") + b"\0" + own)
        digest = h.digest()
        raw = self._texts.get(digest)
        if raw is not None:
            return raw.decode("utf-8", "surrogatepass")
        out = render()
        self._texts.put(digest, out.encode("utf-8", "surrogatepass"))
        return out

    def flush(self) -> None:
        self._texts.flush()
        self._reads.flush()


_SHARED = TextCache()


def shared() -> TextCache:
    return _SHARED
