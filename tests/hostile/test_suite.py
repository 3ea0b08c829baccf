"""The hostile suite itself: enough cases, and each threat of docs/security.md has one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
REPO = HERE.parents[1]


def test_there_are_at_least_25_hostile_cases() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            str(HERE),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    ).stdout
    cases = [ln for ln in out.splitlines() if "::" in ln and "test_suite.py" not in ln]
    assert len(cases) >= 25, len(cases)


def test_every_threat_in_the_security_guide_names_its_test() -> None:
    guide = (REPO / "docs" / "security.md").read_text("utf-8")
    rows = [ln for ln in guide.splitlines() if ln.startswith("| T")]
    assert len(rows) >= 25
    for row in rows:
        test = row.rstrip(" |").rsplit("|", 1)[-1].strip().strip("`")
        module, _, name = test.partition("::")
        assert (HERE / module).is_file(), row
        assert f"def {name.split('[')[0]}(" in (HERE / module).read_text("utf-8"), row
