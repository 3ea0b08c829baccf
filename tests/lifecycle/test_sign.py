"""`clausebook sign`: the lock file records what was signed, and refuses hand edits."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import ContentError, UsageError
from generator.lifecycle.blocks import clause_from
from generator.lifecycle.lock import clause_text, lock_path, read_lock
from generator.pipeline.build import make_draft, open_library
from generator.writers.markdown import render_markdown


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def sign(root: Path, deal: str = "small.yaml") -> Path:
    code, out = run(
        "sign", str(root / "deals" / deal), "--date", "2027-02-01", "--library", str(root)
    )
    assert code == 0, out
    return lock_path(root / "deals" / deal)


def test_lock_records_manifest_commit_clauses_values_and_text(minilib: Path) -> None:
    lock = sign(minilib)
    data = json.loads(lock.read_text())
    draft = make_draft(open_library(minilib), minilib / "deals" / "small.yaml", ["md"])
    manifest = json.loads(draft.files["small.manifest.json"])
    assert data["signed"]["date"] == "2027-02-01"
    assert data["manifest"]["clauses"] == manifest["clauses"]
    assert "commit" in data["library"]
    expected = [(c["id"], c["version"], c["variant"]) for c in manifest["clauses"]]
    assert [(c["id"], c["version"], c["variant"]) for c in data["clauses"]] == expected
    for c, m in zip(data["clauses"], manifest["clauses"], strict=True):
        assert c["parameters"] == {k: v["value"] for k, v in m["parameters"].items()}
        assert len(c["sha256"]) == 64
    # Every clause's recorded text is what the Markdown draft prints for it.
    md = render_markdown(draft.document)
    for c in data["clauses"]:
        assert "\n".join(c["text"]) in md


def test_signed_document_reads_back_as_the_draft_without_its_banner(minilib: Path) -> None:
    signed = read_lock(sign(minilib))
    draft = make_draft(open_library(minilib), minilib / "deals" / "small.yaml", ["md"])
    doc = draft.document
    assert [c.id for a in signed.document.articles for c in a.clauses] == [
        c.id for a in doc.articles for c in a.clauses
    ]
    # Drafting notes are for the firm, not part of what was signed: the lock keeps the text.
    for a, b in zip(signed.document.articles, doc.articles, strict=True):
        assert a.clauses == tuple(replace(c, notes="", guidance="") for c in b.clauses)
    assert signed.document.schedules == tuple(
        replace(c, notes="", guidance="") for c in doc.schedules
    )
    assert signed.document.definitions == doc.definitions
    assert signed.document.parties == doc.parties
    assert signed.document.draft_banner is None
    for c in signed.clauses.values():
        assert "\n".join(c.text) == "\n".join(clause_text(c.rendered))


def test_hand_edited_text_is_refused_naming_the_clause(minilib: Path) -> None:
    lock = sign(minilib)
    data = json.loads(lock.read_text())
    victim = data["clauses"][1]
    victim["text"][-1] = victim["text"][-1] + " And something nobody signed."
    lock.write_text(json.dumps(data, indent=2))
    with pytest.raises(ContentError) as exc:
        read_lock(lock)
    (d,) = exc.value.diagnostics
    assert d.rule == "lock-edited"
    assert victim["id"] in d.message and "sha256" in d.message
    assert d.line > 1  # points at the clause, not the top of the file


def test_hand_edited_text_with_a_new_hash_still_fails_the_seal(minilib: Path) -> None:
    import hashlib

    lock = sign(minilib)
    data = json.loads(lock.read_text())
    c = data["clauses"][0]
    c["blocks"][0]["runs"][0]["text"] += " Edited."
    c["text"] = clause_text(clause_from(c))
    c["sha256"] = hashlib.sha256("\n".join(c["text"]).encode()).hexdigest()
    lock.write_text(json.dumps(data, indent=2))
    with pytest.raises(ContentError) as exc:
        read_lock(lock)
    assert [d.rule for d in exc.value.diagnostics] == ["lock-edited"]
    assert "seal" in exc.value.diagnostics[0].message


def test_edited_blocks_that_no_longer_give_the_text_are_refused(minilib: Path) -> None:
    lock = sign(minilib)
    data = json.loads(lock.read_text())
    data["clauses"][0]["blocks"][0]["runs"][0]["text"] = "Quietly changed."
    lock.write_text(json.dumps(data, indent=2))
    with pytest.raises(ContentError) as exc:
        read_lock(lock)
    assert "blocks no longer give the recorded text" in exc.value.diagnostics[0].message


def test_signing_twice_refuses_to_replace_the_record_without_force(minilib: Path) -> None:
    lock = sign(minilib)
    before = lock.read_bytes()
    deal = minilib / "deals" / "small.yaml"
    code, out = run("sign", str(deal), "--date", "2027-03-01", "--library", str(minilib))
    assert code == 1 and "already has a signed record" in out
    assert lock.read_bytes() == before
    code, out = run("sign", str(deal), "--date", "2027-03-01", "--force", "--library", str(minilib))
    assert code == 0, out
    assert json.loads(lock.read_text())["signed"]["date"] == "2027-03-01"


def test_resigning_the_same_deal_on_the_same_date_is_unchanged(minilib: Path) -> None:
    sign(minilib)
    code, out = run(
        "sign",
        str(minilib / "deals" / "small.yaml"),
        "--date",
        "2027-02-01",
        "--library",
        str(minilib),
    )
    assert code == 0 and "unchanged" in out


def test_a_deal_with_no_signed_record_cannot_be_read_as_signed(minilib: Path) -> None:
    with pytest.raises(UsageError) as exc:
        read_lock(lock_path(minilib / "deals" / "small.yaml"))
    assert "no signed record" in exc.value.diagnostics[0].message


def test_a_lock_that_is_not_json_is_one_message_with_a_line(minilib: Path) -> None:
    lock = sign(minilib)
    lock.write_text('{\n  "lock": 1,\n  oops\n}\n')
    with pytest.raises(ContentError) as exc:
        read_lock(lock)
    (d,) = exc.value.diagnostics
    assert d.rule == "lock-format" and d.line == 3


def test_a_resealed_lock_with_a_broken_structure_is_a_message_not_a_crash(minilib: Path) -> None:
    from generator.lifecycle.lock import dumps, seal

    lock = sign(minilib)
    data = json.loads(lock.read_text())
    data["document"]["articles"][0]["clauses"] = ["no-such-clause"]
    data["sha256"] = seal(data)  # a checksum anyone can recompute
    lock.write_bytes(dumps(data))
    with pytest.raises(ContentError) as exc:
        read_lock(lock)
    (d,) = exc.value.diagnostics
    assert d.rule == "lock-format" and "no-such-clause" in d.message


def test_a_lock_with_clauses_of_the_wrong_type_is_one_message(minilib: Path) -> None:
    lock = sign(minilib)
    data = json.loads(lock.read_text())
    data["clauses"] = 5
    lock.write_text(json.dumps(data))
    with pytest.raises(ContentError) as exc:
        read_lock(lock)
    assert [d.rule for d in exc.value.diagnostics] == ["lock-format"]


def test_validate_fails_on_a_hand_edited_lock_in_the_library(minilib: Path) -> None:
    code, out = run("validate", "--library", str(minilib))
    assert code == 0, out
    lock = sign(minilib)
    code, out = run("validate", "--library", str(minilib))
    assert code == 0, out
    lock.write_text(
        lock.read_text().replace("The Supplier shall provide", "The Supplier may provide", 1)
    )
    code, out = run("validate", "--library", str(minilib))
    assert code == 1 and "deals/small.lock.json" in out and "edited by hand" in out
