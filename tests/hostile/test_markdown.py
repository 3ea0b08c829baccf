"""Clause text is Markdown: raw HTML and links stay text, pathological inputs finish quickly,
and nesting so deep that Markdown would silently drop text is an error instead."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from .support import TEXT_LINE, at, draft, refused, set_clause_text, validate

N = 60_000  # just under the 64 KiB limit on one clause text

# cmark's test/pathological_tests.py, scaled to the clause-text limit; cmark allows 4 s each.
PATHOLOGICAL = {
    "nested-brackets": "[" * (N // 2) + "a" + "]" * (N // 2),
    "emphasis-runs": "*a **a " * (N // 14) + "b" + " a** a*" * (N // 14),
    "underscores": "?c_" * (N // 3) + "c_",
    "unclosed-link-angles": "[a](<b" * (N // 6),
    "backticks": "`" * N,
    "emphasis-openers": "*" * N + "a",
    "many-list-items": "- a\n" * (N // 4),
    "wide-table": "|a" * (N // 8) + "|\n" + "|-" * (N // 8) + "|\n" + "|b" * (N // 8) + "|",
    "long-table": "| a | b |\n|---|---|\n" + "| x | y |\n" * (N // 10),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_drafts_in_bounded_time(
    minilib: Path, tmp_path: Path, text: str
) -> None:
    set_clause_text(minilib, text)
    started = time.monotonic()
    outcome = draft(minilib, tmp_path / "out", "small.yaml")
    assert time.monotonic() - started < 4, "slower than cmark's pathological-test budget"
    assert outcome.code == 0, outcome.output
    assert zipfile.ZipFile(tmp_path / "out" / "small.docx").testzip() is None


def test_raw_html_and_links_stay_text(minilib: Path, tmp_path: Path) -> None:
    set_clause_text(
        minilib, "Before <script>alert(1)</script> [x](javascript:alert(1)) <w:p/> after."
    )
    outcome = draft(minilib, tmp_path / "out", "small.yaml")
    assert outcome.code == 0, outcome.output
    md = (tmp_path / "out" / "small.md").read_text("utf-8")
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "\\[x\\](javascript:alert(1))" in md
    xml = zipfile.ZipFile(io.BytesIO((tmp_path / "out" / "small.docx").read_bytes())).read(
        "word/document.xml"
    )
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) &lt;w:p/&gt;" in xml
    # the only hyperlinks are the TOC's, to bookmarks inside the draft: never an external link
    assert b"<w:hyperlink r:id" not in xml
    assert all(h.startswith(b' w:anchor="_') for h in xml.split(b"<w:hyperlink")[1:])


def test_nesting_that_markdown_would_drop_is_an_error(minilib: Path, tmp_path: Path) -> None:
    # Past markdown-it's nesting limit the text vanishes: the reviewer sees it, the contract not.
    set_clause_text(minilib, "Visible.\n\n" + "> " * 25 + "Hidden from the contract.")
    refused(
        draft(minilib, tmp_path / "out", "small.yaml"),
        at(
            TEXT_LINE,
            "render",
            "lists or block quotes are nested too deeply: Markdown would drop the text "
            "(use at most 8 levels)",
        ),
    )


# ---- Markdown that would drop clause text silently (issue 12, root cause 10) ----------------


@pytest.mark.parametrize(
    "line",
    [
        '[secret]: http://x.example "The Supplier may terminate at will"',
        "[The Supplier may terminate at will]: <>",
        "   [secret]:\n   /x 'The Customer waives every claim'",
    ],
    ids=["with-title", "label-only", "indented-over-two-lines"],
)
def test_line_that_parses_as_a_link_reference_stays_in_the_draft(
    minilib: Path, tmp_path: Path, line: str
) -> None:
    set_clause_text(minilib, f"Line one.\n\n{line}\n\nEnd.")
    outcome = draft(minilib, tmp_path / "out", "small.yaml")
    if outcome.code == 1:
        # Kept as text, the bracketed label reads as a drafting placeholder: refused at its
        # line (soundness.py), which is as good as kept, never dropped in silence.
        assert "error[placeholder]: placeholder [" in outcome.output, outcome.output
        assert "clauses/core/services.yaml:" in outcome.output
        return
    assert outcome.code == 0, outcome.output
    md = (tmp_path / "out" / "small.md").read_text("utf-8")
    words = " ".join(md.split())
    for kept in ("Supplier may terminate", "Customer waives", "secret"):
        if kept in line:
            assert kept in words, md
    docx = zipfile.ZipFile(tmp_path / "out" / "small.docx").read("word/document.xml").decode()
    assert ("terminate at will" in docx) or ("waives every claim" in docx)


@pytest.mark.parametrize(
    ("rows", "line", "cells"),
    [
        ("| 1 | 2 | dropped words |", 5, 3),
        ("| 1 | 2 |\n| 3 | 4 | 5 | 6 |", 6, 4),
        ("1 | 2 | 3", 5, 3),
    ],
    ids=["one-extra", "second-row", "no-outer-pipes"],
)
def test_table_row_longer_than_its_header_is_refused(
    minilib: Path, rows: str, line: int, cells: int
) -> None:
    set_clause_text(minilib, f"Line one.\n\n| A | B |\n|---|---|\n{rows}\n\nEnd.")
    refused(
        validate(minilib),
        at(
            TEXT_LINE + line - 1,
            "render",
            f"table row has {cells} cells but the header has 2: Markdown would drop the extra cells",
        ),
    )


def test_escaped_pipe_and_code_span_are_not_cells(minilib: Path) -> None:
    set_clause_text(minilib, "Line one.\n\n| A | B |\n|---|---|\n| 1 \\| one | `a|b` |\n\nEnd.")
    assert validate(minilib).code == 0
