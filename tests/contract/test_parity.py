"""The calculator and the draft use the same values: what the draft prints is what is computed,
and changing a parameter changes both."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.contract.terms import CreditTerms, read_terms
from generator.model import Document, Selection
from generator.pipeline.render import render_document
from generator.writers.markdown import clause_md
from tests.contract.helpers import REPO, deal_file, kinds, month, run, selection

SAMPLES = sorted(p.stem for p in (REPO / "deals").glob("*.yaml"))


def printed(doc: Document, clause: str) -> tuple[str, str]:
    """(number, Markdown text) of a clause or schedule as the draft prints it."""
    for c in [c for a in doc.articles for c in a.clauses] + list(doc.schedules):
        if c.id == clause:
            return c.number, clause_md(c, schedule=c.kind == "schedule")
    raise AssertionError(f"{clause} is not in the draft")


def words(text: str) -> list[int]:
    """'three (3) or more ... six (6)' -> [3, 6]: the numbers the words filter prints."""
    return [int(n) for n in re.findall(r"\((\d+)\)", text)]


def draft_and_terms(deal: Path) -> tuple[Document, CreditTerms, Selection]:
    sel = selection(deal)
    return render_document(sel), read_terms(sel), sel


def check_credits_clause(doc: Document, terms: CreditTerms) -> None:
    number, text = printed(doc, "service-credits")
    assert terms.clause == f"Clause {number}"
    at_risk = re.search(r"At-Risk Amount for a Measurement Period is ([\d.]+)% of", text)
    assert at_risk and Decimal(at_risk.group(1)) == terms.at_risk_percent
    rows = re.findall(r"^\| ([^|]+) \| ([\d.]+)% \|$", text, re.M)
    assert [(words(r[0])[0], Decimal(r[1])) for r in rows] == [
        (t.failures, t.factor) for t in terms.tiers
    ]
    window = re.search(
        r"in the (\w+ \(\d+\)) Measurement Periods ending with the current one", text
    )
    assert window and words(window.group(1)) == [terms.tier_window]
    pool = re.search(r"their total does not exceed ([\d.]+)%", text)
    assert pool and Decimal(pool.group(1)) == terms.pool_percent
    annual = re.search(r"shall not exceed ([\d.]+)% of the Charges invoiced", text)
    assert (Decimal(annual.group(1)) if annual else None) == terms.annual_cap_percent
    assert ("count towards the Liability Cap" in text) == terms.inside_liability_cap


def check_schedule(doc: Document, terms: CreditTerms) -> None:
    number, text = printed(doc, "sla-schedule")
    assert terms.schedule == f"Schedule {number}"
    rows = re.findall(r"^\| ([^|]+) \|.*\| (Critical|Key) \| ([\d.]+%|None) \|$", text, re.M)
    assert {m: (cat, alloc) for m, cat, alloc in rows} == {
        lv.metric: (
            "Critical" if lv.critical else "Key",
            f"{lv.printed_allocation.normalize():f}%" if lv.critical else "None",
        )
        for lv in terms.levels
    }


def check_earn_back_and_csf(doc: Document, terms: CreditTerms) -> None:
    if terms.earn_back:
        number, text = printed(doc, "earn-back")
        assert terms.earn_back.clause == f"Clause {number}"
        periods = re.search(r"each of the (\w+ \(\d+\)) Measurement Periods", text)
        assert periods and words(periods.group(1)) == [terms.earn_back.periods]
        share = re.search(r"recover ([\d.]+)% of that Service Credit", text)
        assert share and Decimal(share.group(1)) == terms.earn_back.percent
    assert terms.csf is not None
    number, text = printed(doc, "critical-service-failure")
    assert terms.csf.clause == f"Clause {number}"
    if "repeat-in-window" in terms.csf.triggers:
        repeat = re.search(
            r"in (\w+ \(\d+\)) or more Measurement Periods within any (\w+ \(\d+\))", text
        )
        assert repeat
        assert words(repeat.group(0)) == [terms.csf.repeat_failures, terms.csf.repeat_window]
    if "repeat-consecutive" in terms.csf.triggers:
        run_of = re.search(r"in each of (\w+ \(\d+\)) (?:or more )?consecutive Measurement", text)
        assert run_of and words(run_of.group(0)) == [terms.csf.consecutive_failures]
    total = re.search(
        r"suffer (\w+ \(\d+\)) or more Service Level Failures in total within any (\w+ \(\d+\))",
        text,
    )
    assert total and words(total.group(0)) == [terms.csf.total_failures, terms.csf.total_window]
    cap = re.search(r"reach the At-Risk Amount in (\w+ \(\d+\)) or more", text)
    assert cap and words(cap.group(0)) == [terms.csf.cap_periods]


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_calculator_uses_the_numbers_each_sample_draft_prints(sample: str) -> None:
    doc, terms, _ = draft_and_terms(REPO / "deals" / f"{sample}.yaml")
    check_credits_clause(doc, terms)
    check_schedule(doc, terms)
    check_earn_back_and_csf(doc, terms)


def test_changing_a_parameter_changes_the_draft_and_the_calculator_alike(tmp_path: Path) -> None:
    changed = {
        "service-credits": {
            "at_risk_percent": 10,
            "tiers": [
                {"failure_count": 1, "credit_factor_percent": 40},
                {"failure_count": 2, "credit_factor_percent": 80},
            ],
        },
        "critical-service-failure": {"repeat_failures": 2},  # two within six, not in a row
    }
    base_doc, base, _ = draft_and_terms(deal_file(tmp_path / "a", "fa-sox-fixed"))
    doc, terms, _ = draft_and_terms(deal_file(tmp_path / "b", "fa-sox-fixed", changed))
    for d, t in ((base_doc, base), (doc, terms)):
        check_credits_clause(d, t)
        check_earn_back_and_csf(d, t)
    assert (base.at_risk_percent, terms.at_risk_percent) == (Decimal(15), Decimal(10))
    assert "10% of the Charges" in printed(doc, "service-credits")[1]
    measured = {(1, "processing-accuracy"): "98", (3, "processing-accuracy"): "98"}
    before = run(tmp_path / "c", "fa-sox-fixed", measured)
    after = run(tmp_path / "d", "fa-sox-fixed", measured, overrides=changed)
    # 15,000 x 20% x 100% then 150%, against 10,000 x 20% x 40% then 80%.
    assert [month(before, n).credits for n in (1, 3)] == [Decimal("3000.00"), Decimal("4500.00")]
    assert [month(after, n).credits for n in (1, 3)] == [Decimal("800.00"), Decimal("1600.00")]
    assert not before.triggers and [t.kind for t in after.triggers] == ["repeat-in-window"]
    assert kinds(after, 3, "trigger")


def test_a_variant_without_a_regime_is_reported_not_guessed(tmp_path: Path) -> None:
    import shutil

    from generator.contract import selection_for
    from generator.errors import ContentError

    for folder in ("clauses", "playbooks", "schemas", "deals"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    path = tmp_path / "clauses/credits/earn-back.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        "\n".join(ln for ln in text.split("\n") if not ln.startswith("    regime:")), "utf-8"
    )
    with pytest.raises(ContentError) as err:
        read_terms(selection_for(tmp_path, tmp_path / "deals/offshore-remote.yaml"))
    (d,) = err.value.diagnostics
    assert d.path == "clauses/credits/earn-back.yaml" and d.rule == "no-regime"
    assert "variant 'balanced'" in d.message and d.line > 1


def test_validate_reports_a_variant_without_a_regime(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from generator.cli import main

    for folder in ("clauses", "playbooks", "schemas", "deals"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    path = tmp_path / "clauses/sla/critical-service-failure.yaml"
    lines = path.read_text("utf-8").split("\n")
    start = lines.index("  - id: client")  # the client form, not the foundational one before it
    cut = next(i for i, ln in enumerate(lines) if i > start and ln.startswith("    regime:"))
    path.write_text("\n".join(lines[:cut] + lines[cut + 1 :]), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--library", str(tmp_path)])
    assert result.exit_code == 1
    line = 1 + next(i for i, ln in enumerate(lines) if ln == "  - id: client")
    assert (
        f"clauses/sla/critical-service-failure.yaml:{line}:9: error[no-regime]: variant 'client' "
        "of critical-service-failure declares no critical-service-failure regime" in result.output
    )
    assert "1 problem found" in result.output
