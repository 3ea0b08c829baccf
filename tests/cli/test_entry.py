"""The installed script's entry: the click command line, exit codes kept, collector left on."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from generator.cli import entry


def test_entry_runs_the_command_line_and_leaves_the_collector_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["clausebook", "--help"])
    try:
        with pytest.raises(SystemExit) as exit_:
            entry.main()
        assert exit_.value.code == 0
        assert "Usage: clausebook" in capsys.readouterr().out
        assert gc.isenabled()  # a batch keeps collecting between drafts
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_python_dash_m_and_a_usage_error_exit_code() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "generator", "no-such-command"], capture_output=True, text=True
    )
    assert out.returncode == 2 and "No such command" in out.stderr
    assert "Usage: clausebook" in out.stderr
