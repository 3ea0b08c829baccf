"""Every stage is linear or bounded by a documented limit: a whole draft, lint's masking of
Jinja tags, and the library's clausebook.toml. And every file the engine reads from a library
resolves inside it, whichever command reads it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .support import cli, refused, set_clause_text, validate


def test_whole_draft_has_a_limit(minilib: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEBOOK_MAX_DOCUMENT_CHARS", "3000")
    set_clause_text(minilib, "{% for i in range(800) %}word {% endfor %}")  # 4,000 characters
    outcome = validate(minilib)
    assert outcome.code == 1, outcome.output
    message = "the draft exceeds the limit of 3,000 characters here (CLAUSEBOOK_MAX_DOCUMENT_CHARS)"
    assert any(message in p for p in outcome.problems), outcome.output
    assert sum(message in p for p in outcome.problems) <= 2  # once per draft, not per clause


def test_whole_draft_limit_is_a_usage_error_when_not_a_number(
    minilib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUSEBOOK_MAX_DOCUMENT_CHARS", "lots")
    outcome = validate(minilib)
    assert outcome.code in (1, 2), outcome.output  # validate reports it as each draft's problem
    assert "CLAUSEBOOK_MAX_DOCUMENT_CHARS='lots' must be a number of 0 or more" in outcome.output


@pytest.mark.parametrize(
    "template",
    [
        "{{ 'a' }} " + "{{" * 30_000,  # openers that never close: the old regex was quadratic
        "{{ 'a' }}" * 6_000 + " {# never closed",
        "{% raw %}" + "{%" * 30_000 + "{% endraw %}",
    ],
    ids=["unclosed-expressions", "unclosed-comment-after-many-tags", "raw-block"],
)
def test_lint_masks_jinja_in_linear_time(minilib: Path, template: str) -> None:
    set_clause_text(minilib, template)
    started = time.monotonic()
    outcome = cli("lint", "--library", minilib, "--no-base")
    assert time.monotonic() - started < 5, "lint took too long"
    assert outcome.code in (0, 1), outcome.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[lint]\nx = " + "[" * 5000 + "]" * 5000 + "\n",
         "clausebook.toml:2:38: error[lint-config]: nesting deeper than 32 levels"),
        ("[lint]\nx = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
         "clausebook.toml:2:" ),
        ('[lint]\nx = "' + "a" * 1_100_000 + '"\n',
         "clausebook.toml:1:1: error[file-too-large]: file is 1100014 bytes; the limit is 1048576"),
    ],
    ids=["deep-arrays", "deep-inline-tables", "huge"],
)  # fmt: skip
def test_clausebook_toml_is_bounded(minilib: Path, content: str, problem: str) -> None:
    (minilib / "clausebook.toml").write_text(content, "utf-8")
    for command in ("lint", "validate"):
        args = ("--no-base",) if command == "lint" else ()
        outcome = cli(command, "--library", minilib, *args)
        if command == "validate" and outcome.code == 0:
            continue  # validate does not read lint settings
        assert outcome.code == 1, outcome.output
        assert any(p.startswith(problem) for p in outcome.problems), outcome.output


OUT = "reached through a symbolic link that leaves the library; refused"


def test_linked_outcomes_folder_is_not_read(minilib: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "small.yaml").write_text("deal: small\nsigned: 2025-01-01\nclauses: {}\n")
    (minilib / "playbooks" / "outcomes").symlink_to(outside)
    outcome = cli("playbook", "stats", "--library", minilib)
    refused(outcome, f"playbooks/outcomes/small.yaml:1:1: error[symlink]: {OUT}")


def test_linked_topic_folder_is_not_linted(minilib: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: secret\n")
    (minilib / "clauses" / "evil").symlink_to(outside)
    outcome = cli("lint", "--library", minilib, "--no-base")
    assert outcome.code == 1, outcome.output
    assert f"clauses/evil/secret.yaml:1:1: error[symlink]: {OUT}" in outcome.problems


def test_linked_deals_folder_is_not_built(minilib: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (minilib / "deals").rename(outside)
    (minilib / "deals").symlink_to(outside)
    outcome = cli("build", "--library", minilib)
    assert outcome.code == 1, outcome.output
    assert f"deals/small.yaml:1:1: error[symlink]: {OUT}" in outcome.problems
    assert not (minilib / "outputs" / "small.md").exists()


@pytest.mark.parametrize("terms", [1_200, 3_000])
def test_chained_definitions_are_matched_in_linear_time(
    minilib: Path, tmp_path: Path, terms: int
) -> None:
    """Each definition uses the next term: the fixpoint once checked every term per round."""
    set_clause_text(minilib, "The Chained Term 00000 applies.")
    path = minilib / "clauses/core/services.yaml"
    chain = (
        "".join(
            f"  Chained Term {i:05d}: the meaning given by the Chained Term {i + 1:05d}\n"
            for i in range(terms - 1)
        )
        + f"  Chained Term {terms - 1:05d}: the end of the chain\n"
    )
    text = path.read_text("utf-8").replace("defines:\n", "defines:\n" + chain, 1)
    path.write_text(text, "utf-8")
    started = time.monotonic()
    outcome = cli("draft", "--library", minilib, "-o", tmp_path / "out",
                  minilib / "deals" / "small.yaml")  # fmt: skip
    assert outcome.code == 0, outcome.output[-2000:]
    assert time.monotonic() - started < 10
    md = (tmp_path / "out" / "small.md").read_text("utf-8")
    assert f"Chained Term {terms - 1:05d}" in md  # the last link of the chain is defined too
