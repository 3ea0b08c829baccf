"""Numbers a template or a file can hold that no contract can state: a constant filter call that
would run for minutes while compiling, amounts beyond Decimal's precision, templates Python's
compiler gives up on, NaN and infinities. Each is a located content error (exit 1), never an
internal error (exit 3) and never "NaN%" in a draft."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .support import TEXT_LINE, at, cli, deal_text, refused, set_clause_text, validate

ROUND = "round: the number of digits must be between -18 and 18"
NESTED = "template nested too deeply to compile (too many nested blocks or operators)"

CASES = [
    # (case id, template, message): compiled before any guard, or one C call for minutes
    ("round-huge-negative-constant", "{{ 7 | round(-30000000) }}", ROUND),
    ("round-huge-positive-constant", "{{ 7.5 | round(10**7) }}", ROUND),
    ("round-digits-not-whole", "{{ 7.5 | round(2.5) }}",
     "TypeError: round: the number of digits must be a whole number, got 2.5"),
    ("money-1e26", "{{ 1e26 | money }}", "money: 1e+26 has more than 18 digits before the point"),
    ("money-huge-int", "{{ (10**30) | money }}",
     "money: 1e+30 has more than 18 digits before the point"),
    ("number-infinity", "{{ (1e308 * 10) | number }}", "number: inf is not a finite number"),
    ("percent-nan", "{{ (1e308 * 10 - 1e308 * 10) | percent }}",
     "percent: nan is not a finite number"),
    ("words-huge", "{{ 1e200 | words }}", "words: 1e+200 has more than 18 digits before the point"),
    ("chained-plus", "{{ " + " + ".join(["1"] * 250) + " }}", NESTED),
    ("nested-for", "{% for x in [1] %}" * 25 + "x" + "{% endfor %}" * 25, NESTED),
    ("nested-if", "{% if true %}" * 120 + "x" + "{% endif %}" * 120, NESTED),
]  # fmt: skip
WHOLE_TEXT = {"chained-plus", "nested-for", "nested-if"}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_number_no_contract_can_state_is_a_located_error(
    minilib: Path, case: tuple[str, str, str]
) -> None:
    name, template, message = case
    set_clause_text(minilib, "Plain first line.\n\n" + template)
    line = TEXT_LINE if name in WHOLE_TEXT else TEXT_LINE + 2
    started = time.monotonic()
    refused(validate(minilib), at(line, "render", message))
    assert time.monotonic() - started < 10


def test_money_in_a_when_condition_is_a_located_error(minilib: Path) -> None:
    path = minilib / "clauses/core/services.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "    stance: client\n", "    stance: client\n    when: '(10**30) | money'\n", 1
        ),
        "utf-8",
    )
    outcome = validate(minilib)
    assert outcome.code == 1, outcome.output
    assert any("money: 1e+30 has more than 18 digits" in p for p in outcome.problems), (
        outcome.output
    )


@pytest.mark.parametrize("value", [".nan", ".inf", "-.Inf", ".NaN"])
def test_non_finite_number_in_a_deal_is_refused(minilib: Path, value: str) -> None:
    text = deal_text(minilib).replace("cap_percent: 18", f"cap_percent: {value}")
    (minilib / "deals" / "small.yaml").write_text(text, "utf-8")
    col = text.splitlines()[13].index(value) + 1
    refused(
        validate(minilib, minilib / "deals" / "small.yaml"),
        at(14, "not-finite", f"'{value}' is not a finite number", path="deals/small.yaml", col=col),
    )


def test_non_finite_number_in_an_outcome_record_is_refused(minilib: Path) -> None:
    folder = minilib / "playbooks" / "outcomes"
    folder.mkdir()
    (folder / "small.yaml").write_text(
        "deal: small\nsigned: 2026-01-05\ngo_live: 2026-03-01\nclauses:\n"
        "  service-credits:\n    variant: client\n    accepted_first_time: true\n"
        "    credits_paid_percent: .nan\n",
        "utf-8",
    )
    for fmt in ("table", "json"):
        outcome = cli("playbook", "stats", "--library", minilib, "--format", fmt)
        assert outcome.code == 1, outcome.output
        assert "NaN" not in outcome.output
        assert "playbooks/outcomes/small.yaml:8:27" in outcome.output
        assert "'.nan' is not a finite number" in outcome.output
