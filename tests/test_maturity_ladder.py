"""The maturity ladder: the same deal drafted at levels 1-4 differs as the maturity model says.

Level 1 (Foundational) is a lean, transactional contract; each level adds its constructs
(seed 000, /work/shared/design.md): 2 Managed - KPIs, scorecard, earn-back, benchmarking;
3 Optimised - gain-sharing, innovation funding, adaptive governance; 4 Outcome partnership -
outcome pricing with a baseline fee, independent measurement. The ladder deal is the customer
care sample. Below level 4 it is priced per transaction (the deal loader refuses a level-4 deal
without outcome pricing, and the model puts outcome pricing at level 4 only), with one unit
price per resolved contact; everything else in the deal is unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model import Selection
from generator.pipeline.build import make_draft
from generator.playbook.check import refusals
from tests.helpers import repo_library

REPO = Path(__file__).resolve().parents[1]
DEAL = REPO / "deals" / "care-outcome-gdpr.yaml"
TRANSACTION_PRICE = {
    "transaction_prices": [
        {
            "transaction_type": "Contacts resolved",
            "unit_price": 9.8,
            "counting_point": "case closed as resolved in the Customer case-management system",
        }
    ]
}


# The balanced ladder: the same deal with `stance: balanced`. Its balanced positions sit on the
# playbook's fallbacks, so the deal records the approvals the CoE gate asks for at each level,
# as a balanced sample deal does: (clause, step, role, first level at which the clause is drafted).
BALANCED_APPROVALS = (
    ("change-control", "fallback-1", "deal-lead", 1),
    ("data-protection", "fallback-1", "legal-counsel", 1),
    ("limitation-of-liability", "fallback-2", "legal-counsel", 1),
    ("non-solicitation", "fallback-1", "deal-lead", 1),
    ("price-protection", "fallback-1", "cfo", 1),
    ("security-incidents", "fallback-1", "ciso", 1),
    ("service-credits", "fallback-2", "cfo", 1),
    ("step-in", "fallback-1", "legal-counsel", 1),
    ("termination-for-convenience", "fallback-1", "legal-counsel", 1),
    ("benchmarking", "fallback-1", "cfo", 2),
    ("earn-back", "fallback-1", "deal-lead", 2),
    ("productivity-share", "fallback-1", "cfo", 2),
    ("most-favoured-customer", "fallback-1", "cfo", 3),
    ("gain-sharing", "walk-away", "cfo", 3),
)


def balanced_approvals(level: int) -> list[dict[str, Any]]:
    rows = [(c, step, role) for c, step, role, first in BALANCED_APPROVALS if level >= first]
    # below level 3 the balanced exit assistance is the second fallback, from 3 the first
    rows.append(("exit-assistance", "fallback-2" if level < 3 else "fallback-1", "legal-counsel"))
    return [
        {"clause": c, "step": step, "role": role, "by": "Ladder Approver", "date": "2026-11-20"}
        for c, step, role in rows
    ]


def ladder_deal(level: int, stance: str = "client") -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEAL.read_text(encoding="utf-8"))
    data["maturity"] = level
    if stance != "client":
        data["stance"] = stance
        data["approvals"] = balanced_approvals(level)
    if level < 4:
        data["pricing"]["model"] = "transaction"
        overrides = data["overrides"]
        overrides.pop("charges-outcome")
        overrides["charges-transaction"] = TRANSACTION_PRICE
    return data


@lru_cache(maxsize=8)
def _draft(level: int, folder: str, stance: str = "client") -> tuple[str, Selection]:
    name = f"ladder-m{level}" if stance == "client" else f"ladder-{stance}-m{level}"
    path = Path(folder) / f"{name}.yaml"
    path.write_text(yaml.safe_dump(ladder_deal(level, stance), sort_keys=False), encoding="utf-8")
    # the CoE gate `draft` hands in: a level's draft must sit on the playbook's ladders too
    draft = make_draft(repo_library(), path, ["md"], gate=refusals)
    return draft.files[f"{path.stem}.md"].decode("utf-8"), draft.selection


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[str, Selection]]:
    folder = tmp_path_factory.mktemp("ladder")
    return {level: _draft(level, str(folder)) for level in (1, 2, 3, 4)}


def words(text: str) -> int:
    return len(text.split())


def clauses(sel: Selection) -> set[str]:
    return {s.clause.id for s in sel.all()}


def test_level_one_is_at_most_sixty_per_cent_of_level_four(
    drafts: dict[int, tuple[str, Selection]],
) -> None:
    counts = {level: words(text) for level, (text, _) in drafts.items()}
    assert counts[1] / counts[4] <= 0.60, counts


def test_words_grow_level_by_level(drafts: dict[int, tuple[str, Selection]]) -> None:
    counts = [words(drafts[level][0]) for level in (1, 2, 3, 4)]
    assert counts == sorted(counts) and len(set(counts)) == 4, counts


def test_level_one_has_none_of_the_higher_levels_constructs(
    drafts: dict[int, tuple[str, Selection]],
) -> None:
    text, sel = drafts[1]
    ids = clauses(sel)
    higher = {
        "gain-sharing",
        "innovation-fund",
        "charges-outcome",
        "benchmarking",
        "earn-back",
        "kpis-scorecard",
        "independent-measurement",
        "productivity-share",
        "automation-price-review",
        "decision-rights",
        "reporting-schedule",
    }
    assert ids & higher == set()
    for phrase in (
        "Gain-Share",
        "Innovation Fund",
        "Baseline Fee",
        "Benchmark",
        "Earn-Back",
        "Balanced Scorecard",
        "quarterly business review",
        "Independent Measurement Agent",
    ):
        assert phrase.lower() not in text.lower(), phrase


def test_level_one_governance_is_one_tier(drafts: dict[int, tuple[str, Selection]]) -> None:
    text, _ = drafts[1]
    schedule = text[text.index("Governance Schedule") :]
    schedule = schedule[: schedule.index("\n# ")] if "\n# " in schedule else schedule
    rows = [ln for ln in schedule.splitlines() if ln.startswith("| ") and "---" not in ln]
    forums = {row.split("|")[1].strip() for row in rows[1:]}
    # one Customer-Supplier tier; the multi-provider forum is the Customer's suppliers' forum
    assert forums == {"Service Management Committee", "Service Integration Forum"}, forums
    for body in ("Commercial Review Board", "Executive Steering Committee", "Transformation Board"):
        assert body not in text, body


def test_level_three_adds_gain_sharing_innovation_and_adaptive_governance(
    drafts: dict[int, tuple[str, Selection]],
) -> None:
    text, sel = drafts[3]
    assert {"gain-sharing", "innovation-fund", "technology-evolution"} <= clauses(sel)
    chosen = {s.clause.id: s.variant.id for s in sel.all()}
    assert chosen["governance-structure"].endswith("adaptive")
    assert "recalibrate the measurement regime" in text
    assert "charges-outcome" not in clauses(sel)
    for level in (1, 2):
        assert {"gain-sharing", "most-favoured-customer"} & clauses(drafts[level][1]) == set()
    for level in (3, 4):
        assert "Most Favoured Price" in drafts[level][0]


def test_level_four_prices_outcomes_on_a_baseline_fee_measured_independently(
    drafts: dict[int, tuple[str, Selection]],
) -> None:
    text, sel = drafts[4]
    assert {"charges-outcome", "independent-measurement", "glide-path"} <= clauses(sel)
    assert re.search(r"Baseline Fee", text)
    assert "Independent Measurement Agent" in text
    for level in (1, 2, 3):
        assert "independent-measurement" not in clauses(drafts[level][1])


def test_minimum_and_expected_service_levels_from_level_two(
    drafts: dict[int, tuple[str, Selection]],
) -> None:
    assert "Minimum Service Level" not in drafts[1][0]  # level 1: basic service levels
    for level in (2, 3, 4):
        assert (
            "is the Expected Service Level. Each Critical Service Level also has a Minimum"
            in (drafts[level][0])
        )


def test_level_one_uses_the_foundational_variants(drafts: dict[int, tuple[str, Selection]]) -> None:
    chosen = {s.clause.id: s.variant.id for s in drafts[1][1].all()}
    for cid in ("governance-structure", "escalation", "exit-plan", "exit-plan-schedule", "step-in"):
        assert chosen[cid] == "client-foundational", cid
    for level in (2, 3, 4):
        later = {s.clause.id: s.variant.id for s in drafts[level][1].all()}
        assert "client-foundational" not in {later[c] for c in ("escalation", "exit-plan")}


def test_one_escalation_ladder_and_chronic_failure_drafted_once(
    drafts: dict[int, tuple[str, Selection]],
) -> None:
    for level, (text, _) in drafts.items():
        disputes = text[text.index("Dispute Resolution Procedure\n") :][:3000]
        assert "escalation table in Clause" in disputes, level
        assert "**Operational**" not in disputes  # no second ladder of tiers
        assert "equal the At-Risk Amount in" not in text, level  # the CSF clause holds it
        exit_schedule = text[text.index("Exit Plan Framework\n") :]
        assert "At the time set by Clause" in exit_schedule, level


# ---- the balanced ladder: the same deal with `stance: balanced` --------------------------------

# Level 1's share of level 4's words, balanced stance: the bar holds what the balanced-foundational
# variants have reached so far (docs/sample-deal-notes.md gives the measured words); the client
# ladder's 60% is the goal.
BALANCED_BAR = 0.69


@pytest.fixture(scope="module")
def balanced_drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[str, Selection]]:
    folder = tmp_path_factory.mktemp("ladder-balanced")
    # each level passes the CoE gate with the approvals it records (_draft hands in `refusals`)
    return {level: _draft(level, str(folder), "balanced") for level in (1, 2, 3, 4)}


def test_balanced_level_one_is_lean_against_level_four(
    balanced_drafts: dict[int, tuple[str, Selection]],
) -> None:
    counts = {level: words(text) for level, (text, _) in balanced_drafts.items()}
    assert counts[1] / counts[4] <= BALANCED_BAR, counts


def test_balanced_words_grow_level_by_level(
    balanced_drafts: dict[int, tuple[str, Selection]],
) -> None:
    test_words_grow_level_by_level(balanced_drafts)


def test_balanced_ladder_passes_the_client_ladders_checks(
    balanced_drafts: dict[int, tuple[str, Selection]],
) -> None:
    test_level_one_has_none_of_the_higher_levels_constructs(balanced_drafts)
    test_level_one_governance_is_one_tier(balanced_drafts)
    test_level_four_prices_outcomes_on_a_baseline_fee_measured_independently(balanced_drafts)
    test_minimum_and_expected_service_levels_from_level_two(balanced_drafts)
    test_one_escalation_ladder_and_chronic_failure_drafted_once(balanced_drafts)


def test_balanced_level_three_adds_gain_sharing_innovation_and_adaptive_governance(
    balanced_drafts: dict[int, tuple[str, Selection]],
) -> None:
    # the client ladder's level-3 check, with the balanced adaptive wording (recalibration by
    # agreement: the Commercial Review Board reviews the regime, the Customer does not decide it)
    text, sel = balanced_drafts[3]
    assert {"gain-sharing", "innovation-fund", "technology-evolution"} <= clauses(sel)
    chosen = {s.clause.id: s.variant.id for s in sel.all()}
    assert chosen["governance-structure"] == "balanced-adaptive"
    assert "the Commercial Review Board shall review the measurement regime" in text
    assert "charges-outcome" not in clauses(sel)
    for level in (1, 2):
        assert {"gain-sharing", "most-favoured-customer"} & clauses(
            balanced_drafts[level][1]
        ) == set()
    for level in (3, 4):
        assert "Most Favoured Price" in balanced_drafts[level][0]


def test_balanced_level_one_uses_the_balanced_foundational_variants(
    balanced_drafts: dict[int, tuple[str, Selection]],
) -> None:
    chosen = {s.clause.id: s.variant.id for s in balanced_drafts[1][1].all()}
    foundational = {c for c, v in chosen.items() if v == "balanced-foundational"}
    assert {
        "governance-structure",
        "escalation",
        "exit-plan-schedule",
        "information-security",
        "change-control",
    } <= foundational
    foundational.discard("price-protection")  # its foundational form covers levels 1 and 2
    assert not {v for v in chosen.values() if v.startswith("client")}  # the stance holds
    for level in (2, 3, 4):
        later = {s.clause.id: s.variant.id for s in balanced_drafts[level][1].all()}
        assert "balanced-foundational" not in {later[c] for c in foundational if c in later}
