from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.pipeline.library import load_library
from generator.views.coverage import Gap, coverage


def _clause_missing_balanced_at_level_4(minilib: Path, cid: str) -> None:
    text = (minilib / "clauses/core/services.yaml").read_text()
    text = text.replace("id: services", f"id: {cid}").replace("defines:\n", "defines_:\n", 1)
    text = text.replace(
        "  Service Credit: a credit calculated under {{ ref('service-credits') }}\n", ""
    )
    text = text.replace("defines_:\n", "")
    balanced = text.index("  - id: balanced")
    text = text[:balanced] + text[balanced:].replace(
        "maturity: [1, 2, 3, 4]", "maturity: [1, 2, 3]"
    )
    (minilib / "clauses/core" / f"{cid}.yaml").write_text(text)


def test_gaps_are_records_with_a_stance(minilib: Path) -> None:
    _clause_missing_balanced_at_level_4(minilib, "multi-provider-cooperation")
    gaps = coverage(load_library(minilib)).gaps
    assert Gap("multi-provider-cooperation", "balanced", 4) in gaps
    assert str(Gap("multi-provider-cooperation", "balanced", 4)) == (
        "multi-provider-cooperation: no balanced variant at maturity 4"
    )
    assert not Gap("services", "provider").hard and Gap("services", "client", 2).hard


def test_strict_fails_on_a_gap_in_a_clause_whose_id_says_provider(minilib: Path) -> None:
    # The exit code once came from looking for the word "provider" in the gap's sentence.
    args = ["coverage", "--library", str(minilib), "--strict"]
    before = CliRunner().invoke(main, args)
    assert before.exit_code == 0, before.output  # only "no provider variant" gaps
    _clause_missing_balanced_at_level_4(minilib, "multi-provider-cooperation")
    after = CliRunner().invoke(main, args)
    assert after.exit_code == 1
    assert "multi-provider-cooperation: no balanced variant at maturity 4" in after.output
