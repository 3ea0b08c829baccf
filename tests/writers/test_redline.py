"""`clausebook redline`: the HEAD draft as Word with native tracked changes against BASE."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.writers.docx.redline import render_redline
from tests.gitlib import commit, edit, library_repo, state
from tests.helpers import document_for, soffice_or_skip


def body_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def redline(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["redline", "--library", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture()
def changed(tmp_path: Path) -> tuple[Path, Path]:
    """base -> HEAD: reworded credits, a new paragraph, a changed and a new SLA table row."""
    top, root = library_repo(tmp_path)
    edit(
        root / "clauses/sla/service-credits.yaml",
        "of the monthly Charges.",
        "of the Charges invoiced for the month.",
    )
    edit(
        root / "clauses/core/services.yaml",
        "      The Supplier shall:\n",
        "      The Supplier shall report every Month.\n\n      The Supplier shall:\n",
    )
    edit(
        root / "clauses/sla/sla-schedule.yaml",
        "      - {metric: First contact resolution, target_percent: 75}\n",
        "      - {metric: First contact resolution, target_percent: 70}\n"
        "      - {metric: Emails answered in one day, target_percent: 90}\n",
    )
    commit(top)
    return top, root


def test_redline_has_word_level_insertions_and_deletions(
    changed: tuple[Path, Path], tmp_path: Path
) -> None:
    _, root = changed
    out = tmp_path / "small-redline.docx"
    code, text = redline(root, "base", "HEAD", "deals/small.yaml", "-o", str(out))
    assert code == 0, text
    xml = body_xml(out.read_bytes())
    dels = re.findall(
        r"<w:del (w:id=\"\d+\" w:author=\"Clausebook\" w:date=\"[^\"]+\")>(.*?)</w:del>", xml
    )
    inss = re.findall(
        r"<w:ins (w:id=\"\d+\" w:author=\"Clausebook\" w:date=\"[^\"]+\")>(.*?)</w:ins>", xml
    )
    deleted_words = ["".join(re.findall(r"<w:delText[^>]*>([^<]*)<", body)) for _, body in dels]
    inserted_words = ["".join(re.findall(r"<w:t[^>]*>([^<]*)<", body)) for _, body in inss]
    assert "monthly Charges" in deleted_words and "Charges invoiced for the month" in inserted_words
    assert "75" in deleted_words and "70" in inserted_words  # a table cell, word by word
    assert "The Supplier shall report every Month." in inserted_words  # a new paragraph
    assert all("<w:t " not in body for _, body in dels)  # deleted text is w:delText only
    # the date is HEAD's commit time; every revision id is unique
    assert 'w:date="2027-01-02T10:00:00Z"' in xml
    ids = re.findall(r"<w:(?:ins|del) w:id=\"(\d+)\"", xml)
    assert len(ids) == len(set(ids)) and len(ids) >= 6
    # the new paragraph's mark and the new table row are tracked insertions too
    assert re.search(r"<w:pPr>[^/]*?<w:numPr>.*?<w:rPr><w:ins w:id", xml)
    assert re.search(r"<w:trPr><w:cantSplit/><w:ins w:id=\"\d+\"", xml)
    assert "tracked changes" in text


def test_identical_revisions_give_a_redline_without_changes(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path)
    out = tmp_path / "same.docx"
    code, _ = redline(root, "base", "HEAD", "deals/small.yaml", "-o", str(out))
    assert code == 0
    xml = body_xml(out.read_bytes())
    assert "<w:ins " not in xml and "<w:del " not in xml


def test_deleted_and_inserted_clauses_are_tracked_whole() -> None:
    from tests.conftest import MINILIB

    base = document_for(MINILIB, "small-m4.yaml")  # has gain-sharing (maturity 4)
    head = document_for(MINILIB, "small.yaml")  # does not
    data, count = render_redline(base, head)
    xml = body_xml(data)
    assert count > 0
    gain = xml[xml.index("Gain-Sharing") - 400 : xml.index("Gain-Sharing") + 50]
    assert "<w:del " in gain and "<w:delText" in gain
    back, _ = render_redline(head, base)
    gain = body_xml(back)
    gain = gain[gain.index("Gain-Sharing") - 400 : gain.index("Gain-Sharing") + 50]
    assert "<w:ins " in gain and "<w:delText" not in gain


def test_redline_is_deterministic(changed: tuple[Path, Path], tmp_path: Path) -> None:
    _, root = changed
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    redline(root, "base", "HEAD", "deals/small.yaml", "-o", str(a))
    redline(root, "base", "HEAD", "deals/small.yaml", "-o", str(b))
    assert a.read_bytes() == b.read_bytes()


def test_redline_never_touches_the_work_tree_or_index(changed: tuple[Path, Path]) -> None:
    top, root = changed
    before = state(top)
    code, _ = redline(root, "base", "HEAD", "deals/small.yaml", "-o", str(top.parent / "r.docx"))
    assert code == 0 and state(top) == before


def test_hostile_revision_is_refused(changed: tuple[Path, Path], tmp_path: Path) -> None:
    _, root = changed
    code, out = redline(root, "--", "--output=x", "HEAD", "deals/small.yaml")
    assert code == 2 and "may not start with '-'" in out


def test_redline_opens_in_libreoffice_with_the_changes_visible(
    changed: tuple[Path, Path], tmp_path: Path
) -> None:
    soffice = soffice_or_skip()
    _, root = changed
    out = tmp_path / "small-redline.docx"
    redline(root, "base", "HEAD", "deals/small.yaml", "-o", str(out))
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    pdf = tmp_path / "small-redline.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # LibreOffice shows tracked changes: both the deleted and the inserted words are on the page.
    # Where a line wraps depends on the fonts installed, so compare with whitespace normalised.
    text = " ".join(text.split())
    assert "monthly" in text and "invoiced for the month" in text
    assert "Emails answered in one day" in text and "The Supplier shall report every Month." in text
