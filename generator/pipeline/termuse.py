"""Which defined terms a draft uses: the body's, and those their definitions use in turn.

The exact test of one term in one text is render.py's ``_uses_term``; this module decides
which terms are worth testing, in time linear in the text read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

_WORD = re.compile(r"[\w-]+")  # a word, as the search's boundaries see words
_TOKEN = re.compile(r"[\w-]+|[^\w-]+")  # words and the gaps between them


def used_terms(
    candidates: Mapping[str, str], bodies: list[str], uses: Callable[[str, str], bool]
) -> set[str]:
    """Terms used in the body, plus terms used by the definitions of used terms (to a fixpoint).

    Linear in the text read: each text is cut into words and the gaps between them once, and
    walked through a trie of the terms cut the same way; only the terms found are confirmed
    with the exact search ``uses(text, term)``. (Checking every term against every definition that entered the
    fixpoint made chained definitions quadratic: 3,000 terms took minutes.)
    """
    trie: dict[str, Any] = {}
    odd: list[str] = []  # terms that do not start and end with a word: confirmed everywhere
    for term in candidates:
        parts = _TOKEN.findall(term)
        if not parts or not _WORD.fullmatch(parts[0]) or not _WORD.fullmatch(parts[-1]):
            odd.append(term)  # (a term ending in "." matches before ".," too: no exact token)
            continue
        node = trie
        for part in parts:
            node = node.setdefault(part, {})
        node[""] = term  # "" is never a token: it marks where a term ends

    # where a walk may start (a term's first word, or its plural): one set test a token
    starts = set(trie) | {w + "s" for w in trie}

    def found_in(text: str, used: set[str], new: set[str]) -> None:
        tokens = _TOKEN.findall(text)
        maybe = set(odd)
        # a walk starts only at a term's first word (or its plural): walking from every token
        # of a 250 KB body found nothing more and was most of the search
        heads = [i for i, t in enumerate(tokens) if t in starts]
        for start in heads:
            node = trie.get(tokens[start])
            plural = tokens[start][:-1] if tokens[start].endswith("s") else None
            if plural is not None and "" in trie.get(plural, {}):
                maybe.add(trie[plural][""])  # a one-word term in the plural: "Credits"
            k = start
            while node is not None:
                if "" in node:
                    maybe.add(node[""])
                k += 1
                if k >= len(tokens):
                    break
                nxt = node.get(tokens[k])
                last = tokens[k][:-1] if tokens[k].endswith("s") else None
                if last is not None and "" in node.get(last, {}):
                    maybe.add(node[last][""])
                node = nxt
        new.update(t for t in maybe if t not in used and t not in new and uses(text, t))

    used: set[str] = set()
    found_in("\n".join(bodies), set(), used)
    frontier = set(used)
    while frontier:
        new: set[str] = set()
        for t in frontier:
            found_in(candidates[t], used, new)
        used |= new
        frontier = new
    return used
