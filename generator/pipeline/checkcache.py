"""What the static checks found in each template, kept between runs: a library with one edited
file re-parses that file's templates only (parsing every template was most of `validate`).

A template's findings are a pure function of its source, the names it may use and whether it is
a `when` expression; the code that checks (library.py, templates.py, sandbox.py, the deal
schema in the engine's digest, Jinja's version) names the cache entry. Which `ref` targets
exist is a cross-file fact: the targets are kept, and checked against the library every time.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from .. import cache
from ..kept import Kept, code_key

# (line in the template, rule, message) of each problem; (target, line) of each ref
Findings = tuple[tuple[tuple[int, str, str], ...], tuple[tuple[str, int], ...]]


@lru_cache(maxsize=1)
def engine_key() -> str:
    here = Path(__file__).resolve().parent
    names = ("library.py", "templates.py", "sandbox.py", "checkcache.py", "schema.py")
    files = [here / n for n in names] + [here.parent / "kept.py", here.parent / "errors.py"]
    spec = find_spec("jinja2")
    if spec is not None and spec.origin:  # its __init__ names its version
        files.append(Path(spec.origin))
    return code_key(files)


class CheckCache:
    def __init__(self) -> None:
        self._kept = Kept("template-checks", engine_key())

    def findings(
        self, source: str, allowed: frozenset[str], expression: bool, check: Callable[[], Findings]
    ) -> Findings:
        """`check()`, or what it found before for the same template and names."""
        if not cache.enabled():
            return check()
        inputs = pickle.dumps((source, sorted(allowed), expression), pickle.HIGHEST_PROTOCOL)
        key = hashlib.sha256(inputs).digest()
        raw = self._kept.get(key)
        if raw is not None:
            found: Findings = pickle.loads(raw)
            return found
        found = check()
        self._kept.put(key, pickle.dumps(found, pickle.HIGHEST_PROTOCOL))
        return found

    def flush(self) -> None:
        self._kept.flush()


_SHARED = CheckCache()


def shared() -> CheckCache:
    return _SHARED
