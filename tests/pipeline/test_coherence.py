"""The library read end to end: titles follow what is included, and the contradictions a
reviewing lawyer found stay fixed."""

from __future__ import annotations

from functools import lru_cache

from generator.pipeline.deal import load_deal
from generator.pipeline.render import render_document
from generator.pipeline.select import article_title, select
from generator.writers.markdown import render_markdown
from tests.helpers import REPO, repo_library


@lru_cache(maxsize=8)
def draft(name: str) -> str:
    lib = repo_library()
    deal = load_deal(lib, REPO / "deals" / name, f"deals/{name}")
    return render_markdown(render_document(select(lib, deal)))


def test_an_article_title_drops_the_name_of_a_clause_the_draft_leaves_out() -> None:
    title = "Subcontracting and Multi-Provider Cooperation"
    assert article_title(title, ["Multi-Provider Cooperation"]) == "Subcontracting"
    assert article_title(title, []) == title
    three = "Liability, Indemnities and Insurance"
    assert article_title(three, ["Indemnities"]) == "Liability and Insurance"


def test_the_first_name_of_an_article_is_its_subject_and_stays() -> None:
    assert article_title("Data Protection and Security", ["Data Protection"]) == (
        "Data Protection and Security"
    )


def test_the_single_provider_draft_has_no_multi_provider_heading() -> None:
    md = draft("fa-sox-fixed.yaml")
    assert "## 10. Subcontracting\n" in md
    assert "Multi-Provider Cooperation" not in md
    assert "Multi-Provider Cooperation" in draft("care-outcome-gdpr.yaml")


def test_an_english_plc_is_not_said_to_be_subject_to_sarbanes_oxley() -> None:
    md = draft("fa-sox-fixed.yaml")
    assert "is subject to the Sarbanes-Oxley Act" not in md
    assert "to the standard of section 404 of the Sarbanes-Oxley Act of 2002" in md


def test_full_title_guarantee_only_under_english_law() -> None:
    assert "full title guarantee" in draft("fa-sox-fixed.yaml")
    assert "full title guarantee" not in draft("claims-hipaa-transaction.yaml")  # New York law


def test_no_nationality_bar_between_two_english_companies() -> None:
    assert "shall not be a national" not in draft("care-outcome-gdpr.yaml")  # both English
    assert "shall not be a national" in draft("fa-sox-fixed.yaml")  # Indian supplier


def test_survival_keeps_set_off_staff_transfer_indemnities_and_exit_licences() -> None:
    md = draft("care-outcome-gdpr.yaml")
    line = next(ln for ln in md.splitlines() if "survive termination or expiry" in ln)
    for heading in ("Invoicing and Payment", "Transfer of Employees", "Supplier Tools"):
        number = next(
            ln.split()[1] for ln in md.splitlines() if ln.startswith("### ") and heading in ln
        )
        assert f"Clause {number}" in line, heading


def _ids(**changes: object) -> set[str]:
    from tests.helpers import repo_deal

    sel = select(repo_library(), repo_deal("claims-hipaa-transaction.yaml", **changes))
    return {s.clause.id for s in sel.all()}


def test_tupe_follows_the_staff_not_the_governing_law() -> None:
    assert "employee-transfer" not in _ids()  # New York law, staff in Dallas and Manila
    uk = _ids(delivery__countries=["United Kingdom", "the Philippines"])
    assert "employee-transfer" in uk  # still New York law


def test_the_deal_switch_forces_staff_transfer_terms_on_or_off() -> None:
    assert "employee-transfer" in _ids(staff_transfer="on")
    assert "employee-transfer" not in _ids(
        staff_transfer="off", delivery__countries=["United Kingdom"]
    )


