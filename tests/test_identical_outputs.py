"""The speed work must not change a byte: the sample drafts as committed, and the fast package
path against the python-docx save path it replaced."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest

from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library
from generator.writers.docx import writer
from generator.writers.docx.package import package_bytes
from generator.writers.docx.writer import repack

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "deals").glob("*.yaml"))
WHEN = dt.datetime(2027, 1, 1)


def _saved_then_repacked(d: object, when: dt.datetime) -> bytes:
    """The save path as it was: python-docx zips the package, repack zips it again."""
    buf = io.BytesIO()
    d.save(buf)  # type: ignore[attr-defined]
    return repack(buf.getvalue(), when)


def _saved_members(d: object) -> list[tuple[str, bytes]]:
    """The members python-docx's own save writes (what package_members stands in for)."""
    buf = io.BytesIO()
    d.save(buf)  # type: ignore[attr-defined]
    z = zipfile.ZipFile(buf)
    return [(name, z.read(name)) for name in z.namelist()]


@pytest.fixture(scope="module")
def repo_library() -> object:
    return load_library(REPO)


@pytest.mark.parametrize("deal", SAMPLES, ids=lambda p: p.stem)
def test_sample_drafts_match_committed_markdown_and_the_old_docx_path(
    deal: Path, repo_library: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    first = make_draft(repo_library, deal, ["md", "docx"])  # type: ignore[arg-type]
    committed = REPO / "outputs" / f"{deal.stem}.md"
    assert first.files[f"{deal.stem}.md"] == committed.read_bytes()
    # the second draft of the deal writes its package from the kept skeleton, without python-docx
    made = []
    monkeypatch.setattr(writer, "_with_python_docx", lambda *a: made.append(a) or b"")
    fast = make_draft(repo_library, deal, ["docx"])  # type: ignore[arg-type]
    assert made == []
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    monkeypatch.setenv("CLAUSEBOOK_NO_CACHE", "1")
    monkeypatch.setattr(writer, "package_members", _saved_members)
    slow = make_draft(repo_library, deal, ["docx"])  # type: ignore[arg-type]
    digest = hashlib.sha256
    name = f"{deal.stem}.docx"
    assert digest(first.files[name]).digest() == digest(slow.files[name]).digest()
    assert digest(fast.files[name]).digest() == digest(slow.files[name]).digest()


def test_package_bytes_equal_save_then_repack_with_comments(minilib: Path) -> None:
    lib = load_library(minilib)
    from generator.pipeline.build import _word
    from generator.pipeline.deal import load_deal
    from generator.pipeline.render import render_document
    from generator.pipeline.select import select

    deal = load_deal(lib, minilib / "deals/small.yaml", "deals/small.yaml")
    document = render_document(select(lib, deal))
    # with notes: comments and custom properties
    data = _word(lib, deal, document, "0" * 64, None, True, ["docx"], False, "small")["small.docx"]
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"word/comments.xml", "docProps/custom.xml"} <= names
    d = docx.Document(io.BytesIO(data))
    assert package_bytes(d, WHEN) == _saved_then_repacked(docx.Document(io.BytesIO(data)), WHEN)
