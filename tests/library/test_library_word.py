"""Every sample deal's Word draft: LibreOffice renders it, and read back it matches the Markdown."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.pipeline.build import make_draft
from tests.helpers import REPO, repo_library, soffice_or_skip
from tests.writers.test_docx import word_numbers

DEALS = sorted((REPO / "deals").glob("*.yaml"))


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    out = tmp_path_factory.mktemp("drafts")
    result = {}
    for path in DEALS:
        files = make_draft(repo_library(), path, ["md", "docx"]).files
        docx = out / f"{path.stem}.docx"
        docx.write_bytes(files[f"{path.stem}.docx"])
        result[path.stem] = (files[f"{path.stem}.md"].decode(), docx)
    return result


def test_libreoffice_renders_every_sample_deal(
    drafts: dict[str, tuple[str, Path]], tmp_path: Path
) -> None:
    soffice = soffice_or_skip()
    docs = [str(d) for _, d in drafts.values()]
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *docs],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    for stem, (md, _) in drafts.items():
        pdf = (tmp_path / f"{stem}.pdf").read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        words = len(md.split())
        # roughly 350-600 words a page with tables and headings; a broken file gives 0 or 1
        assert words / 700 <= pages <= words / 250, (stem, pages, words)


@pytest.mark.parametrize("stem", [p.stem for p in DEALS])
def test_word_numbers_and_headings_match_the_markdown(
    stem: str, drafts: dict[str, tuple[str, Path]]
) -> None:
    md, docx = drafts[stem]
    numbers = word_numbers(docx.read_bytes())
    word_clauses = [f"{n} {t}" for n, t in numbers if re.fullmatch(r"\d+\.\d+", n)]
    md_clauses = [ln.removeprefix("### ") for ln in md.splitlines() if ln.startswith("### ")]
    assert word_clauses == md_clauses
    word_paras = [n for n, _ in numbers if re.fullmatch(r"\d+\.\d+\.\d+", n)]
    assert word_paras == re.findall(r"^(\d+\.\d+\.\d+) ", md, flags=re.M)


def test_pandoc_reads_back_every_clause_in_order(drafts: dict[str, tuple[str, Path]]) -> None:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc not installed: apt-get install pandoc (CI installs it)")
    md, docx = drafts["care-outcome-gdpr"]
    back = subprocess.run(
        [pandoc, str(docx), "-t", "markdown", "--wrap=none"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    titles = [ln.split(" ", 2)[2] for ln in md.splitlines() if ln.startswith("### ")]
    positions = []
    for title in titles:
        # pandoc reads a numbered heading as a list item holding a heading: "5.  ## Service Credits"
        pattern = r"#+ " + re.escape(title) + r"(\s|$)"
        m = re.search(pattern, back[positions[-1] if positions else 0 :], flags=re.M)
        assert m is not None, f"clause heading '{title}' not found in order in pandoc's reading"
        positions.append((positions[-1] if positions else 0) + m.end())
