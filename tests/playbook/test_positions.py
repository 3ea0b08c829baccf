"""CoE positions: the ladder, `clausebook check`, approvals, and `draft --allow-deviations`.

The fixture playbook (tests/fixtures/minilib/playbooks/standard.yaml) holds service-credits at
cap_percent >= 15 (client variant) -> fallback-1 >= 12 (deal-lead or cfo) -> fallback-2 adds the
balanced variants, >= 10 (cfo) -> walk-away >= 8 (coe-lead).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import ContentError
from generator.model import Bound
from generator.pipeline.library import load_library
from generator.playbook.check import check_deal
from tests.helpers import selection_for

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def deal_with(root: Path, name: str, cap: int, extra: str = "", stance: str = "client") -> Path:
    text = (root / "deals" / "small.yaml").read_text()
    text = text.replace("cap_percent: 18", f"cap_percent: {cap}").replace(
        "stance: client", f"stance: {stance}"
    )
    path = root / "deals" / name
    path.write_text(text + extra)
    return path


def problems(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.startswith(("deals/", "playbooks/"))]


APPROVAL = "approvals:\n  - {clause: service-credits, role: %s, by: Dana Lee, date: 2027-01-05%s}\n"


# ---- check ---------------------------------------------------------------------------------


def test_deal_inside_the_preferred_position_needs_no_approval(minilib: Path) -> None:
    code, text = run("check", "--library", str(minilib), str(minilib / "deals/small.yaml"))
    assert code == 0, text
    assert "  service-credits  preferred\n" in text
    assert problems(text) == []
    assert "1 clause(s) with a position: 1 preferred, 0 on a fallback" in text


def test_fallback_without_approval_fails_with_the_deal_line(minilib: Path) -> None:
    deal = deal_with(minilib, "fb.yaml", 12)
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 1
    assert problems(text) == [
        "deals/fb.yaml:14:34: error[approval-missing]: 'service-credits' is at fallback-1 and "
        "needs approval by deal-lead or cfo, which the deal does not record: cap_percent 12 "
        "(deal override, deals/fb.yaml:14) where preferred is at least 15"
    ]
    assert "service-credits  fallback-1  needs deal-lead or cfo: NOT APPROVED" in text


def test_fallback_with_the_needed_approval_passes(minilib: Path) -> None:
    deal = deal_with(minilib, "fba.yaml", 12, APPROVAL % ("cfo", ""))
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 0, text
    assert (
        "service-credits  fallback-1  needs deal-lead or cfo: approved by Dana Lee "
        "(cfo, 2027-01-05; deals/fba.yaml:16)"
    ) in text
    assert problems(text) == []


def test_walk_away_breach_fails_with_deal_line(minilib: Path) -> None:
    deal = deal_with(minilib, "wa.yaml", 6, APPROVAL % ("coe-lead", ""))
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 1
    assert problems(text) == [
        "deals/wa.yaml:14:34: error[walk-away]: 'service-credits' goes past the walk-away point: "
        "cap_percent 6 (deal override, deals/wa.yaml:14) where the walk-away point is at least 8"
    ]
    assert "service-credits  PAST WALK-AWAY" in text


def test_at_the_walk_away_point_the_walk_away_approver_is_needed(minilib: Path) -> None:
    deal = deal_with(minilib, "w8.yaml", 8, APPROVAL % ("coe-lead", ", step: walk-away"))
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 0, text
    assert "service-credits  walk-away  needs coe-lead: approved by Dana Lee" in text


def test_an_approver_of_another_step_does_not_count(minilib: Path) -> None:
    deal = deal_with(minilib, "other.yaml", 12, APPROVAL % ("coe-lead", ""))
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 1
    assert problems(text) == [
        "deals/other.yaml:14:34: error[approval-missing]: 'service-credits' is at fallback-1 and "
        "needs approval by deal-lead or cfo, which the deal does not record: cap_percent 12 "
        "(deal override, deals/other.yaml:14) where preferred is at least 15",
        "deals/other.yaml:16:37: error[approval-role]: approval by coe-lead does not cover "
        "fallback-1 of 'service-credits': only deal-lead or cfo may approve it",
    ]


def test_an_approval_for_another_step_does_not_count(minilib: Path) -> None:
    deal = deal_with(minilib, "step.yaml", 12, APPROVAL % ("cfo", ", step: fallback-2"))
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 1
    assert (
        "deals/step.yaml:16:80: error[approval-step]: the approval is for fallback-2 of "
        "'service-credits', but the deal is at fallback-1"
    ) in problems(text)


def test_an_unneeded_approval_is_a_warning_only(minilib: Path) -> None:
    deal = deal_with(minilib, "extra.yaml", 16, APPROVAL % ("cfo", ""))
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 0
    assert problems(text) == [
        "deals/extra.yaml:16:5: warning[approval-unused]: approval for 'service-credits' is not "
        "needed: the deal is at the preferred position"
    ]


def test_a_balanced_stance_opens_on_the_fallback_its_variant_sits_on(minilib: Path) -> None:
    deal = deal_with(minilib, "bal.yaml", 18, stance="balanced")
    code, text = run("check", "--library", str(minilib), str(deal))
    assert code == 1
    assert problems(text) == [
        "deals/bal.yaml:11:9: error[approval-missing]: 'service-credits' is at fallback-2 and "
        "needs approval by cfo, which the deal does not record: variant 'balanced-basic' "
        "(stance balanced, deals/bal.yaml:11) where preferred is client"
    ]


def test_check_json_lists_every_deviation_with_its_source(minilib: Path) -> None:
    import json

    deal = deal_with(minilib, "j.yaml", 12, APPROVAL % ("deal-lead", ""))
    code, text = run("check", "--library", str(minilib), "--format", "json", str(deal))
    assert code == 0, text
    data = json.loads(text)
    [sc] = data["clauses"]
    assert sc["step"] == "fallback-1" and sc["status"] == "approved"
    assert sc["deviations"] == [
        {
            "what": "cap_percent",
            "value": 12,
            "limit": "preferred is at least 15",
            "source": "deal override",
            "where": "deals/j.yaml:14",
        }
    ]
    assert data["unpositioned"] == ["definitions", "services", "sla-schedule"]


# ---- draft ---------------------------------------------------------------------------------


def test_draft_refuses_a_deviating_deal_unless_allowed(minilib: Path, tmp_path: Path) -> None:
    deal = deal_with(minilib, "wa.yaml", 6)
    out = tmp_path / "out"
    args = ["draft", "--library", str(minilib), str(deal), "-o", str(out), "--format", "md"]
    code, text = run(*args)
    assert code == 1
    assert "deals/wa.yaml:14:34: error[walk-away]:" in text
    assert not (out / "wa.md").exists()
    code, text = run(*args, "--allow-deviations")
    assert code == 0, text
    assert (out / "wa.md").exists()


def test_drafting_an_approved_fallback_needs_no_flag(minilib: Path, tmp_path: Path) -> None:
    deal = deal_with(minilib, "fba.yaml", 12, APPROVAL % ("deal-lead", ""))
    code, text = run(
        "draft", "--library", str(minilib), str(deal), "-o", str(tmp_path), "--format", "md"
    )
    assert code == 0, text


# ---- the ladder ----------------------------------------------------------------------------


def test_the_ladder_accumulates_variants_and_loosens_limits(minilib: Path) -> None:
    pb = load_library(minilib).playbooks["standard"]
    p = pb.positions.positions["service-credits"]
    assert [s.key for s in p.steps] == ["preferred", "fallback-1", "fallback-2", "walk-away"]
    assert p.steps[0].variants == ("client",)
    assert p.steps[2].variants == ("client", "balanced", "balanced-basic")
    assert p.limit.bound("cap_percent") == Bound("cap_percent", 8, None, None)
    assert p.limit.bound("sole_remedy") == Bound("sole_remedy", values=(False,))
    assert p.steps[1].label == "12% cap"
    assert p.steps[0].summary() == "variant client; cap_percent at least 15; sole_remedy false"


def test_bounds_never_confuse_true_with_one() -> None:
    flag = Bound("x", values=(False,))
    assert flag.accepts(False) and not flag.accepts(0)
    assert Bound("n", values=(1,)).accepts(1) and not Bound("n", values=(1,)).accepts(True)
    assert Bound("n", 10, None).covers(Bound("n", 12, None))
    assert not Bound("n", 12, None).covers(Bound("n", 10, None))
    assert Bound("n", None, 9).describe() == "at most 9"
    assert Bound("n", 3, 9).describe() == "between 3 and 9"


def test_check_deal_gives_findings_in_draft_order(minilib: Path) -> None:
    sel = selection_for(minilib, "small-m4.yaml")
    result = check_deal(sel)
    assert [f.clause for f in result.findings] == ["service-credits"]
    assert result.unpositioned == ("definitions", "services", "gain-sharing", "sla-schedule")


# ---- bad input -----------------------------------------------------------------------------

BROKEN_POSITIONS = """
roles:
  deal-lead: {title: Deal lead}
  cfo: {title: Chief Financial Officer}
