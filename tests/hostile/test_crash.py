"""A batch draft killed mid-way (SIGKILL: power cut, OOM killer) leaves no partial or corrupt
draft; the next run removes the dead run's temporary files, finishes the rest and leaves the
finished drafts untouched ("unchanged")."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
DEALS = 60


def clausebook(lib: Path, out: Path, cache: Path) -> list[str]:
    deals = sorted(str(p) for p in (lib / "deals").glob("deal-*.yaml"))
    return [sys.executable, "-m", "generator", "draft", "--library", str(lib), "-o", str(out),
            "--jobs", "2", *deals]  # fmt: skip


def env(cache: Path) -> dict[str, str]:
    return {**os.environ, "CLAUSEBOOK_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}


def check_intact(out: Path, reference: Path) -> None:
    """Every visible file is complete: identical to a clean draft, or absent."""
    for path in out.iterdir():
        if path.name.startswith("."):
            assert path.name.endswith(".tmp"), path.name  # only our temporary files are hidden
            continue
        assert path.read_bytes() == (reference / path.name).read_bytes(), path.name
        if path.suffix == ".docx":
            z = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
            assert z.testzip() is None
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(z.read(name))
        if path.name.endswith(".manifest.json"):
            # the manifest is written last: every output it records is already in place
            for name, digest in json.loads(path.read_text())["outputs"].items():
                assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_killed_batch_leaves_no_partial_file_and_the_rerun_finishes(
    minilib: Path, tmp_path: Path
) -> None:
    small = (minilib / "deals" / "small-m4.yaml").read_text()
    for p in (minilib / "deals").glob("*.yaml"):
        p.unlink()
    for i in range(DEALS):
        (minilib / "deals" / f"deal-{i:02}.yaml").write_text(
            small.replace("id: small-m4", f"id: deal-{i:02}")
        )
    cache = tmp_path / "cache"
    reference = tmp_path / "reference"
    done = subprocess.run(
        clausebook(minilib, reference, cache), env=env(cache), capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()

    out = tmp_path / "out"
    proc = subprocess.Popen(
        clausebook(minilib, out, cache),
        env=env(cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and len(list(out.glob("*.manifest.json"))) >= 3:
            break
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    finished = {p.name for p in out.glob("*.manifest.json")}
    assert 3 <= len(finished) < DEALS, "the batch was not killed mid-way"
    check_intact(out, reference)
    # A write takes microseconds, so the kill rarely lands inside one: add what it leaves then,
    # for a draft and for the pending record of a set (itself a dotfile).
    (out / f".deal-{DEALS - 1}.docx.{proc.pid}.k9x2.tmp").write_bytes(b"PK\x03\x04half")
    pending_temp = f"..deal-{DEALS - 1}.manifest.pending.tmp.{proc.pid}.m3q7.tmp"
    (out / pending_temp).write_bytes(b'{"outputs": {')

    rerun = subprocess.run(
        clausebook(minilib, out, cache), env=env(cache), capture_output=True, timeout=300
    )
    log = rerun.stderr.decode()
    assert rerun.returncode == 0, log
    assert "Traceback" not in log
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # temp files cleaned
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in reference.iterdir())
    check_intact(out, reference)
    for name in finished:
        deal = name.removesuffix(".manifest.json")
        assert f"drafted deals/{deal}.yaml -> unchanged" in log


def test_temp_file_of_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    from generator.writers.output import remove_stale_temps

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f".a.md.{dead.pid}.x1y2.tmp").write_text("half")
    live = tmp_path / f".b.md.{os.getppid()}.x1y2.tmp"
    live.write_text("in progress")
    (tmp_path / "notes.tmp").write_text("not ours")
    assert remove_stale_temps(tmp_path) == [f".a.md.{dead.pid}.x1y2.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "notes.tmp"])
    shutil.rmtree(tmp_path)
