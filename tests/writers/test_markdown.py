from __future__ import annotations

import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.model import Run
from generator.writers.markdown import render_markdown, runs_md
from tests.helpers import document_for

GOLDEN = Path(__file__).parents[1] / "golden"


@pytest.mark.parametrize("deal", ["small", "small-m4"])
def test_markdown_matches_reviewed_golden_file(minilib: Path, deal: str) -> None:
    text = render_markdown(document_for(minilib, f"{deal}.yaml"))
    golden = GOLDEN / f"{deal}.md"
    if os.environ.get("CLAUSEBOOK_REGENERATE_GOLDEN"):
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


def test_markdown_is_commonmark_with_numbered_headings(minilib: Path) -> None:
    text = render_markdown(document_for(minilib, "small-m4.yaml"))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[:4] == [
        "Small Services Agreement",
        "1. Definitions",
        "1.1 Definitions",
        "2. Services and Service Levels",
    ]
    assert "Schedule 1 \u2014 Service Levels" in headings
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert any(t.type == "table_open" for t in tokens)


def test_text_that_looks_like_markdown_is_escaped() -> None:
    assert runs_md((Run("<w:p> *not bold* | pipe"),)) == r"\<w:p\> \*not bold\* \| pipe"
    assert runs_md((Run("1. not a list"),)) == r"1\. not a list"
    assert runs_md((Run("Clause 2.1", bold=True),)) == "**Clause 2.1**"


def test_draft_markdown_is_typeset_and_has_the_execution_blocks() -> None:
    from generator.pipeline.render import render_document
    from generator.pipeline.select import select
    from tests.helpers import repo_deal, repo_library

    deal = repo_deal("fa-sox-fixed.yaml", document={"execution": "deed"})
    text = render_markdown(render_document(select(repo_library(), deal)))
    body = text.replace("`", "")
    assert body.count('"') == 0 and body.count("'") == 0  # typographic quotes everywhere
    assert "Supplier\u2019s" in body
    assert (
        "Executed as a deed by **HARBOUR LOGISTICS PLC** acting by **ELEANOR MARSH**, a director"
    ) in text
    assert "Witness occupation:" in text and "## Signatures" not in text
