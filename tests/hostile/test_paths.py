"""Ids, file names and links that try to read or write outside the library or -o DIR.

Unit-level checks of output names are in tests/test_write.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .support import at, cli, draft, refused, validate

GAIN = "clauses/core/gain-sharing.yaml"
REPO = Path(__file__).resolve().parents[2]


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_clause_id_with_traversal_is_refused(minilib: Path) -> None:
    path = minilib / GAIN
    path.write_text(path.read_text().replace("id: gain-sharing", "id: ../../etc/passwd"))
    refused(
        validate(minilib),
        at(1, "schema", "id: '../../etc/passwd' is not a kebab-case id (a-z, 0-9, '-')", GAIN, 5),
        # the clause is not loaded, so what refers to it is reported too
        at(22, "unknown-ref", "ref('gain-sharing') names no clause in the library"),
        at(
            9,
            "unknown-clause",
            "unknown clause 'gain-sharing'",
            path="playbooks/standard.yaml",
            col=15,
        ),
    )


def test_deal_id_with_traversal_is_refused_and_nothing_is_written(
    minilib: Path, tmp_path: Path
) -> None:
    evil = minilib / "deals" / "evil.yaml"
    text = (minilib / "deals" / "small.yaml").read_text()
    evil.write_text(text.replace("id: small", "id: ../../etc/passwd"))
    refused(
        draft(minilib, tmp_path / "out", evil),
        at(
            1,
            "schema",
            "id: '../../etc/passwd' is not a kebab-case id (a-z, 0-9, '-')",
            "deals/evil.yaml",
            5,
        ),
    )
    assert files_under(tmp_path / "out") == []


def test_deal_path_with_traversal_only_names_files_inside_the_output_folder(
    minilib: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "a" / "b"
    elsewhere.mkdir(parents=True)
    (elsewhere / "passwd.yaml").write_text((minilib / "deals" / "small.yaml").read_text())
    out = tmp_path / "out"
    # deals/../../a/b/passwd.yaml, relative to the library: only the stem names the outputs
    deal = minilib / "deals" / ".." / ".." / "a" / "b" / "passwd.yaml"
    outcome = cli("draft", "--library", minilib, "-o", out, deal)
    assert outcome.code == 0, outcome.output
    assert files_under(out) == ["passwd.docx", "passwd.manifest.json", "passwd.md"]
    assert files_under(elsewhere) == ["passwd.yaml"]


@pytest.mark.parametrize("name", ["CON.yaml", "aux.yaml", "nul.yaml", "com1.yaml"])
def test_windows_reserved_deal_name_is_refused(minilib: Path, tmp_path: Path, name: str) -> None:
    path = minilib / "deals" / name
    path.write_text((minilib / "deals" / "small.yaml").read_text())
    refused(
        draft(minilib, tmp_path / "out", path),
        f"{path.as_posix()}:1:1: error[unsafe-name]: deal file name '{name}' cannot name an output: "
        "use letters, digits, '-' and '_' (and not a reserved device name such as CON or AUX)",
    )


def test_windows_reserved_clause_file_name_is_refused(minilib: Path) -> None:
    text = (minilib / GAIN).read_text().replace("id: gain-sharing", "id: aux")
    (minilib / "clauses/core/aux.yaml").write_text(text)
    refused(
        validate(minilib),
        at(
            1,
            "file-name",
            "'aux.yaml' cannot be a file name on Windows (reserved device name or character); rename it",
            path="clauses/core/aux.yaml",
            col=1,
        ),
    )


def test_clause_symlink_out_of_the_library_is_not_read(minilib: Path) -> None:
    os.symlink("/etc/passwd", minilib / "clauses/core/passwd.yaml")
    refused(
        validate(minilib),
        at(
            1,
            "symlink",
            "reached through a symbolic link that leaves the library; refused",
            path="clauses/core/passwd.yaml",
            col=1,
        ),
    )


def test_topic_folder_symlink_out_of_the_library_is_not_read(minilib: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: secret\n")
    os.symlink(outside, minilib / "clauses/evil")
    refused(
        validate(minilib),
        at(
            1,
            "symlink",
            "reached through a symbolic link that leaves the library; refused",
            path="clauses/evil/secret.yaml",
            col=1,
        ),
    )


def test_clause_that_is_a_fifo_does_not_hang(minilib: Path) -> None:
    os.mkfifo(minilib / "clauses/core/fifo.yaml")
    refused(
        validate(minilib),
        at(1, "not-a-file", "not a regular file", path="clauses/core/fifo.yaml", col=1),
    )


def test_link_to_dev_zero_is_never_read_even_to_hash_it(minilib: Path, tmp_path: Path) -> None:
    # Run apart, capped at 1 GB and 60 s: a regression reads /dev/zero forever.
    os.symlink("/dev/zero", minilib / "clauses/core/zero.yaml")
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30));"
        "from generator.cli import main; sys.argv[0] = 'clausebook'; main()"
    )
    env = {**os.environ, "CLAUSEBOOK_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-c", code, "validate", "--library", str(minilib)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0] == (
        "clauses/core/zero.yaml:1:1: error[symlink]: "
        "reached through a symbolic link that leaves the library; refused"
    )


def test_output_folder_that_is_a_symlink_is_refused(minilib: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    link = tmp_path / "out"
    os.symlink(victim, link)
    refused(
        draft(minilib, link, "small.yaml"),
        f"{link}:1:1: error[output-dir]: the output folder is a symbolic link; refused",
        code=2,
    )
    assert files_under(victim) == []


def test_output_file_that_is_a_symlink_is_not_written_through(
    minilib: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / "small.md")
    refused(
        draft(minilib, out, "small.yaml"),
        "small.md:1:1: error[output-path]: output would be written outside the output folder; "
        "refused",
    )
    assert victim.read_text() == "keep me\n"
    assert files_under(out) == ["small.md"]  # nothing else written either
