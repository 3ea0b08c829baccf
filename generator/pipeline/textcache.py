"""Rendered clause text kept between runs: an unchanged draft runs no template.

A template's output is a pure function of its source, the clause's parameter values, the deal's
data, the numbers of the clauses in the draft (what `ref` and `has` answer) and the render
limits: all of them go into the key, and the engine's own code (the template environment, its
filters and sandbox, Jinja's version) names the cache entry. Only successful renders are kept; a
failure is rendered again, so its message and line are always current.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .. import cache
from ..limits import RenderLimits
from .kept import Kept, code_key


@lru_cache(maxsize=1)
def engine_key() -> str:
    """sha256 of the code that renders: environment, filters, sandbox, limits, Jinja."""
    here = Path(__file__).resolve().parent
    names = ("templates.py", "sandbox.py", "words.py", "render.py", "textcache.py", "kept.py")
    files = [here / n for n in names] + [here.parent / "limits.py"]
    spec = find_spec("jinja2")
    if spec is not None and spec.origin:  # its __init__ names its version
        files.append(Path(spec.origin))
    return code_key(files)


def context_digest(
    deal: Mapping[str, Any], numbers: Mapping[str, str], limits: RenderLimits
) -> bytes | None:
    """One digest of what every template of a draft sees besides its own parameters."""
    try:
        material = pickle.dumps((deal, sorted(numbers.items()), limits), pickle.HIGHEST_PROTOCOL)
    except Exception:  # something unpicklable: render without the cache
        return None
    return hashlib.sha256(material).digest()


class TextCache:
    def __init__(self) -> None:
        self._kept = Kept("texts", engine_key())

    def text(
        self,
        source: str,
        params: Mapping[str, Any],
        context: bytes | None,
        render: Callable[[], str],
    ) -> str:
        """`render()`, or what it returned before for the same template and inputs."""
        if context is None or not cache.enabled():
            return render()
        try:
            own = pickle.dumps(sorted(params.items()), pickle.HIGHEST_PROTOCOL)
        except Exception:
            return render()
        key = hashlib.sha256(context + source.encode("utf-8", "surrogatepass") + b"\0" + own)
        digest = key.digest()
        raw = self._kept.get(digest)
        if raw is not None:
            return raw.decode("utf-8", "surrogatepass")
        out = render()
        self._kept.put(digest, out.encode("utf-8", "surrogatepass"))
        return out

    def flush(self) -> None:
        self._kept.flush()


_SHARED = TextCache()


def shared() -> TextCache:
    return _SHARED
