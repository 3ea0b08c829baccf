from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from tests.helpers import selection_for, write_deal


def ids(sel) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.clause.id for s in sel.all()]


def test_maturity_one_leaves_out_gain_sharing_with_the_reason(minilib: Path) -> None:
    sel = selection_for(minilib, "small.yaml")
    assert "gain-sharing" not in ids(sel)
    assert (
        "gain-sharing",
        "only included by rule 'optimised' (deal.maturity >= 3), which does not apply",
    ) in sel.excluded


def test_maturity_four_includes_gain_sharing_because_of_the_rule(minilib: Path) -> None:
    sel = selection_for(minilib, "small-m4.yaml")
    gs = next(s for s in sel.all() if s.clause.id == "gain-sharing")
    assert gs.included_because == "rule 'optimised': Maturity 3 adds gain-sharing."
    assert gs.number == "3.1"


def test_numbering_follows_the_playbook_and_skips_empty_articles(minilib: Path) -> None:
    sel = selection_for(minilib, "small.yaml")
    assert [(a.number, a.title) for a in sel.articles] == [
        ("1", "Definitions"),
        ("2", "Services and Service Levels"),
    ]
    assert [s.number for s in sel.all()] == ["1.1", "2.1", "2.2", "1"]


def test_parameters_merge_default_variant_playbook_deal(minilib: Path) -> None:
    write_deal(minilib, "b.yaml", maturity=2, stance="balanced")
    sel = selection_for(minilib, "b.yaml")
    by_id = {s.clause.id: s for s in sel.all()}
    services = {v.name: v for v in by_id["services"].values}
    assert (services["start_days"].value, services["start_days"].source) == (45, "variant default")
    credits = {v.name: v for v in by_id["service-credits"].values}
    assert (credits["cap_percent"].value, credits["cap_percent"].source) == (18, "deal override")
    assert credits["cap_percent"].where == "deals/b.yaml:14"
    assert credits["sole_remedy"].source == "clause default"


def test_playbook_value_wins_over_variant_default(minilib: Path) -> None:
    deal = minilib / "deals" / "small.yaml"
    deal.write_text(
        deal.read_text().replace("overrides:\n  service-credits: {cap_percent: 18}\n", "")
    )
    sel = selection_for(minilib, "small.yaml")
    credits = {
        v.name: v for v in next(s for s in sel.all() if s.clause.id == "service-credits").values
    }
    assert (credits["cap_percent"].value, credits["cap_percent"].source) == (15, "playbook")


def test_stance_falls_back_to_nearest_with_reason(minilib: Path) -> None:
    write_deal(minilib, "p.yaml", stance="provider")
    sel = selection_for(minilib, "p.yaml")
    sc = next(s for s in sel.all() if s.clause.id == "service-credits")
    assert sc.variant.id == "balanced-basic"
    assert sc.reason == "no provider variant for maturity 1; nearest stance: balanced"


def test_deal_can_choose_a_variant_but_not_one_for_another_maturity(minilib: Path) -> None:
    write_deal(minilib, "v.yaml", "variants:\n  service-credits: balanced\n")
    with pytest.raises(ContentError) as info:
        selection_for(minilib, "v.yaml")
    assert [d.text() for d in info.value.diagnostics] == [
        "deals/v.yaml:16:20: error[variant-maturity]: variant 'balanced' of 'service-credits' "
        "suits maturity [2, 3, 4], not 1"
    ]


def test_excluding_a_required_clause_is_an_error_naming_both(minilib: Path) -> None:
    write_deal(minilib, "x.yaml", "exclude: [sla-schedule]\n")
    with pytest.raises(ContentError) as info:
        selection_for(minilib, "x.yaml")
    (d,) = info.value.diagnostics
    assert d.path == "clauses/sla/service-credits.yaml"
    assert d.message == "'service-credits' requires 'sla-schedule', which deal 'x' leaves out"


def test_excluding_an_optional_clause_removes_it_and_says_why(minilib: Path) -> None:
    write_deal(minilib, "x.yaml", "exclude: [gain-sharing]\n", maturity=4)
    sel = selection_for(minilib, "x.yaml")
    assert "gain-sharing" not in ids(sel)
    assert sel.excluded[0][1].startswith("excluded by the deal (deals/x.yaml:")
