"""Shared test helpers: draft a fixture deal through the real pipeline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.model import Document, Selection
from generator.render import render_document
from generator.select import select
from generator.validate import load_deal, load_library


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
