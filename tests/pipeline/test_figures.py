"""No silent wrongness: figures only the deal can state, and overrides the draft would ignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline.deal import load_deal
from generator.pipeline.figures import perturbed
from generator.pipeline.render import render_document
from generator.pipeline.select import select, used_parameters
from tests.helpers import REPO, repo_library


def _deal_file(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (REPO / "deals" / name).read_text()
    assert old in text
    p = tmp_path / name
    p.write_text(text.replace(old, new))
    return p


def _errors(path: Path) -> list[str]:
    lib = repo_library()
    with pytest.raises(ContentError) as exc:
        render_document(select(lib, load_deal(lib, path, f"deals/{path.name}")))
    return [d.text() for d in exc.value.diagnostics]


def test_a_price_the_deal_does_not_state_fails_with_the_deal_line(tmp_path: Path) -> None:
    path = _deal_file(
        tmp_path,
        "fa-sox-fixed.yaml",
        "  charges-fixed: {fixed_monthly_fee: 185000, marginal_unit_rate: 2.6}\n",
        "  charges-fixed: {marginal_unit_rate: 2.6}\n",
    )
    errors = _errors(path)
    line = path.read_text().splitlines().index("  charges-fixed: {marginal_unit_rate: 2.6}") + 1
    assert errors == [
        f"deals/fa-sox-fixed.yaml:{line}:3: error[deal-figure]: 'charges-fixed' (variant "
        "'client') prints 'fixed_monthly_fee' (Fixed fee for each Month of live service), a "
        "figure only the deal can state: set it under overrides: charges-fixed: fixed_monthly_fee"
    ]


def test_a_figure_only_a_branch_the_deal_does_not_take_prints_is_not_required() -> None:
    # The pricing schedule's Resolution row prints baseline_resolutions for outcome pricing only,
    # and the sample deals give their volumes: no deal is asked for it, and each drafts.
    lib = repo_library()
    for name in ("fa-sox-fixed.yaml", "care-outcome-gdpr.yaml"):
        deal = load_deal(lib, REPO / "deals" / name, f"deals/{name}")
        render_document(select(lib, deal))
        assert "baseline_resolutions" not in deal.data["overrides"].get("pricing-schedule", {})


def test_an_override_the_chosen_variant_does_not_print_names_the_variants_that_do(
    tmp_path: Path,
) -> None:
    path = _deal_file(
        tmp_path,
        "claims-hipaa-transaction.yaml",
        "  charges-transaction:\n",
        "  charges-transaction:\n    minimum_monthly_charge: 90000\n",
    )
    lib = repo_library()
    with pytest.raises(ContentError) as exc:
        select(lib, load_deal(lib, path, "deals/claims-hipaa-transaction.yaml"))
    (d,) = exc.value.diagnostics
    line = path.read_text().splitlines().index("    minimum_monthly_charge: 90000") + 1
    assert (d.path, d.rule, d.line) == (
        "deals/claims-hipaa-transaction.yaml",
        "unused-override",
        line,
    )
    assert d.message == (
        "override 'minimum_monthly_charge' of 'charges-transaction' is not used by the chosen "
        "variant 'client' (used by 'provider'); remove it or choose a variant that prints it"
    )


def test_used_parameters_reads_the_variant_text_and_the_clause_definitions() -> None:
    c = repo_library().clauses["charges-fixed"]
    client = c.variant("client")
    assert client is not None
    assert "fixed_monthly_fee" in used_parameters(c, client)  # printed in a definition


@pytest.mark.parametrize(
    ("value", "changed"),
    [(3, 10), (2.5, 2.87), ("ERP", "ERP (changed)"), (True, False), ([{"a": 1}], [{"a": 8}] * 2)],
)
def test_a_perturbed_value_keeps_its_shape_and_prints_differently(
    value: object, changed: object
) -> None:
    assert perturbed(value) == changed
