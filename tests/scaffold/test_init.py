"""`clausebook init`: a new firm library passes every check as created, and nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator import __version__
from generator.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_init_writes_a_library_that_validates_lints_builds_and_drafts(tmp_path: Path) -> None:
    lib = tmp_path / "firm-lib"
    code, out = run("init", str(lib))
    assert code == 0, out
    for rel in (
        "clauses/general/definitions.yaml",
        "clauses/services/services.yaml",
        "playbooks/standard.yaml",
        "deals/example.yaml",
        "styles/reference.docx",
        "clausebook.toml",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/clause-review.yml",
        "README.md",
        "schemas/clause.schema.json",
        "outputs/example.md",
    ):
        assert (lib / rel).is_file(), rel
    pre_commit = (lib / ".pre-commit-config.yaml").read_text()
    assert f"rev: v{__version__}\n" in pre_commit
    assert f"@v{__version__}\n" in (lib / ".github/workflows/clause-review.yml").read_text()
    for command in (["validate"], ["lint"], ["build", "--check"]):
        code, out = run(*command, "--library", str(lib))
        assert code == 0, (command, out)
    code, out = run("draft", str(lib / "deals/example.yaml"), "--library", str(lib))
    assert code == 0, out
    assert (lib / "outputs/example.docx").stat().st_size > 1000
    md = (lib / "outputs/example.md").read_text()
    assert "**“Effective Date”** means 1 January 2027." in md


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out = run("init", str(tmp_path))
    assert code == 2
    assert "not-empty" in out and "--force" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_force_adds_missing_files_and_overwrites_none(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    (tmp_path / "README.md").write_text("our own readme\n")
    code, out = run("init", str(tmp_path), "--force")
    assert code == 0, out
    assert (tmp_path / "README.md").read_text() == "our own readme\n"
    assert "kept" in out and "README.md" in out
    assert (tmp_path / "clauses/services/services.yaml").is_file()


def test_init_into_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "lib"
    target.write_text("x")
    code, out = run("init", str(target), "--force")
    assert code == 2
    assert "Traceback" not in out
