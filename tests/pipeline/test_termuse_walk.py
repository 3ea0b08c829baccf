"""The trie search of used terms gives the brute-force answer: every term tested against every
text that entered the fixpoint with the exact search."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline.render import _uses_term
from generator.pipeline.termuse import used_terms

TERMS = [
    "Service",
    "Service Credit",
    "Services",
    "Charges",
    "Exit Plan",
    "Plan",
    "Key-Person",
    "A.B.",
]
WORDS = [*TERMS, "Credits", "Plans", "the", "of", "Charge", ",", ".", "-", " ", "(", "s"]


def _brute(candidates: dict[str, str], bodies: list[str]) -> set[str]:
    used = {t for t in candidates if _uses_term("\n".join(bodies), t)}
    while True:
        more = {t for t in candidates for u in used if _uses_term(candidates[u], t)} - used
        if not more:
            return used
        used |= more


words = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(TERMS), words, max_size=6), st.lists(words, max_size=3))
def test_trie_search_equals_brute_force(candidates: dict[str, str], bodies: list[str]) -> None:
    assert used_terms(candidates, bodies, _uses_term) == _brute(candidates, bodies)
