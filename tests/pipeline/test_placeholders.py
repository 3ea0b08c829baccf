"""`draft --placeholders`: an unstated deal figure prints as a visible placeholder, recorded in
the manifest and reported by lint; without the option it stays an error at the deal's line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import ContentError
from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library
from generator.pipeline.placeholders import document_placeholders, figure_spans
from generator.pipeline.render import render_document
from tests.helpers import selection_for

FEE = "Monthly Fee"
MARK = "[●Monthly Fee — to be agreed]"


def _with_fee(root: Path) -> None:
    """The services clause prints a deal-supplied fee twice: in words and digits, and as money."""
    path = root / "clauses" / "core" / "services.yaml"
    text = path.read_text()
    text = text.replace(
        "  start_days: {type: integer, unit: days, default: 30, minimum: 10, maximum: 90}\n",
        "  start_days: {type: integer, unit: days, default: 30, minimum: 10, maximum: 90}\n"
        "  monthly_fee: {deal_supplied: true, type: money, default: 45000, minimum: 1000, "
        "maximum: 10000000, description: Fixed fee for each Month}\n"
        "  seats: {deal_supplied: true, type: integer, default: 40, minimum: 1, maximum: 900}\n",
    )
    old = "after the Effective Date.\n\n      The Supplier shall:"
    new = (
        "after the Effective Date, for {{ monthly_fee | money }} a Month "
        "and with {{ seats | words }} seats.\n\n      The Supplier shall:"
    )
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _body(doc: object) -> str:
    from generator.writers.markdown import render_markdown

    return render_markdown(doc)  # type: ignore[arg-type]


def test_without_the_option_an_unstated_figure_is_still_an_error(minilib: Path) -> None:
    _with_fee(minilib)
    with pytest.raises(ContentError) as exc:
        render_document(selection_for(minilib, "small.yaml"))
    assert sorted(d.rule for d in exc.value.diagnostics) == ["deal-figure", "deal-figure"]
    assert {d.path for d in exc.value.diagnostics} == {"deals/small.yaml"}


def test_with_the_option_each_unstated_figure_prints_as_its_placeholder(minilib: Path) -> None:
    _with_fee(minilib)
    doc = render_document(selection_for(minilib, "small.yaml"), placeholders=True)
    text = " ".join(_body(doc).replace("\\", "").split())
    # the currency code goes with the amount, "forty (40)" words and digits go as one
    assert f"for {MARK} a Month and with [●Seats — to be agreed] seats." in text
    assert "45,000" not in text and "(40)" not in text
    assert document_placeholders(doc) == [("services", FEE), ("services", "Seats")]


def test_a_figure_the_deal_states_prints_as_stated(minilib: Path) -> None:
    _with_fee(minilib)
    deal = minilib / "deals" / "small.yaml"
    deal.write_text(deal.read_text() + "  services: {monthly_fee: 52000}\n")
    doc = render_document(selection_for(minilib, "small.yaml"), placeholders=True)
    assert "GBP 52,000 a Month" in " ".join(_body(doc).split())
    assert document_placeholders(doc) == [("services", "Seats")]


def test_the_manifest_and_the_word_file_carry_the_placeholders(minilib: Path) -> None:
    _with_fee(minilib)
    lib = load_library(minilib)
    draft = make_draft(lib, minilib / "deals" / "small.yaml", ["md", "docx"], placeholders=True)
    manifest = json.loads(draft.files["small.manifest.json"])
    assert manifest["placeholders"] == [
        {"clause": "services", "to_be_agreed": FEE},
        {"clause": "services", "to_be_agreed": "Seats"},
    ]
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(draft.files["small.docx"])).read("word/document.xml").decode()
    assert MARK in re.sub(r"<[^>]+>", "", xml)
    # with every figure stated, the option changes nothing: the manifest names no placeholder
    deal = minilib / "deals" / "small.yaml"
    deal.write_text(deal.read_text() + "  services: {monthly_fee: 52000, seats: 12}\n")
    clean = make_draft(load_library(minilib), deal, ["md"], placeholders=True)
    assert "placeholders" not in json.loads(clean.files["small.manifest.json"])


def test_draft_with_placeholders_warns_and_lint_fails_on_the_draft(minilib: Path) -> None:
    _with_fee(minilib)
    runner = CliRunner()
    out = minilib / "outputs"
    args = ["--library", str(minilib), "draft", str(minilib / "deals" / "small.yaml")]
    refused = runner.invoke(main, [*args, "--format", "md"])
    assert refused.exit_code == 1 and "error[deal-figure]" in refused.output
    done = runner.invoke(main, [*args, "--format", "md", "--placeholders"])
    assert done.exit_code == 0, done.output
    assert "2 placeholders still to be agreed" in done.output
    lint = runner.invoke(main, ["--library", str(minilib), "lint", "--no-base", str(out)])
    assert lint.exit_code == 1
    lines = (out / "small.md").read_text().splitlines()
    found = [ln for ln in lint.output.splitlines() if "draft-placeholder" in ln]
    assert len(found) == 2
    for f in found:
        line = int(f.split(":")[1])
        assert "to be agreed" in lines[line - 1]


@pytest.mark.parametrize(
    ("baseline", "changed", "value", "spans"),
    [
        ("a fee of GBP 450,000 a Month.", "a fee of GBP 450,007 a Month.", 450000, ["GBP 450,000"]),
        ("within twenty (20) days.", "within twenty-seven (27) days.", 20, ["twenty (20)"]),
        ("at 12.5% of it.", "at 12.87% of it.", 12.5, ["12.5%"]),
        ("in Leeds City, once.", "in Leeds City (changed), once.", "Leeds City", ["Leeds City"]),
        (
            "| a | 1 |\n",
            "| a (changed) | 8 |\n| a (changed) | 8 |\n",
            [{"x": "a", "n": 1}],
            ["a", "1"],
        ),
    ],
)
def test_a_changed_figure_is_found_whole(
    baseline: str, changed: str, value: object, spans: list[str]
) -> None:
    assert [baseline[a:b] for a, b in figure_spans(baseline, changed, value)] == spans


def test_check_reports_each_figure_still_to_be_agreed_at_the_deal(minilib: Path) -> None:
    runner = CliRunner()
    args = ["--library", str(minilib), "check", str(minilib / "deals" / "small.yaml")]
    assert runner.invoke(main, args).exit_code == 0
    _with_fee(minilib)
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    found = [ln for ln in result.output.splitlines() if "error[deal-figure]" in ln]
    assert [ln.split(": error")[0] for ln in found] == ["deals/small.yaml:13:1"] * 2
    assert "prints 'monthly_fee'" in found[0] and "prints 'seats'" in found[1]


def test_a_word_only_draft_is_linted_from_its_manifest(minilib: Path) -> None:
    _with_fee(minilib)
    runner = CliRunner()
    out = minilib / "outputs"
    args = ["--library", str(minilib), "draft", str(minilib / "deals" / "small.yaml")]
    assert runner.invoke(main, [*args, "--format", "docx", "--placeholders"]).exit_code == 0
    lint = runner.invoke(main, ["--library", str(minilib), "lint", "--no-base", str(out)])
    assert lint.exit_code == 1
    found = [ln for ln in lint.output.splitlines() if "draft-placeholder" in ln]
    assert [f.split(":")[0] for f in found] == ["outputs/small.manifest.json"] * 2
    assert "'Monthly Fee' is still to be agreed" in found[0]
