"""A large batch ends with one summary line on a terminal, not a line a deal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import draft as draft_command
from generator.cli import main
from generator.cli.draft import SUMMARY_AFTER


def test_a_batch_prints_one_summary_line(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(draft_command, "_terminal", lambda: True)
    n = SUMMARY_AFTER + 2
    deals = []
    for i in range(n):
        target = minilib / "deals" / f"copy-{i:02d}.yaml"
        shutil.copy(minilib / "deals" / "small.yaml", target)
        deals.append(str(target))
    out = tmp_path / "o"
    args = ["draft", "--library", str(minilib), *deals, "-o", str(out)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    lines = [ln for ln in first.output.splitlines() if ln.startswith("drafted")]
    assert lines == [f"drafted {n} deals -> {out} ({n} written, 0 unchanged)"]
    assert len(list(out.glob("copy-*.docx"))) == n
    again = CliRunner().invoke(main, args)
    assert f"drafted {n} deals -> {out} (0 written, {n} unchanged)" in again.output


def test_a_few_deals_keep_a_line_each(minilib: Path, tmp_path: Path) -> None:
    deals = [str(p) for p in sorted((minilib / "deals").glob("*.yaml"))]
    assert 1 < len(deals) <= SUMMARY_AFTER
    result = CliRunner().invoke(
        main, ["draft", "--library", str(minilib), *deals, "-o", str(tmp_path)]
    )
    assert sum(ln.startswith("drafted deals/") for ln in result.output.splitlines()) == len(deals)
