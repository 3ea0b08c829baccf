from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MINILIB = REPO / "tests" / "fixtures" / "minilib"


@pytest.fixture()
def minilib(tmp_path: Path) -> Path:
    """A private copy of the small test library, safe to break."""
    root = tmp_path / "lib"
    shutil.copytree(MINILIB, root)
    return root


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # Each test session gets its own cache, so no test depends on what an earlier run left.
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