positions:
  service-credits:
    preferred:
      variants: [client]
      parameters: {cap_percent: {min: 15}}
    fallbacks:
      - parameters: {cap_percent: {min: 12}}
        approvers: [deal-led]
      - variants: [balanced-strict]
        parameters: {cap_percent: {min: 10}}
        approvers: [cfo]
    walk_away:
      parameters: {cap_percent: {min: 12}}
      approvers: [cfo]
  gain-sharing:
    preferred:
      parameters: {share_percent: {min: 60}}
    fallbacks:
      - parameters: {share_percent: {min: 70}}
        approvers: [cfo]
  services:
    preferred:
      parameters: {start_days: {max: 20, min: 40}, sole_remedy: false}
    fallbacks:
      - parameters: {start_days: {max: 95}}
        approvers: [cfo]
  service-credit:
    preferred: {}
"""


def test_every_playbook_mistake_is_reported_at_once_with_its_line(minilib: Path) -> None:
    pb = minilib / "playbooks/standard.yaml"
    text = pb.read_text()
    pb.write_text(text[: text.index("roles:")] + BROKEN_POSITIONS.lstrip())
    with pytest.raises(ContentError) as info:
        load_library(minilib)
    got = [d.text() for d in info.value.diagnostics]
    assert got == [
        "playbooks/standard.yaml:28:21: error[unknown-role]: unknown role 'deal-led' (did you mean 'deal-lead'?); the playbook's roles are: cfo, deal-lead",
        "playbooks/standard.yaml:29:20: error[unknown-variant]: fallback-2 of 'service-credits' names variant 'balanced-strict', which the clause does not have (variants: client, balanced, balanced-basic)",
        "playbooks/standard.yaml:33:33: error[walk-away-order]: the walk-away point of 'service-credits' is stricter than fallback-2 on cap_percent (at least 12 against at least 10): a fallback may not go past the walk-away point",
        "playbooks/standard.yaml:39:37: error[step-order]: fallback-1 of 'gain-sharing' is stricter than preferred on share_percent (at least 70 against at least 60): each step must accept everything the step before it accepts",
        "playbooks/standard.yaml:43:32: error[position-parameter]: preferred of 'services': min 40 of 'start_days' is above its max 20",
        "playbooks/standard.yaml:43:65: error[position-parameter]: preferred of 'services' limits 'sole_remedy', which the clause does not have",
        "playbooks/standard.yaml:45:40: error[position-parameter]: fallback-1 of 'services': 'start_days' = 95 is above the maximum of 90",
        "playbooks/standard.yaml:47:3: error[unknown-clause]: position for unknown clause 'service-credit' (did you mean 'service-credits'?)",
    ]
