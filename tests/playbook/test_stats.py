"""`clausebook playbook stats`: figures per clause and variant, recommendations, formats, chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline.library import load_library
from generator.playbook.outcomes import load_outcomes
from generator.playbook.stats import compute


def record(root: Path, name: str, clause: str) -> None:
    folder = root / "playbooks" / "outcomes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(
        f"# SAMPLE DATA\ndeal: {name}\narchived: true\nsample: true\nsigned: 2025-01-10\n"
        f"go_live: 2025-04-01\nclauses:\n  service-credits: {clause}\n"
    )


def history(root: Path, client_wins: int = 1, client_disputes: int = 1) -> None:
    """Six deals opened with the preferred client variant, six with the balanced fallback."""
    for i in range(6):
        won = i < client_wins
        record(
            root,
            f"c{i}",
            "{opened: client, variant: client, parameters: {cap_percent: 15}, "
            f"accepted_first_time: {str(won).lower()}, rounds: {0 if won else 3}, "
            f"days_to_agree: {30 + i}, disputes: {client_disputes}, credits_paid_percent: 0.5}}",
        )
    for i in range(6):
        won = i < 5
        record(
            root,
            f"b{i}",
            "{opened: balanced, variant: balanced, parameters: {cap_percent: 10}, "
            f"accepted_first_time: {str(won).lower()}, rounds: {0 if won else 2}, "
            f"days_to_agree: {10 + i}, disputes: 0}}",
        )


def stats_for(root: Path, min_deals: int = 5):  # type: ignore[no-untyped-def]
    lib = load_library(root)
    records, errors = load_outcomes(lib, root)
    assert errors == []
    return compute(lib, lib.playbooks["standard"].positions, records, min_deals)


def test_figures_per_clause_and_variant(minilib: Path) -> None:
    history(minilib)
    s = stats_for(minilib)
    client, balanced = s.variants
    assert (client.variant, client.step, client.offered, client.accepted) == (
        "client",
        "preferred",
        6,
        1,
    )
    assert (client.median_days, client.median_rounds) == (32.5, 3.0)
    assert (client.live, client.disputes, client.credits_mean) == (6, 6, 0.5)
    assert (balanced.step, balanced.offered, balanced.accepted, balanced.disputes) == (
        "fallback-2",
        6,
        5,
        0,
    )
    [landing] = s.landings
    assert landing.counts == (
        ("preferred", 6),
        ("fallback-1", 0),
        ("fallback-2", 6),
        ("walk-away", 0),
    )
    assert s.sample_records == 12


def test_a_fallback_that_wins_more_often_is_recommended_for_promotion(minilib: Path) -> None:
    history(minilib, client_disputes=0)
    [rec] = stats_for(minilib).recommendations
    assert rec.kind == "promote" and rec.variant == "balanced"
    assert rec.text == (
        "Promote balanced (fallback-2) to preferred: accepted first time in 5 of 6 (83%) of the "
        "drafts that opened with it, against 1 of 6 (17%) for client; median 12.5 days to agree "
        "against 32.5; disputes per live deal 0 against 0."
    )


def test_a_preferred_variant_that_causes_disputes_is_recommended_for_demotion(
    minilib: Path,
) -> None:
    history(minilib, client_wins=5, client_disputes=1)
    [rec] = stats_for(minilib).recommendations
    assert rec.kind == "demote"
    assert rec.text == (
        "Demote client: disputes per live deal 1 (6 in 6 deals), against 0 for balanced "
        "(0 in 6 deals). Review the disputed wording before opening with it again."
    )


def test_below_the_minimum_sample_it_says_not_enough_data(minilib: Path) -> None:
    history(minilib)
    [rec] = stats_for(minilib, min_deals=7).recommendations
    assert rec.kind == "not enough data"
    assert rec.text == "Not enough data: 6 draft(s) opened with the preferred position (minimum 7)."


def test_no_records_means_no_recommendation_but_a_clear_sentence(minilib: Path) -> None:
    [rec] = stats_for(minilib).recommendations
    assert (rec.kind, rec.text) == ("not enough data", "No outcome records yet.")


def test_cli_formats_and_sample_banner(minilib: Path, tmp_path: Path) -> None:
    history(minilib)
    runner = CliRunner()
    lib = ["--library", str(minilib)]
    result = runner.invoke(main, ["playbook", "stats", *lib, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["variants"][0]["acceptance"] == pytest.approx(1 / 6)
    result = runner.invoke(main, ["playbook", "stats", *lib, "--format", "md", "--min-deals", "3"])
    assert result.output.startswith("# Playbook statistics\n\nSAMPLE DATA: 12 of 12 records")
    assert "| service-credits | balanced | fallback-2 | 6 | 5 of 6 (83%) |" in result.output
    result = runner.invoke(main, ["playbook", "stats", *lib])
    assert result.exit_code == 0 and "Recommendations" in result.output


def test_chart_is_written_and_deterministic(minilib: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    history(minilib)
    runner = CliRunner()
    paths = [tmp_path / "a.svg", tmp_path / "b.svg", tmp_path / "c.png", tmp_path / "d.png"]
    for p in paths:
        result = runner.invoke(
            main,
            ["playbook", "stats", "--library", str(minilib), "--format", "json", "--chart", str(p)],
        )
        assert result.exit_code == 0, result.output
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert b"SAMPLE DATA" in paths[0].read_bytes()
    assert paths[2].read_bytes() == paths[3].read_bytes()
    assert paths[2].read_bytes().startswith(b"\x89PNG")


def test_stats_refuse_broken_records_with_their_lines(minilib: Path) -> None:
    record(minilib, "x", "{variant: nope, accepted_first_time: true}")
    result = CliRunner().invoke(main, ["playbook", "stats", "--library", str(minilib)])
    assert result.exit_code == 1
    assert "playbooks/outcomes/x.yaml:8:30: error[unknown-variant]" in result.output
