"""Second-level list labels are lower-case Roman numerals, right past (xxxix)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.pipeline.render import list_label

VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
CANONICAL = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def parse(numeral: str) -> int:
    total = 0
    for a, b in zip(numeral, numeral[1:] + " ", strict=True):
        v = VALUES[a]
        total += -v if b != " " and VALUES[b] > v else v
    return total


def test_known_labels() -> None:
    expected = {1: "i", 4: "iv", 9: "ix", 14: "xiv", 39: "xxxix", 40: "xl", 44: "xliv",
                49: "xlix", 50: "l", 90: "xc", 99: "xcix", 400: "cd", 1994: "mcmxciv"}  # fmt: skip
    for n, numeral in expected.items():
        assert list_label(2, n) == f"({numeral})", n


@given(st.integers(min_value=1, max_value=3999))
def test_every_label_is_the_canonical_numeral_of_its_number(n: int) -> None:
    numeral = list_label(2, n)[1:-1]
    assert CANONICAL.match(numeral), numeral
    assert parse(numeral) == n
