"""The YAML loader checks what a reviewer reads; this checks what the draft gets. A template can
make a character the source does not hold (a Jinja escape, an HTML entity Markdown decodes) or
print a Python repr; each is refused at the template line that wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import (
    CARRIER,
    TEXT_LINE,
    UNLOADED_SERVICES,
    at,
    draft,
    refused,
    set_clause_text,
    validate,
)

BIDI = "an invisible or bidirectional control character"
CONTROL = "a control character that Word files or terminals cannot hold"
REPR = (
    "rendered text contains a Python object's repr (a memory address); "
    "print a parameter, a deal value or a filter's result instead"
)

# (case id, template line 3, message)
CASES = [
    ("jinja-escape-bidi", "A {{ '\\u202e' }} b", f"rendered text contains {BIDI} (U+202E)"),
    ("jinja-escape-isolate", "A {{ '\\u2066' ~ 'x' }} b", f"rendered text contains {BIDI} (U+2066)"),
    ("jinja-escape-zero-width", "A{{ '\\u200b' }}B", f"rendered text contains {BIDI} (U+200B)"),
    ("hex-entity", "A &#x202E; b", "rendered text contains &#x202E;, which Markdown turns into "
     f"{BIDI} (U+202E)"),
    ("decimal-entity", "A &#8238; b", "rendered text contains &#8238;, which Markdown turns into "
     f"{BIDI} (U+202E)"),
    ("named-entity", "A &rlm; b", "rendered text contains &rlm;, which Markdown turns into "
     f"{BIDI} (U+200F)"),
    ("entity-made-by-template", "A &#x{{ '202E' }}; b", "rendered text contains &#x202E;, "
     f"which Markdown turns into {BIDI} (U+202E)"),
    ("vertical-tab", "A {{ '\\x0b' }} b", f"rendered text contains {CONTROL} (U+000B)"),
    ("escape-sequence", "A {{ '\\x1b[2J' }} b", f"rendered text contains {CONTROL} (U+001B)"),
    ("c1-control", "A {{ '\\x9b' }} b", f"rendered text contains {CONTROL} (U+009B)"),
    ("line-separator-entity", "A &#x2028; b", "rendered text contains &#x2028;, which Markdown "
     f"turns into {BIDI} (U+2028)"),
    ("repr-of-a-method", "A {{ ''.maketrans }} b",
     "cannot print a builtin_function_or_method in a contract; use a filter such as join_and, "
     "number or money"),
    ("repr-through-a-filter", "A {{ [''.maketrans] | join_and | upper }} b", REPR),
    ("repr-by-concatenation", "A {{ 'x' ~ range(3) }} b",
     "cannot print a range in a contract; use a filter such as join_and, number or money"),
    ("repr-of-a-list-by-a-filter", "A {{ deal.services | upper }} b",
     "cannot print a list in a contract; use a filter such as join_and, number or money"),
    ("list-repr", "A {{ deal.services }} b",
     "cannot print a list in a contract; use a filter such as join_and, number or money"),
    ("float-beyond-18-digits", "A {{ 1e300 }} b",
     "cannot print 1e+300 in a contract: not a finite number of at most 18 digits "
     "(use number, money or percent)"),
    ("complex-number", "A {{ (-2) ** 0.5 }} b",
     "cannot print a complex in a contract; use a filter such as join_and, number or money"),
    ("none-repr", "A {{ none }} b",
     "cannot print nothing (None) in a contract; use a filter such as join_and, number or money"),
]  # fmt: skip
WHOLE_TEXT = {"entity-made-by-template"}  # made of three chunks: no one line wrote it


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_what_a_template_writes_is_checked_at_its_line(
    minilib: Path, case: tuple[str, str, str]
) -> None:
    name, template, message = case
    set_clause_text(minilib, "Plain first line.\n\n" + template)
    line = TEXT_LINE if name in WHOLE_TEXT else TEXT_LINE + 2
    refused(validate(minilib), at(line, "render", message))


def test_forbidden_character_in_a_loop_is_placed_on_its_own_line(minilib: Path) -> None:
    set_clause_text(
        minilib,
        "One.\n\n{% for x in [1, 2] %}\nA {{ '\\u202e' if x == 2 else '' }} b\n{% endfor %}",
    )
    refused(
        validate(minilib), at(TEXT_LINE + 3, "render", f"rendered text contains {BIDI} (U+202E)")
    )


def test_no_word_file_is_written_for_a_vertical_tab(minilib: Path, tmp_path: Path) -> None:
    set_clause_text(minilib, "A {{ '\\x0b' }} b")
    outcome = draft(minilib, tmp_path / "out", "small.yaml")
    refused(outcome, at(TEXT_LINE, "render", f"rendered text contains {CONTROL} (U+000B)"))
    assert not (tmp_path / "out" / "small.docx").exists()


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200b"])
def test_bidi_character_in_a_yaml_comment_is_refused(minilib: Path, char: str) -> None:
    path = minilib / CARRIER
    path.write_text(f"# approved by legal {char}\n" + path.read_text("utf-8"), "utf-8")
    message = f"the file contains {BIDI} (U+{ord(char):04X}) outside any value (in a comment?)"
    first, last = UNLOADED_SERVICES
    refused(validate(minilib), first, at(1, "invisible-character", message, col=21), last)


def test_small_float_is_printed_in_decimal_notation_not_as_a_repr(
    minilib: Path, tmp_path: Path
) -> None:
    set_clause_text(minilib, "Within {{ 0.00001 }} and {{ 2.5 }} units.")
    assert draft(minilib, tmp_path / "out", "small.yaml").code == 0
    assert "Within 0.00001 and 2.5 units." in (tmp_path / "out" / "small.md").read_text("utf-8")
