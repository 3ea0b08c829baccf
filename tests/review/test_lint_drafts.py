"""Lint on rendered drafts: placeholders still to be agreed, one quantity with two values."""

from __future__ import annotations

from pathlib import Path

from generator.review.lint import lint_library
from generator.review.lint.drafts import discover_drafts
from generator.review.lint.rules.quantities import statements
from tests.conftest import REPO

LINT = REPO / "tests" / "fixtures" / "lint"


def _draft_findings(root: Path, paths: list[Path] | None = None) -> list[str]:
    result = lint_library(root, paths or [])
    return [d.text() for d in result.diagnostics if d.path.endswith(".md")]


def test_a_quantity_stated_with_two_values_names_both_lines() -> None:
    found = [f for f in _draft_findings(LINT) if "inconsistent-quantity" in f]
    assert found == [
        "outputs/contradicts.md:7:9: error[inconsistent-quantity]: 'Service Credit Cap of 15%' "
        "here, but 'Service Credit Cap means 12%' at line 3: the same quantity with two values "
        "(one fact, one parameter)",
        "outputs/contradicts.md:13:30: error[inconsistent-quantity]: 'cure period of twenty (20) "
        "days' here, but 'Cure Period means the period of thirty (30) days' at line 5: the same "
        "quantity with two values (one fact, one parameter)",
    ]


def test_near_misses_are_not_contradictions() -> None:
    # same value twice, a term after a preposition, "any period of", money beside a percentage
    assert not [f for f in _draft_findings(LINT) if f.startswith("outputs/consistent.md")]
    (draft,) = [d for d in discover_drafts(LINT, [])[0] if d.path.endswith("/consistent.md")]
    keys = {(s.term, s.kind, s.value) for s in statements(draft)}
    assert ("Service Credit Cap", "%", "12") in keys  # read, and the same each time
    assert not [k for k in keys if k[0] == "Measurement Period"]


def test_a_placeholder_in_a_draft_is_a_finding_at_its_line() -> None:
    found = [f for f in _draft_findings(LINT) if "draft-placeholder" in f]
    assert found == [
        "outputs/contradicts.md:15:39: error[draft-placeholder]: 'Exit Fee' is still to be "
        "agreed: state it in the deal's overrides and draft again (this draft was made with "
        "--placeholders and is not ready to send)"
    ]


def test_paths_choose_the_drafts_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "sent.md"
    elsewhere.write_text("1.1 The fee is \\[●Exit Fee — to be agreed\\].\n")
    found = lint_library(LINT, [elsewhere])
    assert [(d.path, d.line, d.rule) for d in found.diagnostics] == [
        (elsewhere.as_posix(), 1, "draft-placeholder")
    ]
    assert found.drafts == 1  # the library's own outputs/ are not read when PATHS name a draft
    assert lint_library(LINT, [LINT / "clauses"]).drafts == 0


def test_the_committed_drafts_state_each_quantity_once() -> None:
    drafts, problems = discover_drafts(REPO, [])
    assert len(drafts) == len(list((REPO / "outputs").glob("*.md"))) and not problems
    agreements = [d for d in drafts if ".sow-" not in d.path]
    assert len(agreements) == len(list((REPO / "deals").glob("*.yaml")))
    for d in agreements:  # a Statement of Work is short: it may bind no quantity of its own
        assert len(list(statements(d))) >= 2, d.path  # the rule reads each draft, not nothing
    assert _draft_findings(REPO) == []
