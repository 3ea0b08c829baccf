"""Word-level diff shared by the review report and the Word redline."""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterable, Sequence

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def merged_opcodes(
    a: Sequence[Hashable], b: Sequence[Hashable], blank: Sequence[bool]
) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes where touching changes are one change, and a lone space between two
    changes belongs to them: "[-the old-] {+a new+}" reads better than "[-the-]{+a+} [-old-]…".
    ``blank[j]`` says whether token j of ``b`` is whitespace."""
    codes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    merged: list[tuple[str, int, int, int, int]] = []
    for i, (op, i1, i2, j1, j2) in enumerate(codes):
        tag: str = op
        if (
            tag == "equal"
            and merged
            and merged[-1][0] != "equal"
            and i + 1 < len(codes)
            and codes[i + 1][0] != "equal"
            and all(blank[j1:j2])
        ):
            tag = "replace"
        if tag != "equal" and merged and merged[-1][0] != "equal":
            p = merged[-1]
            merged[-1] = ("replace", p[1], i2, p[3], j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def word_ops(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """(op, text) pairs, op in '=', '-', '+': a word-level diff that reads like a redline."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in merged_opcodes(a, b, [t.isspace() for t in b]):
        if tag == "equal":
            ops.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", "".join(b[j1:j2])))
    return tuple(ops)


def word_diff_text(ops: Iterable[tuple[str, str]], context_lines: int = 0) -> str:
    """git --word-diff style text, keeping only the lines that hold a change."""
    out = []
    for op, text in ops:
        if op == "=":
            out.append(text)
        elif op == "-":
            out.append(f"[-{text}-]")
        else:
            out.append(f"{{+{text}+}}")
    merged = "".join(out)
    lines = merged.split("\n")
    keep: list[str] = []
    depth = 0
    skipped = False
    for line in lines:
        opens = line.count("[-") + line.count("{+")
        closes = line.count("-]") + line.count("+}")
        if opens or closes or depth > 0:
            if skipped and keep:
                keep.append("…")
            keep.append(line)
            skipped = False
        elif line.strip():
            skipped = True
        depth = max(0, depth + opens - closes)
    return "\n".join(keep).strip("\n")
