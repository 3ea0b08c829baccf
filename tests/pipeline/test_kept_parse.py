"""A deal's parse kept in the cache (pipeline/load.py): the same result, and no PyYAML when warm."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import load, yamlparse

DEAL = b"title: Acme BPO\nmaturity: 3\nterm:\n  months: 36\nstart: 2026-01-31\n"


def test_a_kept_parse_is_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = yamlparse.parse_yaml(DEAL, "deals/acme.yaml")
    first = load.parse_yaml(DEAL, "deals/acme.yaml", keep=True)
    monkeypatch.setattr(yamlparse, "parse_yaml", lambda *a: pytest.fail("parsed again"))
    again = load.parse_yaml(DEAL, "deals/acme.yaml", keep=True)
    for got in (first, again):
        assert got == fresh and got.sha256 == fresh.sha256
        assert got.positions == fresh.positions and got.key_positions == fresh.key_positions


def test_what_the_key_names_changes_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    load.parse_yaml(DEAL, "deals/acme.yaml", keep=True)
    edited = DEAL.replace(b"36", b"48")
    assert load.parse_yaml(edited, "deals/acme.yaml", keep=True).data["term"]["months"] == 48
    moved = load.parse_yaml(DEAL, "deals/other.yaml", keep=True)
    assert moved.path == "deals/other.yaml"  # the name is in every message: part of the key


def test_a_failed_parse_is_never_kept() -> None:
    bad = b"title: [unclosed\n"
    for _ in range(2):
        with pytest.raises(ContentError) as exc:
            load.parse_yaml(bad, "deals/bad.yaml", keep=True)
        assert exc.value.diagnostics[0].path == "deals/bad.yaml"


def test_without_the_cache_every_parse_is_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEBOOK_NO_CACHE", "1")
    calls: list[str] = []
    real = yamlparse.parse_yaml

    def counted(*a: object) -> object:
        calls.append("parse")
        return real(*a)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlparse, "parse_yaml", counted)
    load.parse_yaml(DEAL, "deals/acme.yaml", keep=True)
    load.parse_yaml(DEAL, "deals/acme.yaml", keep=True)
    assert calls == ["parse", "parse"]


def test_a_warm_draft_imports_no_yaml(minilib: Path) -> None:
    probe = (
        "import sys; from generator.script import main; main(); "
        "print(sorted(m for m in ('yaml', 'click') if m in sys.modules))"
    )
    cmd = [sys.executable, "-c", probe, "draft", "deals/small.yaml"]
    first = subprocess.run(cmd, cwd=minilib, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    warm = subprocess.run(cmd, cwd=minilib, capture_output=True, text=True)
    assert warm.returncode == 0 and warm.stdout == "[]\n", warm.stderr
