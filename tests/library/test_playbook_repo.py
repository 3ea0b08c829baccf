"""The repository's own playbook, sample deals, outcome records and CoE outputs stay consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.model import Deal
from generator.pipeline.select import select
from generator.playbook.check import check_deal
from generator.playbook.health import health
from generator.playbook.memo import build_memo, memo_markdown
from generator.playbook.outcomes import load_outcomes
from generator.playbook.stats import compute
from generator.playbook.stats_report import markdown
from tests.helpers import repo_deal, repo_library

REPO = Path(__file__).resolve().parents[2]
DEALS = sorted((REPO / "deals").glob("*.yaml"))


library = repo_library
deal = repo_deal


def reasons(d: Deal) -> dict[str, str]:
    return {s.clause.id: s.included_because for s in select(library(), d).all()}


@pytest.mark.parametrize("path", DEALS, ids=[p.stem for p in DEALS])
def test_every_sample_deal_passes_check(path: Path) -> None:
    result = check_deal(select(library(), deal(path.name)))
    assert [d.text() for d in result.errors] == []
    assert [d.text() for d in result.diagnostics] == []  # no stale approvals either


def test_the_issue_examples_are_inclusion_rules_with_reasons() -> None:
    outcome = reasons(deal("fa-sox-fixed.yaml", pricing__model="outcome"))
    for cid in ("charges-outcome", "independent-measurement"):
        assert outcome[cid].startswith("rule 'outcome-price': Outcome-based pricing needs")
    assert "audit-rights" in outcome
    hipaa = reasons(deal("fa-sox-fixed.yaml", data_regimes=["hipaa"]))
    assert hipaa["hipaa-business-associate"].startswith("rule 'hipaa':")
    assert "hipaa-business-associate" not in reasons(deal("fa-sox-fixed.yaml"))
    for level, present in ((2, False), (3, True)):
        got = reasons(deal("claims-hipaa-transaction.yaml", maturity=level))
        assert ("gain-sharing" in got and "innovation-fund" in got) is present
    auto = reasons(
        deal(
            "claims-hipaa-transaction.yaml",
            automation={"in_scope": True, "volume_mix_shift": False},
        )
    )
    assert "rule 'automation'" in auto["ai-use"]
    # the automation dividend starts at maturity 2 (claims is a level-2 deal); level 1 has none
    assert "rule 'automation-dividend'" in auto["productivity-share"]
    assert "rule 'automation-dividend'" in auto["automation-price-review"]
    foundational = reasons(
        deal("fa-sox-fixed.yaml", automation={"in_scope": True, "volume_mix_shift": False})
    )
    assert "ai-use" in foundational and "productivity-share" not in foundational


def test_playbook_health_has_no_warnings() -> None:
    h = health(library(), REPO)
    assert [f"{i.where}: {i.message}" for i in h.items if i.severity == "warning"] == []
    assert len(h.deals) == len(DEALS)


def test_outcome_records_are_valid_and_all_marked_sample() -> None:
    records, errors = load_outcomes(library(), REPO)
    assert [d.text() for d in errors] == []
    assert records and all(r.sample for r in records)
    for path in (REPO / "playbooks/outcomes").glob("*.yaml"):
        assert path.read_text("utf-8").startswith("# SAMPLE DATA"), path.name


def test_committed_coe_outputs_are_up_to_date() -> None:
    lib = library()
    records, _ = load_outcomes(lib, REPO)
    stats = compute(lib, lib.playbooks["standard"].positions, records)
    committed = REPO / "outputs/coe/stats.md"
    assert committed.read_text("utf-8") == markdown(stats), (
        "run: clausebook playbook stats --format md -o outputs/coe/stats.md --chart outputs/coe/stats.png"
    )
    for path in DEALS:
        memo = memo_markdown(build_memo(check_deal(select(lib, deal(path.name))), stats))
        target = REPO / "outputs/coe" / f"{path.stem}-memo.md"
        assert target.read_text("utf-8") == memo, f"run: clausebook memo deals/{path.name}"