def test_the_new_staples_appear_where_their_inclusion_rules_say() -> None:
    always = {"step-in", "non-solicitation", "publicity", "service-warranties"}
    for name in ("fa-sox-fixed.yaml", "care-outcome-gdpr.yaml", "offshore-remote.yaml"):
        sel = select(repo_library(), load_deal(repo_library(), REPO / "deals" / name, name))
        ids = {s.clause.id for s in sel.all()}
        assert always <= ids, name
        # Credit support only where the deal states it (F&A guarantee, offshore bond).
        assert ("credit-support" in ids) == (name != "care-outcome-gdpr.yaml"), name


def test_a_performance_bond_is_sized_from_the_first_year_forecast() -> None:
    md = draft("offshore-remote.yaml")
    line = next(ln for ln in md.splitlines() if "performance bond issued by DBS Bank Ltd." in ln)
    assert "of the Charges forecast for the first Contract Year in Schedule 4" in line


def test_the_maturity_one_governance_schedule_uses_only_level_one_instruments() -> None:
    md = draft("fa-sox-fixed.yaml")
    schedule = md[md.index("# Schedule 5") : md.index("# Schedule 6")]
    for absent in (
        "earn-back",
        "benchmarking",
        "scorecard",
        "business review pack",
        "decision-rights",
    ):
        assert absent not in schedule, absent
    assert "customer service agent" not in md.lower()  # F&A rate card, not contact centre
    assert "customer relationship management platform" not in md


def test_a_deal_with_personal_data_and_no_gdpr_gets_baseline_privacy_terms() -> None:
    md = draft("offshore-remote.yaml")  # Singapore collections, PCI DSS only
    assert "### 11.1 Personal Data Processing Terms" in md
    assert "Personal Data Processing Terms" not in draft("care-outcome-gdpr.yaml")


def test_ccpa_and_glba_add_operative_terms_not_just_a_statute_name() -> None:
    from generator.writers.markdown import render_markdown as md_of
    from tests.helpers import repo_deal

    deal = repo_deal("claims-hipaa-transaction.yaml", data_regimes=["hipaa", "ccpa", "glba"])
    md = md_of(render_document(select(repo_library(), deal)))
    assert "the Supplier is a service provider under the California Consumer Privacy Act" in md
    assert "shall not sell or share that personal information" in md
    assert "within the limits on reuse and redisclosure of Regulation P" in md
    assert "service provider under the California" not in draft("claims-hipaa-transaction.yaml")


def test_a_maturity_four_deal_without_outcome_pricing_needs_a_recorded_reason(
    tmp_path: object,
) -> None:
    from pathlib import Path

    import pytest

    from generator.errors import ContentError

    tmp = Path(str(tmp_path))
    text = (REPO / "deals" / "renewal-automation.yaml").read_text()
    assert "maturity: 3\n" in text
    p = tmp / "m4.yaml"
    p.write_text(text.replace("maturity: 3\n", "maturity: 4\n"))
    with pytest.raises(ContentError) as exc:
        load_deal(repo_library(), p, "deals/m4.yaml")
    (d,) = exc.value.diagnostics
    assert d.rule == "maturity-pricing"
    assert "record why under pricing.maturity_reason" in d.message
    reason = "pricing: {model: transaction, currency: GBP, maturity_reason: Regulator requires unit pricing}"
    p.write_text(
        text.replace("maturity: 3\n", "maturity: 4\n").replace(
            "pricing: {model: transaction, currency: GBP}", reason
        )
    )
    assert load_deal(repo_library(), p, "deals/m4.yaml").maturity == 4


def test_site_operators_are_both_approved_subcontractors_and_sub_processors() -> None:
    md = draft("care-outcome-gdpr.yaml")
    assert "There are no Approved Subcontractors" not in md
    row = "| Northwind Services India Private Limited | The Services performed at Pune |"
    assert row in md
    assert (
        "| Northwind Services India Private Limited | Performance of the Services at Pune |" in md
    )
    assert "There are no Approved Subcontractors" in draft("fa-sox-fixed.yaml")  # own site only
