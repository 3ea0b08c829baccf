"""A word diff fast enough for every pair of variants of every clause: sentences are matched
first and only the sentences that changed are diffed word by word (textdiff.word_ops on whole
texts is quadratic in words, and a site has hundreds of pairs)."""

from __future__ import annotations

import difflib
import re

# A sentence ends at . ; : ! ? followed by white space, or at a line break: its white space
# stays with it, so the pieces join back to the text exactly.
_PIECE = re.compile(r"[^\n]*?(?:[.;:!?](?=\s)|\n|$)\s*", re.DOTALL)
# A word with the white space after it: half the tokens of textdiff's, and no lone spaces for
# the matcher to chase.
_WORD = re.compile(r"\s+|\w+\s*|[^\w\s]\s*")


def pieces(text: str) -> list[str]:
    return [p for p in _PIECE.findall(text) if p]


def site_ops(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """(op, text) pairs, op in '=', '-', '+', like textdiff.word_ops."""
    a, b = pieces(old), pieces(new)
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(a[i1:i2])))
        elif tag == "replace":
            ops.extend(_words("".join(a[i1:i2]), "".join(b[j1:j2])))
        elif tag == "delete":
            ops.append(("-", "".join(a[i1:i2])))
        else:
            ops.append(("+", "".join(b[j1:j2])))
    merged: list[tuple[str, str]] = []
    for op, text in ops:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return tuple(merged)


def _words(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _WORD.findall(old), _WORD.findall(new)
    out: list[tuple[str, str]] = []
    # autojunk: words as common as "the " do not anchor a match; that keeps this fast.
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out
