from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import ContentError, UsageError
from generator.writers.output import (
    atomic_write,
    check_overwrite,
    inside,
    output_dir,
    output_stem,
    sha256,
)


@pytest.mark.parametrize("name", ["CON.yaml", "aux.yaml", "a b.yaml", "-x.yaml", "x..yaml"])
def test_unsafe_deal_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="cannot name an output"):
        output_stem(Path(name))


def test_safe_name_and_paths_stay_inside_output_dir(tmp_path: Path) -> None:
    assert output_stem(Path("deals/acme-care_2027.yaml")) == "acme-care_2027"
    assert output_stem(Path("../../etc/passwd.yaml")) == "passwd"  # only the stem names outputs
    out = output_dir(tmp_path / "out")
    assert inside(out, "acme.md") == out / "acme.md"
    with pytest.raises(UsageError, match="outside the output folder"):
        inside(out, "../escape.md")


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
    assert (target.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_write_refuses_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "a.md"
    os.symlink(victim, link)
    with pytest.raises(ContentError, match="symbolic link"):
        atomic_write(link, b"x")
    assert victim.read_text() == "keep"


def test_edited_output_is_protected_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"generated")
    recorded = {"a.md": sha256(b"generated")}
    assert check_overwrite(target, b"new", recorded, force=False) is None
    target.write_bytes(b"generated, then edited by a lawyer")
    problem = check_overwrite(target, b"new", recorded, force=False)
    assert problem is not None and "was edited since it was generated" in problem.message
    assert check_overwrite(target, b"new", recorded, force=True) is None
    assert (
        check_overwrite(target, b"generated, then edited by a lawyer", recorded, force=False)
        is None
    )
    unknown = check_overwrite(target, b"new", {}, force=False)
    assert unknown is not None and "no manifest records it" in unknown.message
