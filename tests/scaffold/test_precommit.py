"""The path a firm takes, end to end: `clausebook init firm-lib`, `git init`, `pre-commit run
--all-files` with the hooks installed from this engine at a release tag, then a draft.

The engine is copied (as the work tree has it) into a temporary repository tagged like a
release, so pre-commit installs it as a firm would: a real, non-editable install.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__
from tests.gitlib import git

REPO = Path(__file__).resolve().parents[2]

needs_pre_commit = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None
    and not os.environ.get("CLAUSEBOOK_REQUIRE_TOOLS"),
    reason="pre-commit is not installed (pip install -e '.[test]'; CI requires it)",
)


def engine_at_tag(tmp_path: Path) -> Path:
    """A repository holding the engine's files, committed and tagged v<version>."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard", "-z"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    engine = tmp_path / "engine"
    for rel in filter(None, listed.split("\0")):
        src = REPO / rel
        if src.is_file() and not src.is_symlink():
            (engine / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, engine / rel)
    git(engine, "init", "-q", "-b", "main")
    git(engine, "add", "-A")
    git(engine, "commit", "-q", "-m", "engine")
    git(engine, "tag", f"v{__version__}")
    return engine


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@needs_pre_commit
def test_init_then_pre_commit_then_draft_from_an_empty_folder(tmp_path: Path) -> None:
    engine = engine_at_tag(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Drafter",
        "GIT_AUTHOR_EMAIL": "drafter@example.invalid",
        "GIT_COMMITTER_NAME": "Drafter",
        "GIT_COMMITTER_EMAIL": "drafter@example.invalid",
    }
    clausebook = [sys.executable, "-m", "generator"]
    run([*clausebook, "init", "firm-lib", "--engine-repo", str(engine)], tmp_path, env)
    lib = tmp_path / "firm-lib"
    run(["git", "init", "-q", "-b", "main"], lib, env)
    run(["git", "add", "-A"], lib, env)
    out = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], lib, env)
    assert "clausebook validate" in out and "clausebook lint" in out
    assert out.count("Passed") == 2, out  # both ran on the files, neither was skipped
    run([*clausebook, "draft", "deals/example.yaml"], lib, env)
    assert (lib / "outputs/example.docx").is_file()

    # The engine pre-commit installed is a real install: its scaffold ships every file.
    installed = sorted((tmp_path / "pre-commit-home").glob("repo*/py_env-*/bin/clausebook"))
    assert installed, "pre-commit did not install the engine"
    run([str(installed[0]), "init", "second-lib"], tmp_path, env)

    def files(root: Path) -> set[str]:
        rels = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        return {r for r in rels if not r.startswith(".git/")}

    second = files(tmp_path / "second-lib")
    assert second <= files(lib) and "clauses/services/services.yaml" in second
    assert ".github/workflows/clause-review.yml" in second
