"""The per-user cache is an optimisation: a cache that cannot be written never stops a draft,
and it never serves one version of the library under another's key."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cache

from .support import cli, draft, validate


@pytest.fixture()
def fresh_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_warned", False)
    monkeypatch.delenv("CLAUSEBOOK_NO_CACHE", raising=False)


@pytest.mark.parametrize("where", ["file-instead-of-folder", "folder-under-a-file"])
def test_unwritable_cache_is_skipped_with_one_warning(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_warning: None, where: str
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    folder = blocker if where == "file-instead-of-folder" else blocker / "clausebook"
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(folder))
    outcome = validate(minilib)
    assert outcome.code == 0, outcome.output
    warning = f"clausebook: warning: the cache folder {folder} cannot be written ("
    assert outcome.output.count(warning) == 1, outcome.output
    assert "ok: 5 clauses" in outcome.output
    outcome = draft(minilib, tmp_path / "out", "small.yaml", "small-m4.yaml")
    assert outcome.code == 0, outcome.output
    assert (tmp_path / "out" / "small.docx").is_file()
    assert blocker.read_text() == "not a folder"


def test_cache_folder_writable_by_others_is_not_trusted(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_warning: None
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(folder))
    assert validate(minilib).code == 0
    # a planted entry is never unpickled: the folder is writable by others
    assert cache.load("library", "x") is None
    assert cli("validate", "--library", minilib).code == 0


def test_library_parsed_is_the_library_hashed_even_if_a_file_changes_meanwhile(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `git pull` between hashing and parsing: the cached entry holds the text of its key."""
    from generator.pipeline import library

    monkeypatch.delenv("CLAUSEBOOK_NO_CACHE", raising=False)
    monkeypatch.setenv("CLAUSEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    carrier = minilib / "clauses/core/services.yaml"
    version_a = carrier.read_text("utf-8")
    version_b = version_a.replace("provide the Services from", "provide the Pulled Services from")
    real = library.discover

    def pull_meanwhile(root: Path, contents: object = None) -> object:
        carrier.write_text(version_b, "utf-8")  # lands after the key was hashed
        return real(root, contents)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "discover", pull_meanwhile)
    assert draft(minilib, tmp_path / "a", "small.yaml").code == 0
    assert "Pulled" not in (tmp_path / "a" / "small.md").read_text("utf-8")
    monkeypatch.setattr(library, "discover", real)
    assert draft(minilib, tmp_path / "b", "small.yaml").code == 0  # B on disk, B in the draft
    assert "provide the Pulled Services from" in (tmp_path / "b" / "small.md").read_text("utf-8")


@pytest.mark.parametrize("edit", ["schemas/clause.schema.json", "pipeline/values.py"])
def test_cache_key_covers_the_engine_code_and_its_packaged_schemas(
    tmp_path: Path, edit: str
) -> None:
    import shutil

    import generator

    package = tmp_path / "generator"
    shutil.copytree(Path(generator.__file__).parent, package)
    before = cache.tree_digest(package)
    assert before == cache.tree_digest(Path(generator.__file__).parent)
    target = package / edit
    target.write_text(target.read_text("utf-8") + "\n", "utf-8")  # a one-byte change
    assert cache.tree_digest(package) != before
    assert cache.engine_digest().encode() in cache._salt()
