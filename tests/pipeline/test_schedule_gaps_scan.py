"""The schedule-content check scans only the lines with a cross-reference: the same matches in
the same order as scanning the whole text (the check as it was, kept here)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import soundness as S

REF = S.REF_OPEN + "sched-a" + S.REF_CLOSE
OTHER = S.REF_OPEN + "clause-b" + S.REF_CLOSE
SCHEDULES = {"sched-a": "**Part A** the service levels and the rate card"}


def _whole_text(text: str, schedules: Mapping[str, str]) -> Iterator[tuple[str, list[str]]]:
    seen: set[int] = set()
    for rx in (S._SET_OUT, S._PRICED):
        for m in rx.finditer(text):
            target = schedules.get(m.group("id"))
            if target is None or m.end() in seen or " except as " in f" {m.group('what')}":
                continue
            body = target.lower()
            phrase = m.group("what") + (m.groupdict().get("q") or "")
            missing = [
                w
                for w in re.findall(r"[A-Za-z]+", phrase)
                if w.lower() not in S._STOP
                and w.lower() not in S.GENERIC
                and len(w) > 2
                and w.lower()[:5] not in body
            ]
            part = m.group("part")
            if part and f"**part {part.lower()}" not in body:
                missing.append(f"Part {part}")
            if missing:
                seen.add(m.end())
                yield m.group(0), missing


WORDS = [
    "the", "volumes", "rates", "fees for", "Exit Tools", "set out", "listed", "stated",
    "for", "transition", "in", "Part B of", "Part A of", "except as", "charges", REF, OTHER,
    "\n", "\n\n", " ", "'s", "Service Levels", "forecast",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_line_scan_equals_whole_text_scan(words: list[str]) -> None:
    text = " ".join(words)
    fast = [(m.group(0), missing) for m, missing in S._schedule_gaps(text, SCHEDULES)]
    assert fast == list(_whole_text(text, SCHEDULES))


def test_a_known_gap_is_still_found_on_a_later_line() -> None:
    text = f"Intro.\n\nThe exit tool fees set out in Part G of {REF} apply."
    ((m, missing),) = S._schedule_gaps(text, SCHEDULES)
    assert "Part G" in missing
    assert list(_whole_text(text, SCHEDULES)) == [(m.group(0), missing)]
