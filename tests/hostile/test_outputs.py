"""A draft's Markdown, Word file and manifest are one set: it is replaced as a unit even when two
drafts race for one folder or a run dies between two renames, and a file-system failure is one
clear message that leaves the old draft intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.writers import output

from .support import cli, draft, refused, set_clause_text

REPO = Path(__file__).resolve().parents[2]


def consistent(out: Path, stem: str = "small") -> dict[str, str]:
    """The manifest describes exactly the files on disk; returns its outputs."""
    manifest = json.loads((out / f"{stem}.manifest.json").read_text("utf-8"))
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    assert not list(out.glob(".*pending*")), list(out.iterdir())
    return dict(manifest["outputs"])


def version(lib: Path, word: str) -> None:
    set_clause_text(lib, f"The Supplier shall provide the {word} Services.")


# ---- file-system errors ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_output_name_that_is_a_folder_or_fifo_is_refused_without_hanging(
    minilib: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "small.docx"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    started = time.monotonic()
    outcome = draft(minilib, out, "small.yaml")
    refused(
        outcome,
        f"{target}:1:1: error[output-path]: exists and is not a regular file "
        "(a folder, FIFO or device); refused",
    )
    assert time.monotonic() - started < 10
    assert not (out / "small.md").exists()  # nothing of the set was written


@pytest.mark.parametrize("content", ["[1, 2, 3]", '"outputs"', '{"outputs": [1]}', "nul\x00"])
def test_manifest_that_is_not_an_object_is_no_crash(
    minilib: Path, tmp_path: Path, content: str
) -> None:
    out = tmp_path / "out"
    assert draft(minilib, out, "small.yaml").code == 0
    (out / "small.manifest.json").write_text(content, "utf-8")
    version(minilib, "Changed")
    outcome = draft(minilib, out, "small.yaml")
    assert outcome.code == 1, outcome.output
    assert f"{out / 'small.md'}:1:1: error[edited-output]: exists and was not generated" in (
        outcome.output
    )
    assert draft(minilib, out, "small.yaml", extra=("--force",)).code == 0
    consistent(out)


def test_full_disk_is_one_message_and_the_old_draft_stays(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert draft(minilib, out, "small.yaml").code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    version(minilib, "Changed")
    outcome = draft(minilib, out, "small.yaml")
    assert outcome.code == 1, outcome.output
    assert "error[output-write]: cannot write this output (No space left on device); " in (
        outcome.output
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_report_into_a_missing_folder_is_one_message(minilib: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "deeper" / "stats.json"
    outcome = cli("playbook", "stats", "--library", minilib, "--format", "json", "-o", target)
    assert outcome.code == 1, outcome.output
    assert f"{target}:1:1: error[output-write]: cannot write this output (No such file" in (
        outcome.output
    )


def test_output_folder_below_a_file_is_a_usage_error(minilib: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    outcome = draft(minilib, tmp_path / "file" / "out", "small.yaml")
    assert outcome.code == 2, outcome.output
    assert "error[output-dir]: cannot create the output folder (Not a directory)" in outcome.output


# ---- one set, one unit ------------------------------------------------------------------------


def test_run_killed_between_renames_is_completed_not_refused_as_edited(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    version(minilib, "First")
    assert draft(minilib, out, "small.yaml").code == 0
    version(minilib, "Second")
    real = output.atomic_write

    def killed_after_markdown(target: Path, data: bytes) -> None:
        if target.name == "small.docx":
            raise KeyboardInterrupt  # as a kill lands: the Markdown is renamed, the rest is not
        real(target, data)

    monkeypatch.setattr(output, "atomic_write", killed_after_markdown)
    assert draft(minilib, out, "small.yaml").code == 130
    assert "Second" in (out / "small.md").read_text("utf-8")  # a mixed set is on disk
    monkeypatch.setattr(output, "atomic_write", real)
    version(minilib, "Third")  # the next draft may be of yet another version
    outcome = draft(minilib, out, "small.yaml")
    assert outcome.code == 0, outcome.output
    assert "Third" in (out / "small.md").read_text("utf-8")
    consistent(out)


def test_concurrent_drafts_of_two_versions_leave_one_whole_set(tmp_path: Path) -> None:
    libs = []
    for word in ("Alpha", "Bravo"):
        lib = tmp_path / word
        shutil.copytree(REPO / "tests/fixtures/minilib", lib)
        version(lib, word)
        libs.append(lib)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO), "CLAUSEBOOK_CACHE_DIR": str(tmp_path / "c")}
    for _ in range(3):
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "generator",
                    "draft",
                    "--library",
                    str(lib),
                    "-o",
                    str(out),
                    str(lib / "deals" / "small.yaml"),
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            for lib in libs
        ]
        for p in procs:
            log = p.communicate(timeout=60)[0].decode()
            assert p.returncode == 0, log
        consistent(out)
        md = (out / "small.md").read_text("utf-8")
        assert ("Alpha" in md) != ("Bravo" in md)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_workers_die_with_their_parent(minilib: Path, tmp_path: Path) -> None:
    small = (minilib / "deals" / "small-m4.yaml").read_text()
    for i in range(40):
        (minilib / "deals" / f"deal-{i:02}.yaml").write_text(
            small.replace("id: small-m4", f"id: deal-{i:02}")
        )
    set_clause_text(minilib, "{% for i in range(3000) %}{{ i }} {% endfor %}")  # slower drafts
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO), "CLAUSEBOOK_CACHE_DIR": str(tmp_path / "c")}
    deals = sorted(str(p) for p in (minilib / "deals").glob("deal-*.yaml"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "draft", "--library", str(minilib), "-o", str(out),
         "--jobs", "2", *deals],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.manifest.json"))) < 2:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)  # the parent only, not its process group
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    alive = True
    while time.monotonic() < deadline and alive:
        try:
            os.killpg(proc.pid, 0)
            time.sleep(0.05)
        except ProcessLookupError:
            alive = False
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not alive, "batch workers outlived their parent"
    finished = len(list(out.glob("*.manifest.json")))
    assert finished < 40


@pytest.mark.parametrize(
    "error", [PermissionError(13, "Permission denied"), OSError(5, "Input/output error")]
)
def test_unreadable_clause_file_is_one_message(
    minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    real = os.open

    def guarded(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith("services.yaml"):
            raise error
        return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded)
    outcome = draft(minilib, tmp_path / "out", "small.yaml")
    assert outcome.code == 1, outcome.output
    assert (
        f"clauses/core/services.yaml:1:1: error[unreadable]: cannot read the file ({error.strerror})"
        in outcome.problems
    ), outcome.output
