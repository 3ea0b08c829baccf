"""`clausebook explain` says, per Statement of Work, whether the Agreement's value or the SOW's
applies, and where each came from."""

from __future__ import annotations

from click.testing import CliRunner

from generator.cli import main
from generator.views.explain import explain_json
from tests.helpers import REPO

DEAL = REPO / "deals" / "service-desk-sows.yaml"


def _line(needle: str) -> int:
    lines = DEAL.read_text().splitlines()
    return next(i for i, t in enumerate(lines, start=1) if needle in t)


def test_explain_json_traces_each_sow_term() -> None:
    data = explain_json(REPO, DEAL)
    terms = {(t["sow"], t["term"]): t for t in data["sows"]}
    speed = terms[("desk", "service level: Average speed of answer")]
    assert speed["applied"] == "SOW value"
    assert speed["agreement"]["value"] == "no more than 30 seconds"
    assert "clauses/sla/sla-schedule.yaml" in speed["agreement"]["source"]
    assert speed["sow_value"] == {
        "value": "no more than 25 seconds",
        "at": f"deals/service-desk-sows.yaml:{_line('Average speed of answer, target: 25')}",
    }
    # A Service Level the SOW does not restate keeps the Agreement's target.
    abandon = terms[("desk", "service level: Abandonment rate")]
    assert abandon["applied"] == "MSA default" and abandon["sow_value"] is None
    rca = terms[("desk", "service-levels.rca_business_days (Clause 5.1)")]
    assert rca["agreement"]["value"] == 5 and rca["sow_value"]["value"] == 3
    assert rca["agreement"]["source"].startswith("clause default (clauses/sla/service-levels.yaml:")
    # The second SOW names no locations: the Agreement's apply.
    where = terms[("field-support", "locations")]
    assert where["applied"] == "MSA default" and where["agreement"]["value"] == ["Dublin", "Kraków"]
    assert terms[("field-support", "term")]["sow_value"]["value"] == "2027-10-01 to 2032-03-31"
    charges = terms[("desk", "charges")]
    assert charges["applied"] == "SOW value"
    assert charges["sow_value"]["value"] == [
        "Service desk management fee: 62000 per month",
        "Tickets resolved: 13.9 per transaction",
    ]
    assert charges["agreement"]["value"].startswith("hybrid pricing in EUR")


def test_explain_json_of_a_deal_without_sows_has_no_sows_key() -> None:
    assert "sows" not in explain_json(REPO, REPO / "deals" / "service-desk-multi.yaml")


def test_explain_table_shows_msa_default_against_sow_value() -> None:
    result = CliRunner().invoke(
        main, ["explain", str(DEAL), "--library", str(REPO)], env={"COLUMNS": "240"}
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Statement of Work 'desk'" in out and "Statement of Work 'field-support'" in out
    assert "MSA default (source)" in out and "SOW value (where)" in out
    row = next(line for line in out.splitlines() if "service-levels.rca_business_days" in line)
    assert "5 — clause default" in row and "3 (deals/service-desk-sows.yaml:" in row
    assert row.rstrip(" │").endswith("SOW value")
