"""--library works on the group and on every command; deal paths fall back to the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def leaf_commands() -> list[tuple[str, ...]]:
    import click

    out: list[tuple[str, ...]] = []

    def walk(cmd: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, (*path, name))
        out.append(path)  # groups too: `clausebook clauses --help` shows an example

    walk(main, ())
    return out


# They make or need no library; a group passes --library on (the root group takes it itself).
LIBRARY_FREE = {
    ("init",),
    ("schemas",),
    ("schemas", "export"),
    ("pr-comment",),
    ("clauses",),
    ("playbook",),
}


@pytest.mark.parametrize("path", leaf_commands(), ids=lambda p: " ".join(p) or "clausebook")
def test_every_command_takes_library_and_has_an_example(path: tuple[str, ...]) -> None:
    code, out = run(*path, "--help")
    assert code == 0
    assert ("--library" in out) or path in LIBRARY_FREE, path
    assert "Example" in out, f"`clausebook {' '.join(path)} --help` shows no example"


def test_group_library_reaches_the_command_and_deal_paths_resolve_inside_it(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out = run("--library", str(minilib), "draft", "deals/small.yaml", "--format", "md")
    assert code == 0, out
    assert (minilib / "outputs" / "small.md").is_file()
    code, out = run("explain", "--library", str(minilib), "deals/small.yaml")
    assert code == 0, out


def test_a_missing_deal_says_where_it_looked(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("--library", str(minilib), "draft", "deals/nope.yaml")
    assert code == 2
    assert "deal file not found (looked for" in out
    assert f"{tmp_path.resolve()}/deals/nope.yaml and {minilib.resolve()}/deals/nope.yaml" in out


def test_reference_docx_exports_the_librarys_house_style(minilib: Path, tmp_path: Path) -> None:
    code, out = run("reference-docx", str(tmp_path / "default.docx"), "--library", str(minilib))
    assert code == 0 and "default house style" in out
    (minilib / "styles").mkdir()
    (minilib / "styles" / "reference.docx").write_bytes((tmp_path / "default.docx").read_bytes())
    code, out = run("--library", str(minilib), "reference-docx", str(tmp_path / "house.docx"))
    assert code == 0 and "the library's house style" in out
