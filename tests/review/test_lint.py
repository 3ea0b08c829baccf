"""`clausebook lint`: every rule against its fixture, configuration, suppressions, the real library."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import ContentError
from generator.review.lint import RULES, lint_library, load_config
from generator.review.lint.config import _config_from, default_phrases
from tests.conftest import REPO
from tests.gitlib import commit, edit, library_repo

LINT = REPO / "tests" / "fixtures" / "lint"


def found(root: Path, **kw: object) -> list[str]:
    result = lint_library(root, **kw)  # type: ignore[arg-type]
    return [f"{d.path}:{d.line}:{d.col} {d.rule}" for d in result.diagnostics]


def expected() -> list[str]:
    lines = (LINT / "expected.txt").read_text().splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


@pytest.fixture()
def lintlib(tmp_path: Path) -> Path:
    root = tmp_path / "lint"
    shutil.copytree(LINT, root)
    return root


def test_each_rule_finds_the_violation_in_its_fixture() -> None:
    assert found(LINT) == expected()


def test_every_rule_but_the_git_one_has_a_fixture_violation() -> None:
    rules = {line.split()[-1] for line in expected()}
    assert rules == set(RULES) - {"approved-text-changed"}


def test_vague_phrase_is_allowed_when_its_sentence_gives_a_measure() -> None:
    flagged = [ln for ln in found(LINT) if ln.startswith("clauses/core/vague.yaml")]
    # line 20: "promptly, and in any event within {{ notice_days | days }}" - measured
    # line 22, second sentence: "more than 5% ... is material" - measured
    # the balanced variant: "in a timely manner within {{ notice_days | days }}" - measured
    assert [ln.split(":")[1] for ln in flagged] == ["18", "22", "24"]


def test_messages_quote_the_phrase_and_say_what_to_do() -> None:
    by_line = {(d.path, d.line): d.message for d in lint_library(LINT).diagnostics}
    assert by_line[("clauses/core/vague.yaml", 18)].startswith("'promptly' promises nothing")
    assert "'reasonable endeavours'" in by_line[("clauses/core/vague.yaml", 24)]
    assert "'Widget Register' reads as a defined term" in by_line[("clauses/core/terms.yaml", 17)]
    assert "no field for the data source" in by_line[("clauses/sla/sla-table.yaml", 10)]
    assert "has no measurement window" in by_line[("clauses/sla/sla-table.yaml", 19)]


def test_lint_reads_the_one_shared_phrase_list() -> None:
    text = (REPO / "generator" / "data" / "vague_phrases.txt").read_text()
    listed = [
        ln.strip().lower() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")
    ]
    assert list(default_phrases()) == listed


def test_library_config_adds_removes_and_disables(lintlib: Path) -> None:
    (lintlib / "clausebook.toml").write_text(
        "[lint]\n"
        'disable = ["missing-owner", "undefined-term"]\n'
        'extra-phrases = ["six (6) years"]\n'
        'allow-phrases = ["promptly", "material"]\n'
    )
    cfg = load_config(lintlib)
    assert cfg.source == "clausebook.toml" and not cfg.material
    lines = found(lintlib, config=cfg)
    assert not any("missing-owner" in ln or "undefined-term" in ln for ln in lines)
    assert "clauses/core/vague.yaml:18:26 vague-language" not in lines
    # "six (6) years" contains a number, so it can never lack one: the phrase is not flagged.
    assert "clauses/core/vague.yaml:24:30 vague-language" in lines


def test_config_in_pyproject_tool_table(lintlib: Path) -> None:
    (lintlib / "pyproject.toml").write_text(
        '[project]\nname = "firm-library"\n\n[tool.clausebook.lint]\ndisable = ["unused-term"]\n'
    )
    cfg = load_config(lintlib)
    assert cfg.source == "pyproject.toml" and "unused-term" not in cfg.rules
    assert not any("unused-term" in ln for ln in found(lintlib, config=cfg))


def test_unknown_config_key_or_rule_is_an_error_with_a_hint() -> None:
    with pytest.raises(ContentError) as exc:
        _config_from({"disabel": [], "disable": ["vague-languge"]}, "clausebook.toml")
    messages = [d.message for d in exc.value.diagnostics]
    assert any("unknown lint setting 'disabel' (did you mean 'disable'?)" in m for m in messages)
    assert any(
        "unknown lint rule 'vague-languge' (did you mean 'vague-language'?)" in m for m in messages
    )


def test_paths_limit_the_report_not_the_analysis() -> None:
    lines = found(LINT, paths=[LINT / "clauses" / "core" / "terms.yaml"])
    # "Change Request" is defined in terms.yaml; "Regulator Wording" is used from vague.yaml.
    assert lines == [ln for ln in expected() if ln.startswith("clauses/core/terms.yaml")]


def test_approved_clause_whose_text_changed_must_go_back_to_draft(tmp_path: Path) -> None:
    top, root = library_repo(tmp_path)
    clause = root / "clauses" / "sla" / "service-credits.yaml"
    edit(clause, "of the monthly Charges.", "of the Charges for the month.")
    with_base = CliRunner().invoke(main, ["lint", "--library", str(root)])
    assert with_base.exit_code == 1
    assert (
        "clauses/sla/service-credits.yaml:5:9: error[approved-text-changed]: the text of this "
        "approved clause changed since HEAD" in with_base.output
    )
    assert "(variant client): set status: draft" in with_base.output
    edit(clause, "status: approved", "status: draft")
    again = CliRunner().invoke(main, ["lint", "--library", str(root)])
    assert "approved-text-changed" not in again.output
    # Committed as draft, then approved unchanged: nothing to re-approve.
    commit(top, "reword credits")
    edit(clause, "status: draft", "status: approved")
    approved = CliRunner().invoke(main, ["lint", "--library", str(root), "--base", "HEAD"])
    assert "approved-text-changed" not in approved.output


def test_an_approval_can_be_recorded_as_a_suppression_with_reason(tmp_path: Path) -> None:
    _, root = library_repo(tmp_path)
    clause = root / "clauses" / "sla" / "service-credits.yaml"
    edit(clause, "of the monthly Charges.", "of the Charges for the month.")
    edit(
        clause,
        "status: approved",
        "status: approved  # clausebook: allow approved-text-changed -- approved by coe-commercial, 2027-01-05",
    )
    result = CliRunner().invoke(main, ["lint", "--library", str(root)])
    assert "approved-text-changed" not in result.output


def test_cli_exit_codes_and_formats() -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["lint", "--library", str(LINT), "--no-base"])
    assert text.exit_code == 1 and f"{len(expected())} problems found" in text.output
    as_json = runner.invoke(main, ["lint", "--library", str(LINT), "--no-base", "--format", "json"])
    problems = json.loads(as_json.output)
    assert {p["rule"] for p in problems} == set(RULES) - {"approved-text-changed"}
    gh = runner.invoke(main, ["lint", "--library", str(LINT), "--no-base", "--format", "github"])
    assert "::error file=clauses/core/vague.yaml,line=18,col=26,title=vague-language::" in gh.output
    clean = runner.invoke(
        main,
        [
            "lint",
            "--library",
            str(LINT),
            "--no-base",
            "clauses/core/parameters.yaml",
            "--format",
            "json",
        ],
    )
    assert clean.exit_code == 1  # parameters.yaml has its unused parameter


def test_repository_library_is_lint_clean() -> None:
    result = lint_library(REPO)
    assert [d.text() for d in result.diagnostics] == []
