"""Every command that writes a file a person may have edited follows draft's rule: a hand edit
is never overwritten without --force. build and memo know their committed outputs as generated
(a fresh clone), redline and reports know what Clausebook last wrote there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitlib import commit, edit, git, library_repo

from .support import cli

EDITED = "was edited since Clausebook wrote it (or Clausebook never wrote it); use --force to overwrite it"


def test_build_keeps_a_hand_edited_draft_and_force_replaces_it(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    assert cli("build", "--library", root).code == 0
    commit(top, "outputs")
    draft = root / "outputs" / "small.md"
    generated = draft.read_text("utf-8")
    edit(root / "clauses/core/services.yaml", "provide the Services", "provide the New Services")
    # a committed draft is generated: the library change rebuilds it
    assert cli("build", "--library", root).code == 0
    assert "New Services" in draft.read_text("utf-8")
    # what build wrote itself is generated too: a second library change rebuilds it again
    edit(root / "clauses/core/services.yaml", "New Services", "Newer Services")
    assert cli("build", "--library", root).code == 0
    draft.write_text(generated + "\nA note the drafter typed.\n", "utf-8")
    edit(root / "clauses/core/services.yaml", "Newer Services", "Newest Services")
    outcome = cli("build", "--library", root)
    assert outcome.code == 1, outcome.output
    assert f"outputs/small.md:1:1: error[edited-output]: {EDITED}" in outcome.output
    assert "A note the drafter typed." in draft.read_text("utf-8")
    assert cli("build", "--library", root, "--force").code == 0
    assert "Newest Services" in draft.read_text("utf-8")


def test_memo_keeps_a_hand_edited_memo(tmp_path: Path, minilib: Path) -> None:
    out = tmp_path / "memos"
    deal = minilib / "deals" / "small.yaml"
    assert cli("memo", "--library", minilib, "-o", out, deal).code == 0
    memo = out / "small-memo.md"
    memo.write_text(memo.read_text("utf-8") + "\nMy negotiation notes.\n", "utf-8")
    outcome = cli("memo", "--library", minilib, "-o", out, deal)
    assert outcome.code == 1, outcome.output
    assert f"{memo}:1:1: error[edited-output]: {EDITED}" in outcome.output
    assert "My negotiation notes." in memo.read_text("utf-8")
    assert cli("memo", "--library", minilib, "-o", out, "--force", deal).code == 0
    assert "My negotiation notes." not in memo.read_text("utf-8")


@pytest.mark.parametrize("existing", ["hand-made", "edited"])
def test_redline_keeps_a_word_file_it_did_not_write(tmp_path: Path, existing: str) -> None:
    top, root = library_repo(tmp_path)
    edit(root / "clauses/core/services.yaml", "provide the Services", "provide the New Services")
    commit(top)
    target = tmp_path / "red.docx"
    args = (
        "redline",
        "--library",
        root,
        "base",
        "HEAD",
        root / "deals" / "small.yaml",
        "-o",
        target,
    )
    if existing == "hand-made":
        target.write_bytes(b"the reviewer's own Word file")
    else:
        assert cli(*args).code == 0
        target.write_bytes(target.read_bytes() + b"\0")  # Word saved it with the drafter's edits
    before = target.read_bytes()
    outcome = cli(*args)
    assert outcome.code == 1, outcome.output
    assert f"{target}:1:1: error[edited-output]: {EDITED}" in outcome.output
    assert target.read_bytes() == before
    assert cli(*args, "--force").code == 0
    assert target.read_bytes() != before
    assert git(top, "status", "--porcelain") == ""
