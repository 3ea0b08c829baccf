"""Statements of Work that leave the Agreement's bounds are refused: every problem at once,
each at the deal file's line, with a non-zero exit and no traceback."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.helpers import REPO

SOWS = """sows:
  - id: desk
    title: Group IT Service Desk
    services: [it-service-desk, claims-processing]
    locations: [Dublin, Manila]
    start: 2027-03-01
    end: 2032-04-30
    service_levels:
      - {metric: Average speed of answer, target: 45}
      - {metric: First contact resolution, target: 70}
      - {metric: Claims turnaround, target: 2}
    charges:
      - {item: Service desk management fee, amount: 62000, basis: per month}
    overrides:
      service-levels: {rca_business_days: 1}
      service-credits: {at_risk_percent: 8}
      hipaa-business-associate: {breach_notice_days: 5}
      term: {supplier_non_renewal_notice_months: 6}
  - id: desk
    title: A second SOW with the same id
    services: [technical-support]
    start: 2027-10-01
    end: 2027-09-30
    charges:
      - {item: Technical support management fee, amount: 33000, basis: per month}
"""


def _deal(tmp_path: Path) -> tuple[Path, list[str]]:
    base = (REPO / "deals" / "service-desk-multi.yaml").read_text()
    text = base.replace("id: northgate-desk\n", "id: bad-sows\n") + SOWS
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path, text.splitlines()


def _line(lines: list[str], needle: str, after: int = 0) -> int:
    return next(i for i, t in enumerate(lines, start=1) if i > after and needle in t)


def test_every_sow_problem_at_once_with_its_line(tmp_path: Path) -> None:
    path, lines = _deal(tmp_path)
    result = CliRunner().invoke(
        main, ["draft", str(path), "-o", str(tmp_path / "out"), "--library", str(REPO)]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    found = {
        (int(m[1]), m[2])
        for m in re.finditer(r"bad\.yaml:(\d+):\d+: error\[([a-z-]+)\]", result.output)
    }
    start = _line(lines, "sows:")
    second = _line(lines, "- id: desk", _line(lines, "- id: desk", start))
    expected = {
        (_line(lines, "claims-processing]", start), "sow-service"),  # not an Agreement service
        (_line(lines, "Manila", start), "sow-location"),  # not an Agreement location
        (_line(lines, "start: 2027-03-01", start), "sow-term"),  # before the effective date
        (_line(lines, "end: 2032-04-30", start), "sow-term"),  # past the Initial Term
        (_line(lines, "Average speed of answer, target: 45", start), "sow-service-level"),
        (_line(lines, "First contact resolution, target: 70", start), "sow-service-level"),
        (_line(lines, "Claims turnaround", start), "sow-service-level"),  # not in the Schedule
        (_line(lines, "rca_business_days: 1", start), "parameter-value"),  # below its minimum
        (_line(lines, "at_risk_percent: 8", start), "sow-walk-away"),  # past the playbook
        (_line(lines, "hipaa-business-associate", start), "sow-override"),  # not in the draft
        (_line(lines, "supplier_non_renewal_notice_months", start), "sow-override"),  # unprinted
        (second, "sow-duplicate"),
        (_line(lines, "end: 2027-09-30", start), "sow-term"),  # ends before it starts
    }
    assert found == expected
    assert "after the Agreement's Initial Term ends on 2032-03-31" in result.output
    assert "looser than the Agreement's (no more than 30 seconds)" in result.output
    assert not (tmp_path / "out" / "bad.md").exists()  # nothing written


def test_validate_refuses_the_same_deal(tmp_path: Path) -> None:
    path, _ = _deal(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(path), "--library", str(REPO)])
    assert result.exit_code == 1
    assert "error[sow-walk-away]" in result.output and "error[sow-service]" in result.output


def _library_copy(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "lib"
    for part in ("clauses", "playbooks", "schemas"):
        shutil.copytree(REPO / part, root / part)
    (root / "deals").mkdir()
    shutil.copy(REPO / "deals" / "service-desk-sows.yaml", root / "deals")
    return root


def test_a_sow_paragraph_without_a_variant_for_the_maturity_is_named(tmp_path: Path) -> None:
    root = _library_copy(tmp_path)
    term = root / "clauses" / "sow" / "sow-term.yaml"
    term.write_text(term.read_text().replace("maturity: [1, 2, 3, 4]", "maturity: [1, 2]"))
    deal = root / "deals" / "service-desk-sows.yaml"
    result = CliRunner().invoke(
        main, ["draft", str(deal), "-o", str(tmp_path / "out"), "--library", str(root)]
    )
    assert result.exit_code == 1
    assert "clauses/sow/sow-term.yaml" in result.output
    assert "error[no-variant]: no variant of 'sow-term' suits maturity 3" in result.output


def test_a_library_without_sow_paragraphs_refuses_a_deal_with_sows(tmp_path: Path) -> None:
    import shutil

    root = _library_copy(tmp_path)
    shutil.rmtree(root / "clauses" / "sow")
    deal = root / "deals" / "service-desk-sows.yaml"
    result = CliRunner().invoke(
        main, ["draft", str(deal), "-o", str(tmp_path / "out"), "--library", str(root)]
    )
    assert result.exit_code == 1
    assert "error[sow-library]: the library has no clauses/sow/sow-status.yaml" in result.output


def test_sow_problems_are_reported_with_the_agreements_own(tmp_path: Path) -> None:
    path, _ = _deal(tmp_path)
    text = path.read_text() + "provisions:\n  service-credits: {remove: [nope]}\n"
    path.write_text(text)
    lines = text.splitlines()
    result = CliRunner().invoke(
        main, ["draft", str(path), "-o", str(tmp_path / "out"), "--library", str(REPO)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"bad.yaml:{_line(lines, 'service-credits: {remove')}:" in result.output
    assert "error[provision]" in result.output and "error[sow-term]" in result.output
    assert not list((tmp_path / "out").glob("bad*"))  # nothing drafted
