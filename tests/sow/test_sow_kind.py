"""A Statement of Work speaks of itself: its title page names the Agreement it is made under,
and its execution page says "This Statement of Work", never "This Agreement"."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn

from generator.pipeline.build import make_draft
from tests.helpers import REPO, repo_library

DEAL = REPO / "deals" / "service-desk-sows.yaml"
STEM = "service-desk-sows"
UNDER = "Made under the IT Service Desk Services Agreement dated 1 April 2027"


def _texts(data: bytes) -> list[str]:
    d = docx.Document(io.BytesIO(data))
    return [
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in d.element.body.iter(qn("w:p"))
    ]


def test_sow_execution_page_speaks_of_the_statement_of_work() -> None:
    files = make_draft(repo_library(), DEAL, ["md", "docx"]).files
    for sow in ("desk", "field-support"):
        md = files[f"{STEM}.sow-{sow}.md"].decode()
        word = _texts(files[f"{STEM}.sow-{sow}.docx"])
        sentence = "This Statement of Work has been entered into on the date stated at the beginning of it."
        assert sentence in md and sentence in word, sow
        assert "This Agreement has been" not in md and not any(
            "This Agreement has" in t for t in word
        )
    # the Agreement itself keeps its own wording
    msa = files[f"{STEM}.md"].decode()
    assert "This Agreement has been entered into on the date stated at the beginning of it." in msa
    assert "Made under the" not in msa and "This Statement of Work has been" not in msa


def test_sow_title_and_cover_page_name_the_agreement_it_is_made_under() -> None:
    files = make_draft(repo_library(), DEAL, ["md", "docx"]).files
    word = _texts(files[f"{STEM}.sow-desk.docx"])
    title = "Statement of Work No. 1: Group IT Service Desk"
    # the cover (title, then the Agreement) and the title over the parties both say it
    assert [i for i, t in enumerate(word) if t == title] == [
        i - 1 for i, t in enumerate(word) if t == UNDER
    ]
    assert len([t for t in word if t == UNDER]) == 2
    md = files[f"{STEM}.sow-desk.md"].decode()
    assert md.startswith(f"# {title}\n\n{UNDER}\n")
    with zipfile.ZipFile(io.BytesIO(files[f"{STEM}.sow-desk.docx"])) as z:
        core = z.read("docProps/core.xml").decode()
    assert re.search(r"<cp:category>Statement of Work</cp:category>", core)


def test_a_deed_sow_is_executed_as_a_statement_of_work(tmp_path: Path) -> None:
    text = DEAL.read_text()
    assert "\ndocument:" not in text, "the sample now has document settings: edit them instead"
    deal = tmp_path / "deed.yaml"
    deal.write_text(text + "document:\n  execution: deed\n")
    files = make_draft(repo_library(), deal, ["md"]).files
    md = files["deed.sow-desk.md"].decode()
    assert (
        "This Statement of Work has been executed as a deed and is delivered and takes effect" in md
    )
    assert "This Agreement has been executed as a deed" in files["deed.md"].decode()
