"""One answer to "is this deal acceptable": validate and build refuse what draft refuses; warnings
(a clause no playbook places, a drifted schemas/ copy) are shown but do not fail."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.playbook.test_positions import deal_with


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_and_build_refuse_a_deal_draft_refuses(minilib: Path) -> None:
    deal = deal_with(minilib, "fb.yaml", 12)  # a fallback with no recorded approval
    code, out = run("draft", "--library", str(minilib), str(deal), "--format", "md")
    assert code == 1 and "approval-missing" in out
    code, out = run("validate", "--library", str(minilib))
    assert code == 1
    assert "deals/fb.yaml:14:34: error[approval-missing]" in out
    code, out = run("build", "--library", str(minilib))
    assert code == 1 and "deals/fb.yaml:14:34: error[approval-missing]" in out


def test_validate_json_prints_an_empty_list_on_success(minilib: Path) -> None:
    code, out = run("validate", "--library", str(minilib), "--format", "json")
    assert code == 0, out
    assert json.loads(out) == []


def test_a_clause_no_playbook_places_is_a_warning(minilib: Path) -> None:
    src = (minilib / "clauses/core/gain-sharing.yaml").read_text()
    (minilib / "clauses/core/orphan.yaml").write_text(src.replace("id: gain-sharing", "id: orphan"))
    code, out = run("validate", "--library", str(minilib), "--format", "json")
    assert code == 0, out
    found = json.loads(out)
    assert [(d["path"], d["line"], d["rule"], d["severity"]) for d in found] == [
        ("clauses/core/orphan.yaml", 1, "unplaced-clause", "warning")
    ]
    code, out = run("coverage", "--library", str(minilib), "--format", "md")
    assert "orphan: placed by no playbook" in out


def test_a_schemas_copy_that_differs_from_the_engines_is_a_warning(minilib: Path) -> None:
    code, out = run("schemas", "export", str(minilib / "schemas"))
    assert code == 0, out
    code, out = run("validate", "--library", str(minilib))
    assert code == 0 and "warning" not in out
    schema = minilib / "schemas" / "deal.schema.json"
    schema.write_text(schema.read_text().replace('"title"', '"title" ', 1))
    code, out = run("validate", "--library", str(minilib))
    assert code == 0
    assert "schemas/deal.schema.json:1:1: warning[schema-drift]" in out
    assert "1 warning (not failing)" in out and "ok: " in out
    code, out = run("schemas", "export", str(minilib / "schemas"))
    assert code == 2 and "--force" in out  # never replaced silently
    code, out = run("schemas", "export", str(minilib / "schemas"), "--force")
    assert code == 0
    code, out = run("validate", "--library", str(minilib))
    assert "warning" not in out


def test_two_deal_files_with_one_id_are_refused(minilib: Path) -> None:
    (minilib / "deals" / "copy.yaml").write_text((minilib / "deals" / "small.yaml").read_text())
    code, out = run("validate", "--library", str(minilib))
    assert code == 1
    assert (
        "deals/small.yaml:1:5: error[duplicate-deal-id]: deal id 'small' is already used by "
        "deals/copy.yaml"
    ) in out
    code, out = run("build", "--library", str(minilib))
    assert code == 1 and "duplicate-deal-id" in out
