"""The cache key names everything a cached library depends on, the engine's own files included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cache

PACKAGE = Path(cache.__file__).resolve().parent


@pytest.fixture()
def engine(tmp_path: Path) -> Path:
    copy = tmp_path / "generator"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_editing_engine_code_changes_the_digest(engine: Path) -> None:
    before = cache.tree_digest(engine)
    select = engine / "pipeline" / "select.py"
    select.write_text(select.read_text() + "\n# same version string, other code\n")
    assert cache.tree_digest(engine) != before


def test_editing_a_packaged_schema_changes_the_digest(engine: Path) -> None:
    before = cache.tree_digest(engine)
    schema = engine / "schemas" / "deal.schema.json"
    schema.write_text(schema.read_text().replace('"title"', '"title" ', 1))
    assert cache.tree_digest(engine) != before


def test_bytecode_and_the_scaffold_do_not_change_the_digest(engine: Path) -> None:
    before = cache.tree_digest(engine)
    (engine / "__pycache__").mkdir()
    (engine / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (engine / "scaffold" / "template" / "README.md").write_text("another readme")
    assert cache.tree_digest(engine) == before


def test_library_key_and_entries_depend_on_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [("clauses/a.yaml", b"id: a\n")]
    key = cache.library_key(files)
    cache.store("library", key, {"cached": True})
    assert cache.load("library", key) == {"cached": True}
    monkeypatch.setattr(cache, "engine_digest", lambda: "another engine")
    assert cache.library_key(files) != key
    assert cache.load("library", key) is None  # the same key, salted by another engine
