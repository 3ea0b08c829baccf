"""Which clause each paragraph of a returned Word file belongs to.

The strongest evidence is what Clausebook wrote into the file: a clause's content control (its
tag names the clause) or the ``_Ref_`` bookmark on its heading. Editors that strip both (a
pandoc round trip, some online editors) still leave the text, so the returned paragraphs (as
the counterparty received them) are aligned against the paragraphs of the rebuilt sent draft,
and a paragraph nobody recognises belongs to the clause it sits in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .wordfile import CLAUSE_TAG, WordFile, WordPara

FRONT = "(front matter)"
_WS = re.compile(r"\s+")


# Word drafts print typographic quotes and apostrophes (writers/typography.py) where the
# rendered clause has straight ones; a counterparty's editor may turn them either way.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def norm(text: str) -> str:
    return _WS.sub(" ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True)
class ClauseText:
    """One clause as sent and as returned, with the paragraphs that hold it."""

    id: str
    sent: str
    before: str  # the returned file's text as the counterparty received it
    after: str  # what they propose
    paras: tuple[int, ...]  # returned paragraph indexes


def sent_clauses(sent: WordFile, bookmarks: Mapping[str, str]) -> list[tuple[str, WordPara]]:
    """The sent draft's paragraphs, each with its clause id (from the heading bookmarks)."""
    out: list[tuple[str, WordPara]] = []
    current = FRONT
    for p in sent.paras:
        if p.bookmark and p.bookmark in bookmarks:
            current = bookmarks[p.bookmark]
        elif p.heading:
            # An article heading or "Signatures" ends a clause: what follows until the next
            # clause heading belongs to no clause (article titles, the execution page).
            current = FRONT
        out.append((current, p))
    return out


def assign(
    returned: WordFile, sent: list[tuple[str, WordPara]], bookmarks: Mapping[str, str]
) -> list[str]:
    """The clause id of every returned paragraph."""
    a = [norm(p.before) for p in returned.paras]
    b = [norm(p.before) for _, p in sent]
    matched: dict[int, str] = {}
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                matched[i1 + k] = sent[j1 + k][0]
        elif op == "replace":
            for i in range(i1, i2):
                ratios = [difflib.SequenceMatcher(None, a[i], b[j]).ratio() for j in range(j1, j2)]
                matched[i] = sent[j1 + ratios.index(max(ratios))][0]
    out: list[str] = []
    current = FRONT
    for i, p in enumerate(returned.paras):
        own = _own_clause(p, bookmarks)
        if own is not None:
            current = own
        elif i in matched and a[i]:
            current = matched[i]
        out.append(current)
    return out


def _own_clause(p: WordPara, bookmarks: Mapping[str, str]) -> str | None:
    if p.clause_tag:
        return p.clause_tag[len(CLAUSE_TAG) :].split("#", 1)[0]
    if p.bookmark and p.bookmark in bookmarks:
        return bookmarks[p.bookmark]
    return None


def clause_texts(
    returned: WordFile, owners: Sequence[str], sent: list[tuple[str, WordPara]]
) -> dict[str, ClauseText]:
    sent_by: dict[str, list[str]] = {}
    for cid, p in sent:
        sent_by.setdefault(cid, []).append(p.before)
    ret_by: dict[str, list[WordPara]] = {}
    for cid, p in zip(owners, returned.paras, strict=True):
        ret_by.setdefault(cid, []).append(p)
    out: dict[str, ClauseText] = {}
    for cid in list(sent_by) + [c for c in ret_by if c not in sent_by]:
        paras = ret_by.get(cid, [])
        out[cid] = ClauseText(
            cid,
            norm(" ".join(sent_by.get(cid, []))),
            norm(" ".join(p.before for p in paras)),
            norm(" ".join(p.after for p in paras)),
            tuple(p.index for p in paras),
        )
    return out


def moved_clauses(sent_order: Sequence[str], returned_order: Sequence[str]) -> list[str]:
    """Clauses the counterparty moved: those outside the longest run kept in the sent order."""
    rank = {c: i for i, c in enumerate(sent_order)}
    seq = [c for c in dict.fromkeys(returned_order) if c in rank]
    # Longest increasing subsequence (patience sorting), over the sent ranks.
    tails: list[int] = []
    prev: dict[int, int | None] = {}
    tail_at: list[int] = []
    for k, c in enumerate(seq):
        r = rank[c]
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < r:
                lo = mid + 1
            else:
                hi = mid
        prev[k] = tail_at[lo - 1] if lo else None
        if lo == len(tails):
            tails.append(r)
            tail_at.append(k)
        else:
            tails[lo] = r
            tail_at[lo] = k
    keep: set[int] = set()
    k2 = tail_at[-1] if tail_at else None
    while k2 is not None:
        keep.add(k2)
        k2 = prev[k2]
    return [c for k, c in enumerate(seq) if k not in keep]
