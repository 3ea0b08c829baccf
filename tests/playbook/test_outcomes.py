"""Outcome records (playbooks/outcomes/*.yaml): schema, cross-checks, and `validate`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.pipeline.library import load_library
from generator.playbook.outcomes import load_outcomes

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
# SAMPLE DATA
deal: small
sample: true
signed: 2026-12-01
go_live: 2027-03-01
clauses:
  service-credits:
    opened: client
    variant: client
    parameters: {cap_percent: 12}
    accepted_first_time: false
    rounds: 2
    days_to_agree: 14
    disputes: 1
    credits_paid_percent: 0.6
    renegotiated: false
"""

BAD = """\
deal: smal
signed: 2026-12-01
clauses:
  service-credits:
    variant: aggressive
    accepted_first_time: false
    disputes: 2
  gain-sharing:
    opened: balanced
    variant: client
    parameters: {share_percent: 95, split: 3}
    accepted_first_time: true
    rounds: 2
  service-credit:
    variant: client
    accepted_first_time: true
"""


def write(root: Path, name: str, text: str) -> Path:
    folder = root / "playbooks" / "outcomes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_a_good_record_loads_with_every_field(minilib: Path) -> None:
    write(minilib, "small.yaml", GOOD)
    records, errors = load_outcomes(load_library(minilib), minilib)
    assert errors == []
    [r] = records
    assert r.deal == "small" and r.sample and r.go_live == "2027-03-01"
    [c] = r.clauses
    assert (c.opened, c.variant, c.parameters) == ("client", "client", (("cap_percent", 12),))
    assert (c.rounds, c.days_to_agree, c.disputes, c.credits_paid_percent) == (2, 14, 1, 0.6)


def test_every_mistake_in_outcome_records_is_reported_at_once(minilib: Path) -> None:
    write(minilib, "a-bad.yaml", BAD)
    write(minilib, "b-small.yaml", GOOD)
    write(minilib, "c-small-again.yaml", GOOD)
    write(minilib, "d-typo.yaml", GOOD.replace("clauses:", "clause:"))
    _, errors = load_outcomes(load_library(minilib), minilib)
    assert [d.text() for d in errors] == [
        "playbooks/outcomes/a-bad.yaml:1:7: error[unknown-deal]: unknown deal 'smal' (did you mean 'small'?): no profile in deals/ has this id; set archived: true for a deal signed without one",
        "playbooks/outcomes/a-bad.yaml:5:5: error[outcome-consistency]: 'service-credits' was not accepted first time: say which variant was opened (opened:)",
        "playbooks/outcomes/a-bad.yaml:5:14: error[unknown-variant]: clause 'service-credits' has no variant 'aggressive' (variants: client, balanced, balanced-basic)",
        "playbooks/outcomes/a-bad.yaml:7:15: error[outcome-dates]: disputes is a post-go-live figure, but the record has no go_live date",
        "playbooks/outcomes/a-bad.yaml:9:13: error[outcome-consistency]: accepted first time, yet the variant signed differs from the one opened",
        "playbooks/outcomes/a-bad.yaml:11:33: error[parameter-value]: gain-sharing.share_percent = 95 is above the maximum of 90",
        "playbooks/outcomes/a-bad.yaml:11:37: error[unknown-parameter]: clause 'gain-sharing' has no parameter 'split'",
        "playbooks/outcomes/a-bad.yaml:13:13: error[outcome-consistency]: accepted first time, so there were no rounds of mark-ups: rounds must be 0",
        "playbooks/outcomes/a-bad.yaml:14:3: error[unknown-clause]: unknown clause 'service-credit' (did you mean 'service-credits'?)",
        "playbooks/outcomes/c-small-again.yaml:2:7: error[duplicate-outcome]: the outcome of deal 'small' is already recorded in playbooks/outcomes/b-small.yaml",
        "playbooks/outcomes/d-typo.yaml:2:1: error[schema]: missing required field 'clauses'",
        "playbooks/outcomes/d-typo.yaml:6:1: error[schema]: unknown field 'clause' (did you mean 'clauses'?)",
    ]


def test_an_archived_deal_needs_no_profile(minilib: Path) -> None:
    write(minilib, "old.yaml", GOOD.replace("deal: small", "deal: legacy-2019\narchived: true"))
    records, errors = load_outcomes(load_library(minilib), minilib)
    assert errors == [] and records[0].archived


def test_validate_reports_outcome_records_with_file_and_line(minilib: Path) -> None:
    write(minilib, "bad.yaml", GOOD.replace("variant: client", "variant: clinet"))
    result = CliRunner().invoke(main, ["validate", "--library", str(minilib), "--format", "json"])
    assert result.exit_code == 1
    [problem] = json.loads(result.output)
    assert problem["path"] == "playbooks/outcomes/bad.yaml" and problem["line"] == 9
    assert problem["rule"] == "unknown-variant"


def test_packaged_outcome_schema_equals_the_library_copy_and_its_example_is_valid() -> None:
    from jsonschema import Draft202012Validator

    shipped = (REPO / "generator/schemas/outcome.schema.json").read_bytes()
    assert shipped == (REPO / "schemas/outcome.schema.json").read_bytes()
    for name in ("outcome", "playbook"):
        schema = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())
        Draft202012Validator.check_schema(schema)
        for example in schema["examples"]:
            assert list(Draft202012Validator(schema).iter_errors(example)) == []
