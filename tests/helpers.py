"""Shared test helpers: draft a fixture deal through the real pipeline."""

from __future__ import annotations

import copy
import os
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from generator.model import Deal, Document, Library, Selection
from generator.pipeline.deal import load_deal
from generator.pipeline.library import load_library
from generator.pipeline.render import render_document
from generator.pipeline.select import select


def selection_for(root: Path, deal: str) -> Selection:
    lib = load_library(root)
    d = load_deal(lib, root / "deals" / deal, f"deals/{deal}")
    return select(lib, d)


def document_for(root: Path, deal: str) -> Document:
    return render_document(selection_for(root, deal))


def write_deal(
    root: Path, name: str, extra: str = "", maturity: int = 1, stance: str = "client"
) -> str:
    base = (root / "deals" / "small.yaml").read_text()
    base = base.replace("maturity: 1", f"maturity: {maturity}").replace(
        "stance: client", f"stance: {stance}"
    )
    (root / "deals" / name).write_text(base + extra)
    return name


def soffice_or_skip() -> str:
    """LibreOffice for render checks: required in CI, a visible skip on a laptop without it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI") or os.environ.get("CLAUSEBOOK_REQUIRE_SOFFICE"):
        pytest.fail("LibreOffice (soffice) is required for render checks; .ci/run installs it")
    pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer")


REPO = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def repo_library() -> Library:
    """The repository's own library, loaded once per test session."""
    return load_library(REPO)


def repo_deal(name: str, **changes: Any) -> Deal:
    """A sample deal from deals/, with fields changed: repo_deal("x.yaml", pricing__model="fte")."""
    d = load_deal(repo_library(), REPO / "deals" / name, f"deals/{name}")
    data = copy.deepcopy(d.data)
    for key, value in changes.items():
        target = data
        *path, last = key.split("__")
        for part in path:
            target = target[part]
        target[last] = value
    return Deal(d.id, d.name, data, d.source)


def body_paragraphs(d: Any) -> list[Any]:
    """The paragraphs of a python-docx document's body, those inside content controls (each
    clause is one) included; table cells' excluded, as ``d.paragraphs`` excludes them."""
    from docx.text.paragraph import Paragraph

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return [
        Paragraph(p, d._body)
        for p in d.element.body.iter(w + "p")
        if not any(a.tag == w + "tc" for a in p.iterancestors())
    ]
