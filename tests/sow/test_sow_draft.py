"""An Agreement with two Statements of Work drafts to three documents, cross-referenced."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import docx
from docx.oxml.ns import qn

from generator.pipeline.build import make_draft
from tests.helpers import REPO, body_paragraphs, repo_library

DEAL = REPO / "deals" / "service-desk-sows.yaml"
STEM = "service-desk-sows"


def _draft(path: Path = DEAL, formats: tuple[str, ...] = ("md", "docx")) -> dict[str, bytes]:
    return make_draft(repo_library(), path, list(formats)).files


def test_two_sows_draft_to_three_documents_recorded_together() -> None:
    files = _draft()
    docs = {n for n in files if n.endswith((".md", ".docx"))}
    assert docs == {
        f"{STEM}.md",
        f"{STEM}.docx",
        f"{STEM}.sow-desk.md",
        f"{STEM}.sow-desk.docx",
        f"{STEM}.sow-field-support.md",
        f"{STEM}.sow-field-support.docx",
    }
    manifest = json.loads(files[f"{STEM}.manifest.json"])
    assert [s["id"] for s in manifest["sows"]] == ["desk", "field-support"]
    for sow in manifest["sows"]:
        assert set(sow["outputs"]) == {f"{STEM}.sow-{sow['id']}.md", f"{STEM}.sow-{sow['id']}.docx"}
        for name, digest in sow["outputs"].items():
            assert digest == hashlib.sha256(files[name]).hexdigest()
            assert manifest["outputs"][name] == digest
    assert manifest["sows"][0]["variations"][0]["parameter"] == "rca_business_days"


def _numbers(files: dict[str, bytes]) -> dict[str, str]:
    """clause title -> number, as the Agreement's Markdown draft prints its headings."""
    md = files[f"{STEM}.md"].decode()
    out = {t: n for n, t in re.findall(r"^### (\d+\.\d+) (.+)$", md, re.M)}
    out |= {t: n for n, t in re.findall(r"^# Schedule (\d+) \u2014 (.+)$", md, re.M)}
    return out


def test_cross_references_use_the_agreements_numbering() -> None:
    files = _draft(formats=("md",))
    n = _numbers(files)
    sow = files[f"{STEM}.sow-desk.md"].decode()
    assert sow.startswith("# Statement of Work No. 1: Group IT Service Desk\n")
    assert "made under the IT Service Desk Services Agreement dated 1 April 2027" in sow
    assert f"entered into under Clause {n['Statements of Work']} of the Agreement" in sow
    assert f"The Service Levels in Schedule {n['Service Level Schedule']} of the Agreement" in sow
    assert f"paid under Clause {n['Invoicing and Payment']} of the Agreement" in sow
    assert f"| Clause {n['Service Levels']} of the Agreement (Service Levels) |" in sow
    # Every "X of the Agreement" names a clause or schedule the Agreement really has.
    md = files[f"{STEM}.md"].decode()
    headings = {("Clause", v) for v in re.findall(r"^### (\d+\.\d+) ", md, re.M)}
    headings |= {("Schedule", v) for v in re.findall(r"^# Schedule (\d+) ", md, re.M)}
    printed = set(re.findall(r"(Clause|Schedule) (\d+(?:\.\d+)?) of the Agreement", sow))
    assert len(printed) >= 6 and printed <= headings
    assert (
        "| Average speed of answer (Critical) | Each Month, from Customer automatic call "
        "distributor (ACD) records | no more than 30 seconds | no more than 25 seconds |"
    ) in sow
    assert "| Service desk management fee | EUR 62,000 | per month |" in sow
    assert "only from Dublin." in sow
    # the status paragraph names the Variations paragraph by its real number
    assert "varies the Agreement only as paragraph 6.1 states" in sow
    assert "\n### 6.1 Variations to the Agreement\n" in sow
    assert "starts on 1 July 2027 and ends at the end of 30 June 2030" in sow
    second = files[f"{STEM}.sow-field-support.md"].decode()
    assert second.startswith("# Statement of Work No. 2: Technical Support for Branch Offices\n")
    assert "only from Dublin and Krak\u00f3w." in second  # the Agreement's locations by default
    assert "Variations to the Agreement" not in second  # it varies nothing
    assert "This Statement of Work does not vary any term of the Agreement." in second
    assert "each target is as set out in Schedule" in second
    for text in (sow, second):
        assert "## Execution" in text and "Signed by **SIOBHAN KELLY**" in text


def test_numbers_follow_the_agreement_when_it_is_renumbered(tmp_path: Path) -> None:
    """Leaving a clause out of the Services article moves the SOW clause: the SOW follows."""
    before = _numbers(_draft(formats=("md",)))["Statements of Work"]
    text = DEAL.read_text().replace(
        "multi_provider: true\n", "multi_provider: true\nexclude: [service-exclusions]\n"
    )
    moved = tmp_path / "moved.yaml"
    moved.write_text(text)
    files = make_draft(repo_library(), moved, ["md"]).files
    after = _numbers({f"{STEM}.md": files["moved.md"]})["Statements of Work"]
    assert after != before
    sow = files["moved.sow-desk.md"].decode()
    assert f"entered into under Clause {after} of the Agreement" in sow
    assert f"Clause {before} of the Agreement" not in sow


def test_sow_word_document_has_its_heading_references_and_signature_block() -> None:
    files = _draft(formats=("docx",))
    d = docx.Document(io.BytesIO(files[f"{STEM}.sow-desk.docx"]))
    text = "\n".join(p.text for p in body_paragraphs(d))
    # every paragraph of the body, table cells inside content controls included
    cells = "\n".join(
        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in d.element.body.iter(qn("w:p"))
    )
    assert "Statement of Work No. 1: Group IT Service Desk" in text
    assert "under the IT Service Desk Services Agreement dated 1 April 2027" in text
    assert re.search(r"entered into under Clause \d+\.\d+ of the Agreement", text)
    assert "no more than 25 seconds" in cells
    assert "Siobhan Kelly" in text + cells


def test_a_deal_without_sows_drafts_as_before() -> None:
    files = _draft(REPO / "deals" / "service-desk-multi.yaml", ("md",))
    assert sorted(files) == ["service-desk-multi.manifest.json", "service-desk-multi.md"]
    assert "sows" not in json.loads(files["service-desk-multi.manifest.json"])


def test_internal_copy_of_a_sow_carries_its_drafting_notes() -> None:
    import zipfile

    files = make_draft(repo_library(), DEAL, ["docx"], notes=True).files
    with zipfile.ZipFile(io.BytesIO(files[f"{STEM}.internal.sow-desk.docx"])) as z:
        comments = z.read("word/comments.xml").decode()
    # the Services paragraph's guidance, as clauses/sow/sow-services.yaml words it
    assert "cannot be added here" in comments
    assert f"{STEM}.sow-desk.docx" not in files  # the clean copy is never written with notes
