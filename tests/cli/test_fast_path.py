"""The installed script's click-free `draft DEAL` (generator/script.py) against the click path.

Both run as whole processes in the same library: the script (fast path first) and the click
command line alone (generator/cli/entry.py). Messages, exit codes and written bytes must match.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.script import Simple, simple_draft

SCRIPT = "from generator.script import main; main()"
CLICK = "from generator.cli.entry import main; main()"


def run(code: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True
    )


def same(minilib: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``args`` both ways, each in a fresh copy of the library; return the script's run."""
    twin = minilib.parent / "twin"
    shutil.copytree(minilib, twin)
    fast = run(SCRIPT, minilib, *args)
    slow = run(CLICK, twin, *args)
    assert (fast.returncode, fast.stdout) == (slow.returncode, slow.stdout)
    assert fast.stderr.replace(str(minilib), "LIB") == slow.stderr.replace(str(twin), "LIB")
    outputs = (
        sorted(p.name for p in (minilib / "outputs").glob("*"))
        if (minilib / "outputs").exists()
        else []
    )
    twins = (
        sorted(p.name for p in (twin / "outputs").glob("*")) if (twin / "outputs").exists() else []
    )
    assert outputs == twins
    for name in outputs:
        if name.endswith(".md"):
            assert (minilib / "outputs" / name).read_bytes() == (
                twin / "outputs" / name
            ).read_bytes()
    return fast


@pytest.mark.parametrize(
    ("argv", "simple"),
    [
        (["draft", "deals/a.yaml"], Simple("deals/a.yaml")),
        (["draft", "a.yml"], Simple("a.yml")),
        (
            ["draft", "--force", "a.yaml", "-o", "out", "--library", "lib"],
            Simple("a.yaml", "out", True, "lib"),
        ),
        (["draft", "--output", "out", "a.yaml"], Simple("a.yaml", "out")),
        (["draft"], None),
        (["draft", "a.yaml", "b.yaml"], None),
        (["draft", "a.yaml", "--jobs", "2"], None),
        (["draft", "a.yaml", "-o"], None),
        (["draft", "a.yaml", "-o", "--force"], None),
        (["draft", "a.yaml", "-o", "x", "-o", "y"], None),
        (["draft", "a.yaml", "--force", "--force"], None),
        (["draft", "a.yaml", "-ox"], None),
        (["draft", "a.yaml", "--output=x"], None),
        (["draft", "--", "a.yaml"], None),
        (["draft", "-"], None),
        (["draft", "deals/a"], None),
        (["--quiet", "draft", "a.yaml"], None),
        (["validate", "a.yaml"], None),
    ],
)
def test_only_a_plain_draft_takes_the_fast_path(argv: list[str], simple: Simple | None) -> None:
    assert simple_draft(argv) == simple


def test_a_good_draft_says_and_writes_the_same_without_click(minilib: Path) -> None:
    out = same(minilib, "draft", "deals/small.yaml")
    assert out.returncode == 0 and "drafted deals/small.yaml -> " in out.stderr
    again = run(SCRIPT, minilib, "draft", "deals/small.yaml")
    assert again.stderr == "drafted deals/small.yaml -> unchanged\n"


def test_the_fast_path_imports_no_click(minilib: Path) -> None:
    probe = SCRIPT.replace("main()", "main(); import sys; print('click' in sys.modules)")
    out = run(probe, minilib, "draft", "deals/small.yaml")
    assert out.returncode == 0 and out.stdout == "False\n", out.stderr


def test_a_missing_deal_file(minilib: Path) -> None:
    out = same(minilib, "draft", "deals/nope.yaml")
    assert out.returncode != 0 and "deal file not found" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_deal_that_is_not_yaml(minilib: Path) -> None:
    (minilib / "deals" / "broken.yaml").write_text("title: [unclosed\n", "utf-8")
    out = same(minilib, "draft", "deals/broken.yaml")
    assert out.returncode != 0 and "deals/broken.yaml:" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_deal_the_schema_refuses(minilib: Path) -> None:
    deal = minilib / "deals" / "small.yaml"
    (minilib / "deals" / "odd.yaml").write_text(
        deal.read_text("utf-8") + "no_such_field: 1\n", "utf-8"
    )
    out = same(minilib, "draft", "deals/odd.yaml")
    assert out.returncode != 0 and "deals/odd.yaml:" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_hand_edited_draft_is_not_overwritten(minilib: Path) -> None:
    first = run(SCRIPT, minilib, "draft", "deals/small.yaml")
    assert first.returncode == 0
    md = minilib / "outputs" / "small.md"
    md.write_text(md.read_text("utf-8") + "\nedited by hand\n", "utf-8")
    twin = minilib.parent / "twin"
    shutil.copytree(minilib, twin)
    fast = run(SCRIPT, minilib, "draft", "deals/small.yaml")
    slow = run(CLICK, twin, "draft", "deals/small.yaml")
    assert fast.returncode == slow.returncode != 0
    assert fast.stderr.replace(str(minilib), "LIB") == slow.stderr.replace(str(twin), "LIB")
    assert md.read_text("utf-8").endswith("edited by hand\n")


def test_not_a_library(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    fast = run(SCRIPT, tmp_path / "a", "draft", "deal.yaml")
    slow = run(CLICK, tmp_path / "b", "draft", "deal.yaml")
    assert fast.returncode == slow.returncode != 0
    assert fast.stderr.replace(str(tmp_path / "a"), "X") == slow.stderr.replace(
        str(tmp_path / "b"), "X"
    )


def test_output_force_and_library_options(minilib: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ("draft", "deals/small.yaml", "--library", str(minilib), "-o", "drafts", "--force")
    fast = run(SCRIPT, elsewhere, *args)
    assert fast.returncode == 0, fast.stderr
    assert "drafted" in fast.stderr and (elsewhere / "drafts" / "small.md").is_file()
    slow = run(CLICK, elsewhere, *args[:-1])  # same bytes: click says unchanged
    assert slow.returncode == 0 and slow.stderr.endswith("-> unchanged\n")
    bad = run(SCRIPT, elsewhere, "draft", "deals/nope.yaml", "--library", str(minilib))
    ref = run(CLICK, elsewhere, "draft", "deals/nope.yaml", "--library", str(minilib))
    assert (bad.returncode, bad.stderr) == (ref.returncode, ref.stderr) and bad.returncode != 0
