"""The kept template findings: a library with one edited file re-parses only that file's
templates, and every diagnostic is the one a check without the cache gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import checkcache
from generator.pipeline import library as L
from generator.pipeline.library import load_library


def _errors(root: Path) -> list[str]:
    try:
        load_library(root)
    except ContentError as exc:
        return [str(d) for d in exc.diagnostics]
    return []


@pytest.fixture()
def parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The templates the checks parse, with a cache of this test's own."""
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(checkcache, "_SHARED", checkcache.CheckCache())  # nothing in memory
    seen: list[str] = []
    real = L.undeclared

    def spy(source: str):  # type: ignore[no-untyped-def]
        seen.append(source)
        return real(source)

    monkeypatch.setattr(L, "undeclared", spy)
    return seen


def _bad_library(minilib: Path) -> Path:
    f = minilib / "clauses" / "core" / "services.yaml"
    text = f.read_text()
    assert "ref('sla-schedule')" in text
    f.write_text(text.replace("ref('sla-schedule')", "ref('sla-schedul') }} {{ nonesuch"))
    return f


def test_one_edited_file_reparses_only_its_templates(minilib: Path, parsed: list[str]) -> None:
    load_library(minilib)
    first = len(parsed)
    assert first > 3
    f = minilib / "clauses" / "core" / "services.yaml"
    f.write_text(f.read_text().replace("meet the Service Levels", "meet every Service Level"))
    load_library(minilib)
    again = parsed[first:]
    assert again and all("every Service Level" in s for s in again)


def test_kept_findings_give_the_uncached_diagnostics(
    minilib: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _bad_library(minilib)
    cold = _errors(minilib)
    assert any("unknown-ref" in e and "sla-schedul" in e for e in cold)
    assert any("'nonesuch' is not defined" in e for e in cold)
    count = len(parsed)
    warm = _errors(minilib)
    assert len(parsed) == count  # nothing parsed again
    monkeypatch.setenv("CLAUSEBOOK_NO_CACHE", "1")
    assert warm == cold == _errors(minilib)


def test_ref_targets_are_checked_against_the_library_every_time(
    minilib: Path, parsed: list[str]
) -> None:
    _bad_library(minilib)
    assert any("sla-schedul'" in e for e in _errors(minilib))
    # a clause with the missing id appears: the same template's ref is now fine
    src = minilib / "clauses" / "sla" / "sla-schedule.yaml"
    if not src.exists():
        src = next(
            p for p in (minilib / "clauses").rglob("*.yaml") if "id: sla-schedule" in p.read_text()
        )
    clone = src.with_name("sla-schedul.yaml")
    shutil.copy(src, clone)
    clone.write_text(clone.read_text().replace("id: sla-schedule", "id: sla-schedul", 1))
    assert not any("sla-schedul'" in e and "unknown-ref" in e for e in _errors(minilib))
