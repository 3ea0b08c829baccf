"""What a first reading would strike out: placeholders, conditions the deal answers, and
references to schedule content that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline.deal import load_deal
from generator.pipeline.render import REF_CLOSE, REF_OPEN, render_document
from generator.pipeline.select import select
from generator.pipeline.soundness import Rendered, problems
from generator.writers.markdown import render_markdown
from tests.helpers import REPO, repo_library

SAMPLES = sorted(p.name for p in (REPO / "deals").glob("*.yaml"))


def _selected(deal: str, clause: str):  # type: ignore[no-untyped-def]
    lib = repo_library()
    d = load_deal(lib, REPO / "deals" / deal, f"deals/{deal}")
    sel = select(lib, d)
    return d, next(s for s in sel.all() if s.clause.id == clause)


def _ref(cid: str) -> str:
    return f"{REF_OPEN}{cid}{REF_CLOSE}"


def test_a_bracketed_placeholder_is_an_error_at_the_clause_line() -> None:
    deal, s = _selected("care-outcome-gdpr.yaml", "notices")
    text = "The Supplier shall notify [name of the recipient] in writing."
    (d,) = problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], {}, deal)
    assert (d.path, d.rule) == ("clauses/general/notices.yaml", "placeholder")
    assert d.message.startswith("placeholder [name of the recipient] left in the draft")
    assert d.message.endswith("(drafting deals/care-outcome-gdpr.yaml)")


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Notices go to [●Name of the recipient] by email.", "[●Name of the recipient]"),
        ("The fee is [●] a Month.", "[●]"),
        ("The fee is [●Fixed Monthly Fee — to be agreed] a Month.", None),  # --placeholders
    ],
)
def test_a_bulleted_placeholder_is_an_error_but_not_the_placeholders_option_mark(
    text: str, flagged: str | None
) -> None:
    deal, s = _selected("care-outcome-gdpr.yaml", "notices")
    found = problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], {}, deal)
    assert [d.message.split(" left in")[0] for d in found] == (
        [f"placeholder {flagged}"] if flagged else []
    )


def test_a_condition_on_a_deal_value_printed_as_words_is_an_error() -> None:
    deal, s = _selected("care-outcome-gdpr.yaml", "notices")
    text = "The UK Transfer Addendum applies, if Leeds is outside the United Kingdom."
    (d,) = problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], {}, deal)
    assert d.rule == "literal-condition"
    assert "'Leeds' is a deal value" in d.message


def test_a_condition_on_something_the_deal_does_not_know_is_not_flagged() -> None:
    deal, s = _selected("care-outcome-gdpr.yaml", "notices")
    text = "The credit applies if the Supplier is in breach of Clause 5."
    assert problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], {}, deal) == []


def test_a_reference_to_schedule_content_that_does_not_exist_is_an_error() -> None:
    deal, s = _selected("care-outcome-gdpr.yaml", "notices")
    text = f"Notices go to the address of the recipient stated in {_ref('governance-schedule')}."
    schedules = {"governance-schedule": "| Forum | Chair | Members |"}
    (d,) = problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], schedules, deal)
    assert d.rule == "schedule-content"
    assert "ref('governance-schedule') has no address, recipient" in d.message


def test_a_part_that_the_schedule_does_not_have_is_an_error() -> None:
    deal, s = _selected("care-outcome-gdpr.yaml", "notices")
    text = f"the hourly rates set out in Part C of {_ref('pricing-schedule')}"
    schedules = {"pricing-schedule": "**Part A: Charge elements.** hourly rates"}
    (d,) = problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], schedules, deal)
    assert "has no Part C" in d.message
    schedules = {"pricing-schedule": "**Part C: Rate Card.** hourly rates"}
    assert (
        problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], schedules, deal)
        == []
    )


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_drafts_have_no_placeholder_no_literal_condition(name: str) -> None:
    lib = repo_library()
    doc = render_document(select(lib, load_deal(lib, REPO / "deals" / name, f"deals/{name}")))
    md = render_markdown(doc)
    assert not re.search(r"\\\[[^\]]*\\\]", md), "a bracketed placeholder is in the draft"
    assert " is outside the United Kingdom" not in md
    assert "stated in Schedule 5" not in md  # the notice addresses are in the notices clause


def test_sample_set_out_in_schedule_phrases_resolve_against_the_schedules() -> None:
    # Every "X set out in Schedule N" of the six drafts names something Schedule N contains:
    # rendering raises schedule-content otherwise, so drafting them all is the proof.
    lib = repo_library()
    for name in SAMPLES:
        render_document(select(lib, load_deal(lib, REPO / "deals" / name, f"deals/{name}")))


def test_a_location_without_a_site_fails_with_the_deal_line(tmp_path: Path) -> None:
    text = (REPO / "deals" / "fa-sox-fixed.yaml").read_text()
    old = "    - {location: Gurugram, country: India}\n"
    assert old in text
    p = tmp_path / "fa.yaml"
    p.write_text(text.replace(old, "    - {location: Noida, country: India}\n"))
    with pytest.raises(ContentError) as exc:
        load_deal(repo_library(), p, "deals/fa.yaml")
    msgs = sorted(d.message for d in exc.value.diagnostics)
    assert msgs == [
        "location 'Gurugram' has no entry in delivery.sites: add one {location: Gurugram, country: ...}",
        "site 'Noida' is not one of delivery.locations (Gurugram)",
    ]


def test_the_sub_processor_table_comes_from_the_sites_and_their_countries() -> None:
    lib = repo_library()
    name = "care-outcome-gdpr.yaml"
    md = render_markdown(
        render_document(select(lib, load_deal(lib, REPO / "deals" / name, f"deals/{name}")))
    )
    assert (
        "| Northwind Services India Private Limited | Performance of the Services at Pune | "
        "Pune, India | The UK Transfer Addendum |" in md
    )
    assert "Leeds (United Kingdom)" in md
    assert (
        "outside the United Kingdom are approved under the UK Transfer Addendum: Pune (India) and Manila (the Philippines)."
        in md
    )


def test_a_zero_amount_printed_as_a_figure_is_an_error() -> None:
    deal, s = _selected("care-outcome-gdpr.yaml", "notices")
    text = "the greater of 150% of the Charges and GBP 0, and GBP 0.42 per unit"
    (d,) = problems([Rendered(s, text, s.variant.text, ("variants", 0, "text"))], {}, deal)
    assert d.rule == "zero-amount"
    assert d.message.startswith("'GBP 0' prints a zero amount")


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("one (1) month' notice", "one (1) month's notice"),
        ("two (2) months' notice", "two (2) months' notice"),
        ("one (1) Business Day' notice", "one (1) Business Day's notice"),
    ],
)
def test_the_possessive_of_one_unit_is_singular(text: str, fixed: str) -> None:
    from generator.pipeline.words import possessives

    assert possessives(text) == fixed


def test_a_one_month_notice_period_reads_month_s_notice_in_the_draft() -> None:
    from tests.helpers import repo_deal

    base = repo_deal("care-outcome-gdpr.yaml")
    overrides = {**base.data["overrides"], "termination-for-convenience": {"notice_months": 1}}
    deal = repo_deal("care-outcome-gdpr.yaml", overrides=overrides)
    md = render_markdown(render_document(select(repo_library(), deal)))
    assert "one (1) month\u2019s" in md  # the typographic apostrophe (writers/typography.py)
    assert "one (1) month\u2019 " not in md and "one (1) month' " not in md
