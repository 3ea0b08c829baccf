"""Optional extras: a missing one is a usage error naming the pip command, before any output."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main


def test_chart_without_matplotlib_names_the_extra_and_exits_2(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    chart = tmp_path / "stats.png"
    result = CliRunner().invoke(
        main, ["playbook", "stats", "--library", str(minilib), "--chart", str(chart)]
    )
    assert result.exit_code == 2
    assert result.output == (
        f"{chart.as_posix()}:1:1: error[missing-extra]: drawing a chart needs matplotlib: "
        "pip install 'clausebook[charts]'\n1 problem found\n"
    )
    assert not chart.exists()
