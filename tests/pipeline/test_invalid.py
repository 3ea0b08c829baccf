"""Every file in tests/invalid/ is one user mistake with the exact message it must produce."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

CASES = sorted((Path(__file__).parents[1] / "invalid").glob("*.yaml"))


def _expected(case: Path) -> tuple[str, list[str]]:
    lines = case.read_text("utf-8").splitlines()
    kind = lines[0].split(":", 1)[1].strip()
    return kind, [ln.removeprefix("# expect: ") for ln in lines if ln.startswith("# expect: ")]


def test_there_is_a_case_for_every_kind_of_mistake() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_file_gives_exact_message(case: Path, minilib: Path) -> None:
    kind, expected = _expected(case)
    assert expected, f"{case.name} has no '# expect:' line"
    if kind == "deal":
        target = minilib / "deals" / case.name
        args = ["validate", "--library", str(minilib), str(target)]
    else:
        target = minilib / "clauses" / "core" / case.name
        args = ["validate", "--library", str(minilib)]
    shutil.copy(case, target)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    got = [ln for ln in result.output.splitlines() if ln.startswith(("clauses/", "deals/"))]
    assert got == expected
