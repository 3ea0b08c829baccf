"""`clausebook build [--check]` and `clausebook draft --at REV`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.gitlib import commit, edit, library_repo, state


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_build_writes_every_deal_and_check_passes_then_catches_a_stale_draft(
    minilib: Path,
) -> None:
    code, out = run("build", "--library", str(minilib))
    assert code == 0, out
    assert sorted(p.name for p in (minilib / "outputs").iterdir()) == ["small-m4.md", "small.md"]
    assert "build: 2 written, 0 unchanged" in out
    code, out = run("build", "--check", "--library", str(minilib))
    assert code == 0 and "build check ok: 2 Markdown drafts match the library" in out
    edit(minilib / "clauses/sla/service-credits.yaml", "monthly Charges", "Charges for the month")
    code, out = run("build", "--check", "--library", str(minilib))
    assert code == 1
    assert (
        "outputs/small.md:39:1: error[build-check]: differs from what the library now drafts for deals/small.yaml"
        in out
    )
    assert "run `clausebook build` and commit outputs/" in out
    assert "monthly Charges" in (minilib / "outputs/small.md").read_text()  # --check writes nothing
    (minilib / "outputs/small-m4.md").unlink()
    code, out = run("build", "--check", "--library", str(minilib))
    assert (
        "outputs/small-m4.md:1:1: error[build-missing]: no committed draft for deals/small-m4.yaml"
        in out
    )
    code, out = run("build", "--library", str(minilib))
    assert code == 0 and "build: 2 written" in out
    assert run("build", "--check", "--library", str(minilib))[0] == 0


def test_build_output_is_the_same_markdown_as_draft(minilib: Path, tmp_path: Path) -> None:
    run("build", "--library", str(minilib))
    out = tmp_path / "drafts"
    run(
        "draft",
        "--library",
        str(minilib),
        str(minilib / "deals/small.yaml"),
        "-o",
        str(out),
        "--format",
        "md",
    )
    assert (out / "small.md").read_bytes() == (minilib / "outputs/small.md").read_bytes()


def test_draft_at_a_revision_uses_the_library_as_it_was(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    edit(root / "clauses/sla/service-credits.yaml", "monthly Charges", "Charges for the month")
    commit(top)
    out = tmp_path / "old"
    before = state(top)
    code, text = run(
        "draft",
        "--library",
        str(root),
        str(root / "deals/small.yaml"),
        "--at",
        "base",
        "-o",
        str(out),
        "--format",
        "md",
    )
    assert code == 0, text
    assert "monthly Charges" in (out / "small.md").read_text()
    manifest = json.loads((out / "small.manifest.json").read_text())
    base_sha = manifest["library"]["commit"]
    assert manifest["library"]["revision"] == "base" and len(base_sha) == 40
    assert state(top) == before
    code, text = run(
        "draft",
        "--library",
        str(root),
        str(root / "deals/small.yaml"),
        "--at",
        "--output=x",
        "-o",
        str(out),
    )
    assert code == 2 and "may not start with '-'" in text
