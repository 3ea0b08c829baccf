"""The repository's own clause library and sample deals: complete, current and well drafted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.model import Deal, Para, Table
from generator.pipeline.build import make_draft
from generator.pipeline.render import render_document
from generator.pipeline.select import select
from generator.pipeline.validate import validate_all
from generator.playbook.outcomes import outcome_errors
from tests.helpers import repo_deal, repo_library

REPO = Path(__file__).resolve().parents[2]
DEALS = sorted((REPO / "deals").glob("*.yaml"))
VAGUE = [
    ln.strip().lower()
    for ln in (REPO / "generator/data/vague_phrases.txt").read_text().splitlines()
    if ln.strip() and not ln.startswith("#")
]


library = repo_library
deal = repo_deal


def included(d: Deal) -> set[str]:
    return {s.clause.id for s in select(library(), d).all()}


def test_validate_passes_on_the_repository() -> None:
    result = validate_all(REPO, [])
    assert result.library is not None
    diags = [*result.diagnostics, *outcome_errors(result.library, REPO)]
    assert [x.text() for x in diags] == []
    assert "7 deal(s)" in result.counts


def test_library_size_and_stances() -> None:
    lib = library()
    assert len(lib.clauses) >= 60
    assert sum(len(c.variants) for c in lib.clauses.values()) >= 150
    for c in lib.clauses.values():
        stances = {v.stance for v in c.variants}
        if c.topic == "sow":  # a Statement of Work's paragraphs: the Agreement carries the stance
            assert stances == {"balanced"} and len(c.variants) == 1, c.id
        else:
            assert {"client", "balanced"} <= stances, c.id
        for v in c.variants:
            assert v.notes.strip() and v.guidance.strip(), f"{c.id}/{v.id}"


@pytest.mark.parametrize("path", DEALS, ids=[p.stem for p in DEALS])
def test_committed_markdown_draft_is_up_to_date(path: Path) -> None:
    draft = make_draft(library(), path, ["md"])
    committed = REPO / "outputs" / f"{path.stem}.md"
    assert committed.exists(), f"run: clausebook draft {path.relative_to(REPO)}"
    assert committed.read_bytes() == draft.files[f"{path.stem}.md"], (
        f"outputs/{path.stem}.md is stale: run clausebook draft deals/{path.name}"
    )
    text = draft.files[f"{path.stem}.md"].decode()
    assert "{{" not in text and "{%" not in text


def test_maturity_changes_what_is_in_the_draft() -> None:
    base = "care-outcome-gdpr.yaml"
    level = {n: included(deal(base, maturity=n)) for n in (1, 2, 3, 4)}
    for optimised in ("gain-sharing", "innovation-fund"):
        assert optimised not in level[1] and optimised not in level[2]
        assert optimised in level[3] and optimised in level[4]
    assert "kpis-scorecard" not in level[1] and "kpis-scorecard" in level[2]
    assert "price-protection" in level[1]
    assert "independent-measurement" in level[4]
    assert "glide-path" in level[4] and "glide-path" not in level[1]


def test_level_one_and_level_four_differ_in_every_commercial_article() -> None:
    one = render_document(select(library(), deal("care-outcome-gdpr.yaml", maturity=1)))
    four = render_document(select(library(), deal("care-outcome-gdpr.yaml", maturity=4)))

    def article_text(doc: Any, title: str) -> str:
        a = next(a for a in doc.articles if a.title == title)
        return " ".join(
            r.text for c in a.clauses for b in c.blocks if isinstance(b, Para) for r in b.runs
        )

    for title in ("Service Levels", "Charges", "Governance"):
        assert article_text(one, title) != article_text(four, title), title
    assert "Automation, Innovation and Gain-Sharing" in {a.title for a in four.articles}


def test_outcome_pricing_only_where_the_deal_asks_for_it() -> None:
    for path in DEALS:
        d = deal(path.name)
        assert ("charges-outcome" in included(d)) == (d.data["pricing"]["model"] == "outcome"), (
            path.name
        )
    assert "charges-outcome" in included(deal("fa-sox-fixed.yaml", pricing__model="outcome"))


def test_every_regime_pulls_in_its_terms() -> None:
    expect = {
        "hipaa": {"hipaa-business-associate"},
        "gdpr": {"data-protection", "data-processing-schedule"},
        "uk-gdpr": {"data-protection", "data-processing-schedule"},
        "sox": {"sox-controls"},
        "pci-dss": {"pci-dss"},
    }
    for regime, clauses in expect.items():
        with_it = included(deal("fa-sox-fixed.yaml", data_regimes=[regime]))
        without = included(deal("fa-sox-fixed.yaml", data_regimes=[]))
        assert clauses <= with_it, regime
        assert not clauses & without, regime


def test_employee_transfer_follows_governing_law() -> None:
    assert "employee-transfer" in included(deal("fa-sox-fixed.yaml"))
    assert "employee-transfer" not in included(deal("claims-hipaa-transaction.yaml"))


def _phrase_hits(text: str) -> list[str]:
    low = text.lower()
    return [p for p in VAGUE if re.search(r"(?<![a-z])" + re.escape(p) + r"(?![a-z])", low)]


def test_no_vague_phrase_anywhere_in_the_library() -> None:
    problems = []
    for c in library().clauses.values():
        texts = [(v.id, v.text) for v in c.variants] + [(f"defines.{t}", d) for t, d in c.defines]
        for where, text in texts:
            for phrase in _phrase_hits(text):
                problems.append(f"{c.source.path} ({where}): '{phrase}'")
    assert problems == []


def test_vague_phrase_check_can_fail() -> None:
    assert _phrase_hits("The Supplier shall use reasonable efforts to respond promptly.") == [
        "reasonable efforts",
        "promptly",
    ]


def test_maturity_four_customer_care_draft_is_complete() -> None:
    doc = render_document(select(library(), deal("care-outcome-gdpr.yaml")))
    words = 0
    for a in doc.articles:
        for c in a.clauses:
            for b in c.blocks:
                if isinstance(b, Para):
                    words += sum(len(r.text.split()) for r in b.runs)
    for s in doc.schedules:
        tables = [b for b in s.blocks if isinstance(b, Table)]
        assert tables and all(t.rows for t in tables), f"schedule {s.id} has no filled table"
        words += sum(len(r.text.split()) for b in s.blocks if isinstance(b, Para) for r in b.runs)
    assert words >= 12000
