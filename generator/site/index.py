"""The definitions index (every defined term, who defines it, who uses it) and the search
index the browser reads: plain data, written as JSON inside a script file because a browser
will not fetch() a JSON file from file://."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Library
from ..review.lint.termindex import term_index

# The search matches words, so a clause's text goes into the index as its distinct words: the
# whole text is searchable at a fraction of its size.
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    term: str
    clause: str  # the clause that defines it
    used_by: tuple[str, ...]


def terms(lib: Library) -> tuple[Term, ...]:
    defined = {t: (c.id, d) for c in lib.clauses.values() for t, d in c.defines}
    index = term_index(defined)
    users: dict[str, set[str]] = {t: set() for t in defined}
    for c in lib.clauses.values():
        texts = [v.text for v in c.variants] + [d for _, d in c.defines]
        for text in texts:
            for term, _, _ in index.finditer(text):
                if defined[term][0] != c.id:
                    users[term].add(c.id)
    return tuple(
        Term(t, defined[t][0], tuple(sorted(users[t]))) for t in sorted(defined, key=str.casefold)
    )


def terms_used(all_terms: Sequence[Term]) -> dict[str, tuple[tuple[str, str], ...]]:
    """clause id -> (term, defining clause) for every term the clause uses."""
    out: dict[str, list[tuple[str, str]]] = {}
    for t in all_terms:
        for cid in t.used_by:
            out.setdefault(cid, []).append((t.term, t.clause))
    return {k: tuple(v) for k, v in out.items()}


def search_index(lib: Library, plain: dict[str, str], all_terms: Sequence[Term]) -> str:
    """`window.CLAUSEBOOK_INDEX = [...]`: one entry per clause; ``plain`` is its variants' text.

    json.dumps with ensure_ascii keeps every character outside ASCII (U+2028 included) escaped,
    and `<` is escaped too so no text can close a script element if the file is ever inlined."""
    defines: dict[str, list[str]] = {}
    for t in all_terms:
        defines.setdefault(t.clause, []).append(t.term)
    docs = [
        {
            "id": c.id,
            "url": f"clauses/{c.id}.html",
            "title": c.title,
            "topic": c.topic,
            "summary": c.summary,
            "terms": defines.get(c.id, []),
            "text": " ".join(sorted(set(_WORD.findall(plain.get(c.id, "").casefold())))),
        }
        for c in sorted(lib.clauses.values(), key=lambda c: c.id)
    ]
    body = json.dumps(docs, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.CLAUSEBOOK_INDEX = {body};\n"
