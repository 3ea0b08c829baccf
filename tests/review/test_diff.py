"""`clausebook diff`: semantic clause changes, the version-bump rule, affected deals and drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.review.diff import bump_between, next_version
from generator.textdiff import word_diff_text, word_ops
from tests.gitlib import commit, edit, library_repo, state

CREDITS = "clauses/sla/service-credits.yaml"


def run_diff(root: Path, *args: str) -> tuple[int, str]:
    """Exit code and everything printed; with --format json, only the JSON (stdout)."""
    result = CliRunner().invoke(main, ["diff", "--library", str(root), *args])
    return result.exit_code, result.stdout if "json" in args else result.output


@pytest.fixture()
def repo(tmp_path: Path) -> tuple[Path, Path]:
    return library_repo(tmp_path)


def reword(root: Path) -> None:
    edit(root / CREDITS, "of the monthly Charges.", "of the Charges invoiced for the month.")


def test_text_change_without_version_bump_fails_with_the_clause_file_and_line(
    repo: tuple[Path, Path],
) -> None:
    top, root = repo
    reword(root)
    commit(top)
    code, out = run_diff(root, "base", "HEAD")
    assert code == 1
    assert (
        "clauses/sla/service-credits.yaml:4:10: error[version-bump]: version 2.0.0 was not "
        "bumped; this change needs at least a patch bump (to 2.0.1): variant `client`: text changed"
    ) in out


def test_text_change_with_a_patch_bump_passes(repo: tuple[Path, Path]) -> None:
    top, root = repo
    reword(root)
    edit(root / CREDITS, "version: 2.0.0", "version: 2.0.1")
    commit(top)
    code, out = run_diff(root, "base", "HEAD")
    assert code == 0, out
    assert "✅ `service-credits` 2.0.0 → 2.0.1 · needs **patch**, got patch" in out


def test_markdown_names_the_affected_deals_and_shows_the_changed_words(
    repo: tuple[Path, Path],
) -> None:
    top, root = repo
    reword(root)
    edit(root / CREDITS, "version: 2.0.0", "version: 2.0.1")
    commit(top)
    _, out = run_diff(root, "base", "HEAD")
    # the clause's own text, word by word
    assert "of the [-monthly Charges-]{+Charges invoiced for the month+}." in out
    # the sample deals whose drafts change, with the rendered diff of each
    assert (
        "- `deals/small.yaml` (changed, +1 −1 lines) — includes `service-credits` (variant `client`)"
        in out
    )
    assert "-2.2.1 Service Credits are capped at 18% of the monthly Charges." in out
    assert "+2.2.1 Service Credits are capped at 18% of the Charges invoiced for the month." in out
    assert "<summary><code>deals/small-m4.yaml</code>" in out
    assert "- `standard` — uses `service-credits`" in out


@pytest.mark.parametrize(
    ("old", "new", "needed"),
    [
        # a parameter added: minor
        (
            "  sole_remedy: {type: boolean, default: false}\n",
            "  sole_remedy: {type: boolean, default: false}\n  claim_days: {type: integer, default: 30}\n",
            "minor",
        ),
        # a default changed: major
        (
            "cap_percent: {type: percent, default: 12,",
            "cap_percent: {type: percent, default: 10,",
            "major",
        ),
        # a looser bound: minor; a tighter one could break a deal's override: major
        ("minimum: 5, maximum: 20}", "minimum: 5, maximum: 25}", "minor"),
        ("minimum: 5, maximum: 20}", "minimum: 8, maximum: 20}", "major"),
        # a variant's own default changed: major
        ("parameters: {cap_percent: 10}", "parameters: {cap_percent: 11}", "major"),
        # selection changes: minor
        ("    maturity: [2, 3, 4]\n", "    maturity: [3, 4]\n", "minor"),
        # a note to the drafter: patch
        ("    notes: n\n", "    notes: Check the cap against the deal value.\n", "patch"),
    ],
)
def test_each_kind_of_change_needs_its_bump(
    repo: tuple[Path, Path], old: str, new: str, needed: str
) -> None:
    top, root = repo
    edit(root / CREDITS, old, new)
    commit(top)
    code, out = run_diff(root, "base", "HEAD", "--format", "json")
    report = json.loads(out)
    (clause,) = report["clauses"]
    assert clause["required"] == needed and clause["ok"] is False and code == 1
    target = next_version("2.0.0", needed)
    edit(root / CREDITS, "version: 2.0.0", f"version: {target}")
    commit(top, "bump")
    code, out = run_diff(root, "base", "HEAD", "--format", "json")
    assert code == 0 and json.loads(out)["clauses"][0]["ok"] is True


def test_removing_a_variant_needs_a_major_bump(repo: tuple[Path, Path]) -> None:
    top, root = repo
    text = (root / CREDITS).read_text()
    start = text.index("  - id: balanced-basic")
    (root / CREDITS).write_text(text[:start])
    playbook = root / "playbooks/standard.yaml"
    playbook.write_text(playbook.read_text().replace(", balanced-basic]", "]"))
    edit(root / CREDITS, "version: 2.0.0", "version: 2.1.0")
    commit(top)
    code, out = run_diff(root, "base", "HEAD")
    assert code == 1
    assert "needs at least a major bump (to 3.0.0): variant `balanced-basic`: removed" in out
    assert "- `standard` — the playbook itself changed; uses `service-credits`" in out


def test_version_going_backwards_fails(repo: tuple[Path, Path]) -> None:
    top, root = repo
    reword(root)
    edit(root / CREDITS, "version: 2.0.0", "version: 1.9.9")
    commit(top)
    code, out = run_diff(root, "base", "HEAD")
    assert code == 1 and "version went backwards (2.0.0 -> 1.9.9)" in out


def test_comments_and_formatting_are_no_change(repo: tuple[Path, Path]) -> None:
    top, root = repo
    edit(root / CREDITS, "id: service-credits\n", "# reviewed 2027-01\nid:   service-credits\n")
    commit(top)
    code, out = run_diff(root, "base", "HEAD")
    assert code == 0 and "No clause, playbook or sample-deal draft changed." in out


def test_new_clause_and_deal_filter(repo: tuple[Path, Path]) -> None:
    top, root = repo
    new = (
        (root / "clauses/core/gain-sharing.yaml")
        .read_text()
        .replace("gain-sharing", "pain-sharing")
    )
    (root / "clauses/core/pain-sharing.yaml").write_text(new)
    reword(root)
    commit(top)
    code, out = run_diff(root, "base", "HEAD", "--deals", str(root / "deals/small.yaml"))
    assert "#### ➕ `pain-sharing` 1.0.0 — new clause" in out
    assert "deals/small.yaml" in out and "deals/small-m4.yaml" not in out
    assert code == 1  # service-credits still was not bumped


def test_json_report_has_clauses_deals_and_problems(repo: tuple[Path, Path]) -> None:
    top, root = repo
    reword(root)
    commit(top)
    code, out = run_diff(root, "base", "HEAD", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["clauses"][0]["changes"][0]["words"][1] == ["-", "monthly Charges"]
    assert {d["path"] for d in data["deals"] if d["status"] == "changed"} == {
        "deals/small.yaml",
        "deals/small-m4.yaml",
    }
    assert data["problems"][0]["rule"] == "version-bump"


def test_report_file_and_step_summary(
    repo: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top, root = repo
    reword(root)
    edit(root / CREDITS, "version: 2.0.0", "version: 2.0.1")
    commit(top)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report = tmp_path / "report.md"
    code, _ = run_diff(root, "base", "HEAD", "--report", str(report), "--step-summary")
    assert code == 0
    assert summary.read_text().startswith("earlier step\n## ✅ Clause review: `base`")
    assert report.read_text().startswith("## ✅ Clause review")


def test_diff_never_touches_the_work_tree_or_the_index(repo: tuple[Path, Path]) -> None:
    top, root = repo
    reword(root)
    commit(top)
    edit(root / CREDITS, "version: 2.0.0", "version: 2.0.7")  # an uncommitted edit survives
    before = state(top)
    run_diff(root, "base", "HEAD")
    assert state(top) == before


def test_option_like_and_shell_like_revisions_exit_2(
    repo: tuple[Path, Path], tmp_path: Path
) -> None:
    _, root = repo
    target = tmp_path / "x"
    code, out = run_diff(root, "--", f"--output={target}", "HEAD")
    assert code == 2 and "a revision may not start with '-'" in out and not target.exists()
    code, out = run_diff(root, "HEAD; rm -rf", "HEAD")
    assert code == 2 and "is refused: it contains ' ' ';'" in out


def test_word_diff_helpers() -> None:
    ops = word_ops("pay the quick fox in 30 days", "pay a slow fox in 45 days")
    assert word_diff_text(ops) == "pay [-the quick-]{+a slow+} fox in [-30-]{+45+} days"
    assert (
        bump_between("1.2.3", "1.3.0") == "minor" and bump_between("1.2.3", "1.2.2") == "backwards"
    )
    assert next_version("1.2.3", "major") == "2.0.0"
