"""The negotiation memo (`clausebook memo`) and the playbook health report (`playbook coverage`)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.playbook.check import check_deal
from generator.playbook.memo import build_memo, memo_markdown
from tests.helpers import selection_for
from tests.playbook.test_positions import APPROVAL, deal_with


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_memo_puts_deviations_first_then_each_clause(minilib: Path) -> None:
    deal_with(minilib, "fba.yaml", 12, APPROVAL % ("deal-lead", ", note: traded for earn-back"))
    text = memo_markdown(build_memo(check_deal(selection_for(minilib, "fba.yaml"))))
    assert text.index("## Deviations from the playbook") < text.index("## Clause by clause")
    assert (
        "| 2.2 Service Credits | Fallback 1 — 12% cap | `cap_percent` 12 (deal override, line 14; "
        "preferred: at least 15) | Deal lead or Chief Financial Officer | Dana Lee (Deal lead, "
        "2027-01-05): traded for earn-back |"
    ) in text
    assert "### 2.2 Service Credits — Fallback 1 (approved)" in text
    assert "**Guidance at this step:** Concede to twelve per cent" in text
    assert "1. **Fallback 2 — balanced wording.** Accepts variant client or balanced or " in text
    assert "**Walk-away:** 8% cap. Accepts variant client or balanced or balanced-basic; " in text
    assert "Approver: CoE lead. Below eight per cent the credits stop changing behaviour" in text
    assert "**Why the CoE holds this position:** Credits are the Customer's main lever" in text
    assert "- **Approvals still needed:** none." in text


def test_memo_for_a_deal_at_the_preferred_position_lists_every_fallback(minilib: Path) -> None:
    text = memo_markdown(build_memo(check_deal(selection_for(minilib, "small.yaml"))))
    assert "None: every clause with a CoE position is at the preferred position." in text
    assert "### 2.2 Service Credits — preferred" in text
    assert (
        "1. **Fallback 1 — 12% cap.**" in text and "2. **Fallback 2 — balanced wording.**" in text
    )


def test_memo_flags_missing_approvals_and_walk_away_breaches(minilib: Path) -> None:
    deal_with(minilib, "wa.yaml", 6)
    text = memo_markdown(build_memo(check_deal(selection_for(minilib, "wa.yaml"))))
    assert "### 2.2 Service Credits — PAST THE WALK-AWAY POINT" in text
    assert "- **Past the walk-away point:** service-credits." in text
    deal_with(minilib, "fb.yaml", 12)
    text = memo_markdown(build_memo(check_deal(selection_for(minilib, "fb.yaml"))))
    assert (
        "- **Approvals still needed:** service-credits (Fallback 1: Deal lead or Chief Financial Officer)."
        in text
    )
    assert "NONE — needed before the draft goes out" in text


def test_memo_command_writes_identical_markdown_and_word_each_time(
    minilib: Path, tmp_path: Path
) -> None:
    import docx

    deal = str(minilib / "deals/small.yaml")
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        code, text = run("memo", "--library", str(minilib), deal, "-o", str(out))
        assert code == 0, text
    for name in ("small-memo.md", "small-memo.docx"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    document = docx.Document(io.BytesIO((outs[0] / "small-memo.docx").read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Negotiation memo: Small Services Agreement"
    assert "Deviations from the playbook" in paragraphs
    assert document.core_properties.category == "Negotiation memo"


def test_memo_defaults_to_outputs_coe(minilib: Path) -> None:
    code, text = run(
        "memo", "--library", str(minilib), str(minilib / "deals/small.yaml"), "--format", "md"
    )
    assert code == 0, text
    assert (minilib / "outputs" / "coe" / "small-memo.md").is_file()


# ---- playbook coverage ------------------------------------------------------------------------


def test_coverage_names_unpositioned_clauses_unused_roles_and_silent_rules(minilib: Path) -> None:
    pb = minilib / "playbooks/standard.yaml"
    pb.write_text(
        pb.read_text().replace("deal.maturity >= 3", "deal.maturity >= 5")
        + "  gain-sharing:\n    preferred:\n      variants: [client]\n"
        "      parameters: {share_percent: {min: 60}}\n"
    )
    code, text = run("playbook", "coverage", "--library", str(minilib))
    assert code == 0, text
    assert "Clauses without a position: 3\n  definitions, services, sla-schedule" in text
    assert (
        "playbooks/standard.yaml:22: role 'legal-counsel' (Legal counsel) approves no step of any position"
    ) in text
    assert (
        "playbooks/standard.yaml:13: rule 'optimised' (deal.maturity >= 5) fires for none of the "
        "2 sample deals, so no sample draft shows gain-sharing"
    ) in text
    assert (
        "variant 'client' of 'gain-sharing' drafts share_percent 50, but the preferred position "
        "is at least 60: a client deal opens on a fallback"
    ) in text
    code, _ = run("playbook", "coverage", "--library", str(minilib), "--strict")
    assert code == 1
    code, out = run("playbook", "coverage", "--library", str(minilib), "--format", "json")
    kinds = {i["kind"] for i in json.loads(out)["items"]}
    assert kinds == {"no-position", "unused-role", "silent-rule", "preferred-default"}


def test_coverage_flags_deprecated_variants_and_maturity_gaps(minilib: Path) -> None:
    sc = minilib / "clauses/sla/service-credits.yaml"
    sc.write_text(
        sc.read_text().replace("  - id: balanced\n", "  - id: balanced\n    deprecated: true\n")
    )
    code, text = run("playbook", "coverage", "--library", str(minilib), "--format", "md")
    assert code == 0, text
    assert "fallback-2 of 'service-credits' names deprecated variant 'balanced'" in text
    sc.write_text(sc.read_text().replace("maturity: [1, 2, 3, 4]", "maturity: [2, 3, 4]", 1))
    code, text = run("playbook", "coverage", "--library", str(minilib))
    assert "no preferred variant of 'service-credits' (client) suits maturity 1" in text


def test_memo_prints_commands_and_parameter_names_as_code_not_backticks(
    minilib: Path, tmp_path: Path
) -> None:
    import docx

    code, text = run("memo", "--library", str(minilib), str(minilib / "deals/small.yaml"))
    assert code == 0, text
    md = (minilib / "outputs/coe/small-memo.md").read_text("utf-8")
    assert "Run `clausebook check deals/small.yaml` again" in md
    assert "\\_" not in md  # identifiers are code spans, not escaped prose
    document = docx.Document(io.BytesIO((minilib / "outputs/coe/small-memo.docx").read_bytes()))
    runs = [r for p in document.paragraphs for r in p.runs]
    assert not any("`" in r.text for r in runs)
    code_runs = {r.text for r in runs if r.font.name == "Courier New"}
    assert "clausebook check deals/small.yaml" in code_runs
