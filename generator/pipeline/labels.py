"""The labels of list items as Markdown prints them and Word numbers them: (a), (i), (A)."""

from __future__ import annotations

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


_NUMERALS = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _roman(n: int) -> str:
    """Lower-case Roman numeral of n >= 1, as Word's lowerRoman numbering shows it."""
    out = ""
    for value, numeral in _NUMERALS:
        while n >= value:
            out += numeral
            n -= value
    return out


def list_label(level: int, index: int) -> str:
    if level == 1:
        return f"({_alpha(index)})"
    if level == 2:
        return f"({_roman(index)})"
    return f"({_alpha(index).upper()})"


def _alpha(index: int) -> str:
    s = ""
    while index > 0:
        index, r = divmod(index - 1, 26)
        s = _LETTERS[r] + s
    return s
