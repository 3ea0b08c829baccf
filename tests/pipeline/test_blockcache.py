"""Blocks of rendered text kept between runs: reused only for the same text and references."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from generator.model import Block
from generator.pipeline import blockcache, render
from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library

PARSE = render.parse_blocks


class Counting:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str, numbers: Mapping[str, str]) -> list[Block]:
        self.texts.append(text)
        return PARSE(text, numbers)


@pytest.fixture()
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Counting:
    """An empty cache and a new process's view of it, counting the texts actually parsed."""
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path / "own-cache"))
    counting = Counting()
    monkeypatch.setattr(blockcache, "_SHARED", blockcache.BlockCache())
    monkeypatch.setattr(render, "parse_blocks", counting)
    return counting


def _draft(root: Path) -> dict[str, bytes]:
    blockcache._SHARED = blockcache.BlockCache()  # as a new process would start
    return make_draft(load_library(root), root / "deals/small.yaml", ["md", "docx"]).files


def test_second_run_parses_nothing_and_gives_the_same_bytes(minilib: Path, fresh: Counting) -> None:
    first = _draft(minilib)
    assert fresh.texts  # the first run parsed
    fresh.texts.clear()
    assert _draft(minilib) == first
    assert fresh.texts == []


def test_an_edited_clause_is_parsed_again_alone(minilib: Path, fresh: Counting) -> None:
    _draft(minilib)
    clause = minilib / "clauses" / "core" / "services.yaml"
    text = clause.read_text()
    assert "The Supplier shall:" in text
    clause.write_text(text.replace("The Supplier shall:", "The Supplier must:"))
    fresh.texts.clear()
    second = _draft(minilib)
    assert len(fresh.texts) == 1 and "The Supplier must:" in fresh.texts[0]
    assert b"The Supplier must:" in second["small.md"]


def test_a_reference_renumbered_is_parsed_again() -> None:
    cache = blockcache.BlockCache()
    calls: list[str] = []

    def parse(text: str, numbers: Mapping[str, str]) -> list[Block]:
        calls.append(numbers["x"])
        return render.parse_blocks(text, numbers)

    text = f"See {render.REF_OPEN}x{render.REF_CLOSE}."
    a = cache.blocks(text, {"x": "Clause 4"}, parse, ["x"])
    b = cache.blocks(text, {"x": "Clause 5"}, parse, ["x"])
    c = cache.blocks(text, {"x": "Clause 4", "other": "Clause 9"}, parse, ["x"])
    assert calls == ["Clause 4", "Clause 5"]  # the unrelated number does not matter
    assert a == c and a != b


def test_engine_key_covers_the_parser_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = Path(blockcache.__file__).resolve().parent
    copy = tmp_path / "generator"
    (copy / "pipeline").mkdir(parents=True)
    for name in ("render.py", "blockcache.py"):
        shutil.copy(pkg / name, copy / "pipeline" / name)
    shutil.copy(pkg.parent / "model.py", copy / "model.py")
    original = blockcache.engine_key.__wrapped__()  # the files as they are now, not as cached
    monkeypatch.setattr(blockcache, "__file__", str(copy / "pipeline" / "blockcache.py"))
    same = blockcache.engine_key.__wrapped__()
    assert same == original
    (copy / "pipeline" / "render.py").write_text((pkg / "render.py").read_text() + "\n# changed\n")
    assert blockcache.engine_key.__wrapped__() != same


def test_a_warm_draft_does_not_import_the_markdown_parser(minilib: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path;"
        "from generator.pipeline.build import make_draft;"
        "from generator.pipeline.library import load_library;"
        f"root = Path({str(minilib)!r});"
        "make_draft(load_library(root), root / 'deals/small.yaml', ['md', 'docx']);"
        "print('markdown_it' in sys.modules)"
    )
    env = dict(os.environ, CLAUSEBOOK_CACHE_DIR=str(tmp_path / "cache"))
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"]
