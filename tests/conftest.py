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
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
