"""`clausebook upgrades`: a signed deal against a library that has moved on (a real git repo)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.lifecycle.lock import lock_path, read_lock
from generator.lifecycle.upgrades import find_upgrades
from generator.pipeline.build import open_library
from tests.gitlib import commit, edit, git, library_repo


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def signed_repo(tmp_path: Path) -> tuple[Path, Path, Path]:
    top, root = library_repo(tmp_path)
    deal = root / "deals" / "small.yaml"
    code, out = run("sign", str(deal), "--date", "2027-02-01", "--library", str(root))
    assert code == 0, out
    commit(top, "signed small")
    return top, root, deal


def test_lock_names_the_library_commit_it_was_signed_from(tmp_path: Path) -> None:
    top, root, deal = signed_repo(tmp_path)
    base = git(top, "rev-parse", "base").strip()
    assert read_lock(lock_path(deal)).commit == base


def test_nothing_to_upgrade_when_the_library_has_not_moved(tmp_path: Path) -> None:
    _, root, deal = signed_repo(tmp_path)
    assert find_upgrades(open_library(root), deal, read_lock(lock_path(deal))) == []
    code, out = run("upgrades", str(deal), "--library", str(root))
    assert code == 0 and "every signed clause is at its library version" in out


def test_patch_and_major_bumps_are_classified_with_position_and_text(tmp_path: Path) -> None:
    top, root, deal = signed_repo(tmp_path)
    # A patch: wording only.
    services = root / "clauses" / "core" / "services.yaml"
    edit(services, "version: 1.2.0", "version: 1.2.1")
    edit(
        services,
        "The Supplier shall provide the Services",
        "The Supplier must provide the Services",
    )
    # A major: the cap wording changes and the CoE's preferred position moves above the deal's 18%.
    credits = root / "clauses" / "sla" / "service-credits.yaml"
    edit(credits, "version: 2.0.0", "version: 3.0.0")
    edit(
        credits,
        "Service Credits are capped at {{ cap_percent | percent }} of the monthly Charges.\n\n      {% for",
        "Service Credits in any Month are capped at {{ cap_percent | percent }} of the monthly Charges.\n\n      {% for",
    )
    edit(root / "playbooks" / "standard.yaml", "cap_percent: {min: 15}", "cap_percent: {min: 20}")
    commit(top, "library moves on")

    signed = read_lock(lock_path(deal))
    ups = {u.clause: u for u in find_upgrades(open_library(root), deal, signed)}
    assert set(ups) == {"services", "service-credits"}  # sla-schedule and definitions did not move

    patch = ups["services"]
    assert (patch.signed_version, patch.library_version, patch.bump) == ("1.2.0", "1.2.1", "patch")
    assert patch.meaning == "wording"
    assert patch.step == (None, None) and patch.approvers == ((), ())
    assert "[-shall-]" in patch.text_diff and "{+must+}" in patch.text_diff

    major = ups["service-credits"]
    assert (major.signed_version, major.library_version, major.bump) == ("2.0.0", "3.0.0", "major")
    assert major.meaning == "changed position"
    assert major.step == ("preferred", "fallback-1")
    assert major.approvers == ((), ("deal-lead", "cfo"))
    assert "in any Month+}" in major.text_diff

    code, out = run("upgrades", str(deal), "--library", str(root), "--format", "json")
    assert code == 0, out
    rows = {r["clause"]: r for r in json.loads(out)}
    assert rows["services"]["bump"] == "patch" and rows["service-credits"]["bump"] == "major"
    assert rows["service-credits"]["position"] == {"signed": "preferred", "today": "fallback-1"}
    code, out = run("upgrades", str(deal), "--library", str(root))
    assert "1.2.0 -> 1.2.1 (patch: wording)" in out
    assert "2.0.0 -> 3.0.0 (major: changed position)" in out
    assert "preferred -> fallback-1 (changes)" in out


def test_a_version_bump_that_leaves_this_deals_text_alone_says_so(tmp_path: Path) -> None:
    top, root, deal = signed_repo(tmp_path)
    credits = root / "clauses" / "sla" / "service-credits.yaml"
    edit(credits, "version: 2.0.0", "version: 2.1.0")
    # Only the balanced variant changes; this client-stance deal's text stays as signed.
    edit(
        credits,
        "    parameters: {cap_percent: 10}\n    text: |\n      Service Credits are capped",
        "    parameters: {cap_percent: 10}\n    text: |\n      Service Credits in any Month are capped",
    )
    commit(top)
    (u,) = find_upgrades(open_library(root), deal, read_lock(lock_path(deal)))
    assert (u.clause, u.bump, u.text_diff) == ("service-credits", "minor", "")
    code, out = run("upgrades", str(deal), "--library", str(root))
    assert "this deal's text would not change" in out


def test_upgrades_of_an_unsigned_deal_is_one_message(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path)
    code, out = run("upgrades", str(root / "deals" / "small.yaml"), "--library", str(root))
    assert code == 2 and "no signed record" in out and "Traceback" not in out
