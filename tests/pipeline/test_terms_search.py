"""The defined-terms search: a str.find scan that must agree with the regex it replaced."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline.render import _used_terms, _uses_term


def _by_regex(text: str, term: str) -> bool:
    # The search as it was written first: whole word, optional plural "s", hyphens join words.
    return re.search(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])", text) is not None


# Few letters, so that terms really occur; "-", "_", digits, accents and spaces at the edges.
ALPHABET = st.sampled_from(list("Ssab -_1é.\n\u2019(") + ["ss"])
TEXT = st.lists(ALPHABET, max_size=30).map("".join)
TERM = st.lists(ALPHABET, min_size=1, max_size=4).map("".join)


@settings(max_examples=3000, deadline=None)
@given(TEXT, TERM)
def test_same_answer_as_the_regex(text: str, term: str) -> None:
    assert _uses_term(text, term) == _by_regex(text, term)


def test_word_edges() -> None:
    assert _uses_term("the Services are", "Service")  # plural
    assert _uses_term("Service.", "Service")
    assert not _uses_term("Service-Level", "Service")  # a hyphen joins words
    assert not _uses_term("Sub-Service", "Service")
    assert not _uses_term("Servicess", "Service")
    assert not _uses_term("Serviceable", "Service")
    assert _uses_term("Serviceable or Service", "Service")  # a later occurrence counts
    assert not _uses_term("service", "Service")  # case matters


def test_fixpoint_through_definitions() -> None:
    candidates = {
        "Charges": "the sums payable under the Price List",
        "Price List": "the list in Schedule 3, as adjusted by Indexation",
        "Indexation": "the annual CPI adjustment",
        "Unused": "never mentioned",
    }
    assert _used_terms(candidates, ["The Charges are fixed."]) == {
        "Charges",
        "Price List",
        "Indexation",
    }
