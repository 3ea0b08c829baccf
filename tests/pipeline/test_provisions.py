"""Provision-level edits: an id on a numbered provision, a deal that removes or replaces it, and
references to it resolved to its number and checked like references to clauses."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.model import Document, Para
from tests.helpers import document_for

SERVICES = """      {{ provision('start') }}The Supplier shall provide the Services from the date falling {{ start_days | days }} after the Effective Date.

      {{ provision('duties') }}The Supplier shall:

      1. {{ provision('levels') }}meet the Service Levels in {{ ref('sla-schedule') }};
      2. {{ provision('reports') }}report on the Service Levels every Month; and
      3. {{ provision('credits') }}pay each Service Credit on time.
"""

CREDITS_REF = (
    "      Service Credits are capped at {{ cap_percent | percent }} of the monthly Charges.\n\n"
    "      Credits are paid as {{ ref('services', 'credits') }} requires.\n"
)


def _library(root: Path, referrer: str = "credits") -> None:
    services = root / "clauses" / "core" / "services.yaml"
    text = services.read_text()
    start = text.index("      The Supplier shall provide")
    end = text.index("    notes: n")
    services.write_text(text[:start] + SERVICES + text[end:])
    credits = root / "clauses" / "sla" / "service-credits.yaml"
    text = credits.read_text()
    old = (
        "      Service Credits are capped at {{ cap_percent | percent }} of the monthly Charges.\n"
    )
    credits.write_text(text.replace(old, CREDITS_REF.replace("credits')", f"{referrer}')"), 1))


def _deal(root: Path, provisions: str) -> str:
    deal = root / "deals" / "small.yaml"
    deal.write_text(deal.read_text() + provisions)
    return "small.yaml"


def _lines(doc: Document, clause: str) -> list[str]:
    c = next(c for a in doc.articles for c in a.clauses if c.id == clause)
    out = []
    for b in c.blocks:
        if isinstance(b, Para):
            label = b.number or b.label or ""
            out.append(f"{label} {''.join(r.text for r in b.runs)}".strip())
    return out


def test_a_reference_to_a_provision_prints_its_number(minilib: Path) -> None:
    _library(minilib)
    doc = document_for(minilib, "small.yaml")
    assert _lines(doc, "services") == [
        "2.1.1 The Supplier shall provide the Services from the date falling thirty (30) days "
        "after the Effective Date.",
        "2.1.2 The Supplier shall:",
        "(a) meet the Service Levels in Schedule 1;",
        "(b) report on the Service Levels every Month; and",
        "(c) pay each Service Credit on time.",
    ]
    assert (
        _lines(doc, "service-credits")[1] == "2.2.2 Credits are paid as Clause 2.1.2(c) requires."
    )


def test_a_removed_provision_is_gone_and_the_rest_numbered_again(minilib: Path) -> None:
    _library(minilib)
    deal = _deal(minilib, "provisions:\n  services:\n    remove: [levels]\n")
    doc = document_for(minilib, deal)
    assert _lines(doc, "services")[2:] == [
        "(a) report on the Service Levels every Month; and",
        "(b) pay each Service Credit on time.",
    ]
    assert (
        _lines(doc, "service-credits")[1] == "2.2.2 Credits are paid as Clause 2.1.2(b) requires."
    )


def test_a_replaced_provision_keeps_its_place_and_its_id(minilib: Path) -> None:
    _library(minilib)
    deal = _deal(
        minilib,
        "provisions:\n  services:\n    replace:\n"
        "      credits: credit each Service Level Failure in the next invoice.\n"
        "      start: The Supplier shall provide the Services from the Effective Date.\n",
    )
    lines = _lines(document_for(minilib, deal), "services")
    assert lines[0] == "2.1.1 The Supplier shall provide the Services from the Effective Date."
    assert lines[-1] == "(c) credit each Service Level Failure in the next invoice."


def test_removing_a_paragraph_takes_its_list(minilib: Path) -> None:
    _library(minilib, referrer="start")
    deal = _deal(minilib, "provisions:\n  services:\n    remove: [duties]\n")
    assert _lines(document_for(minilib, deal), "services") == [
        "The Supplier shall provide the Services from the date falling thirty (30) days after "
        "the Effective Date."
    ]


def _errors(root: Path, deal: str) -> list[str]:
    with pytest.raises(ContentError) as exc:
        document_for(root, deal)
    return [d.text() for d in exc.value.diagnostics]


def test_a_reference_to_a_removed_provision_is_an_error_at_the_referrer(minilib: Path) -> None:
    _library(minilib)
    deal = _deal(minilib, "provisions:\n  services:\n    remove: [credits]\n")
    line = (minilib / "deals" / deal).read_text().splitlines().index("    remove: [credits]") + 1
    src = (minilib / "clauses" / "sla" / "service-credits.yaml").read_text().splitlines()
    ref_line = next(i for i, ln in enumerate(src, 1) if "ref('services', 'credits')" in ln)
    assert _errors(minilib, deal) == [
        f"clauses/sla/service-credits.yaml:{ref_line}:11: error[provision-ref]: ref('services', "
        f"'credits') names a provision the deal removes (deals/small.yaml:{line}): drop the "
        "reference or keep the provision"
    ]


def test_a_reference_to_an_unknown_provision_is_an_error_at_the_referrer(minilib: Path) -> None:
    _library(minilib, referrer="credit")
    (err,) = _errors(minilib, "small.yaml")
    assert err.startswith("clauses/sla/service-credits.yaml:")
    assert "error[provision-ref]: ref('services', 'credit') names no provision of 'services'" in err
    assert "(did you mean 'credits'?)" in err


def test_an_edit_naming_an_unknown_provision_is_an_error_at_the_deal(minilib: Path) -> None:
    _library(minilib)
    deal = _deal(
        minilib,
        "provisions:\n  services:\n    remove: [level]\n  gain-sharing:\n    remove: [x]\n",
    )
    lines = (minilib / "deals" / deal).read_text().splitlines()
    assert _errors(minilib, deal) == [
        f"deals/small.yaml:{lines.index('    remove: [level]') + 1}:14: error[provision]: "
        "'services' (variant 'client') has no provision 'level' (did you mean 'levels'?); its "
        "provision ids: credits, duties, levels, reports, start",
        f"deals/small.yaml:{lines.index('  gain-sharing:') + 1}:3: error[provision]: "
        "'gain-sharing' is not in this draft",
    ]


def test_a_provision_id_used_twice_in_one_text_is_an_error(minilib: Path) -> None:
    _library(minilib)
    services = minilib / "clauses" / "core" / "services.yaml"
    services.write_text(services.read_text().replace("provision('reports')", "provision('levels')"))
    (err,) = _errors(minilib, "small.yaml")
    assert err.startswith("clauses/core/services.yaml:")
    assert err.endswith("error[provision]: provision id 'levels' is used twice in this text")


def test_the_deal_schema_refuses_an_edit_it_does_not_know(minilib: Path) -> None:
    _library(minilib)
    deal = _deal(minilib, "provisions:\n  services:\n    drop: [levels]\n")
    (err,) = _errors(minilib, deal)
    assert err.startswith("deals/small.yaml:") and "drop" in err


def test_a_nested_item_of_a_schedule_is_numbered_as_a_paragraph_of_the_schedule(
    minilib: Path,
) -> None:
    _library(minilib)
    schedule = minilib / "clauses" / "sla" / "sla-schedule.yaml"
    old = "      The Supplier shall meet these Service Levels every Month:\n"
    new = (
        old + "\n      {{ provision('measured') }}Each Service Level is measured:\n\n"
        "      1. monthly; and\n"
        "      2. {{ provision('sources') }}from:\n"
        "         1. the telephony platform; or\n"
        "         2. {{ provision('crm') }}the CRM system.\n"
    )
    text = schedule.read_text()
    schedule.write_text(text.replace(old, new, 1))
    services = minilib / "clauses" / "core" / "services.yaml"
    services.write_text(
        services.read_text().replace(
            "{{ ref('sla-schedule') }};", "{{ ref('sla-schedule', 'crm') }};", 1
        )
    )
    doc = document_for(minilib, "small.yaml")
    assert (
        _lines(doc, "services")[2]
        == "(a) meet the Service Levels in paragraph 2(b)(ii) of Schedule 1;"
    )


def test_word_prints_a_provision_number_as_text_not_a_field_to_a_missing_bookmark(
    minilib: Path,
) -> None:
    import io
    import re
    import zipfile

    from generator.pipeline.build import make_draft
    from generator.pipeline.library import load_library

    _library(minilib)
    draft = make_draft(load_library(minilib), minilib / "deals" / "small.yaml", ["docx"])
    xml = zipfile.ZipFile(io.BytesIO(draft.files["small.docx"])).read("word/document.xml")
    text = xml.decode()
    assert "Credits are paid as Clause 2.1.2(c) requires." in re.sub(r"<[^>]+>", "", text)
    assert "REF _Ref_services_credits" not in text and "REF _Ref_services/" not in text
