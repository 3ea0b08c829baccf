from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import ContentError, UsageError
from generator.pipeline.deal import validate_paths
from generator.pipeline.files import library_root
from generator.pipeline.library import load_library
from generator.pipeline.schema import fill_defaults, schema
from generator.pipeline.values import parameter as param
from generator.pipeline.values import value_problems

REPO = Path(__file__).resolve().parents[2]


def test_minilib_is_valid(minilib: Path) -> None:
    lib = load_library(minilib)
    assert set(lib.clauses) == {
        "definitions",
        "services",
        "service-credits",
        "gain-sharing",
        "sla-schedule",
    }
    assert lib.clauses["sla-schedule"].kind == "schedule"


def test_errors_in_several_files_are_all_reported(minilib: Path) -> None:
    (minilib / "clauses/core/services.yaml").write_text(
        (minilib / "clauses/core/services.yaml")
        .read_text()
        .replace("version: 1.2.0", "version: one")
    )
    sc = minilib / "clauses/sla/service-credits.yaml"
    sc.write_text(
        sc.read_text().replace("{{ cap_percent | percent }}", "{{ cap_pct | percent }}", 1)
    )
    pb = minilib / "playbooks/standard.yaml"
    pb.write_text(pb.read_text().replace("[definitions]", "[definitions, warranty]"))
    with pytest.raises(ContentError) as info:
        load_library(minilib)
    paths = {d.path for d in info.value.diagnostics}
    assert paths >= {
        "clauses/core/services.yaml",
        "clauses/sla/service-credits.yaml",
        "playbooks/standard.yaml",
    }


def test_duplicate_clause_id_and_duplicate_term(minilib: Path) -> None:
    dup = minilib / "clauses/sla/services.yaml"
    text = (minilib / "clauses/core/services.yaml").read_text().replace("topic: core", "topic: sla")
    dup.write_text(text)
    with pytest.raises(ContentError) as info:
        load_library(minilib)
    rules = sorted(d.rule for d in info.value.diagnostics)
    assert "duplicate-id" in rules


def test_not_a_library_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no clauses/ folder"):
        library_root(tmp_path)


def test_packaged_schemas_equal_the_library_copies() -> None:
    for name in ("clause", "deal", "playbook"):
        shipped = json.loads((REPO / "generator/schemas" / f"{name}.schema.json").read_text())
        assert shipped == json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())
        assert shipped["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert shipped["$id"].endswith(f"{name}.schema.json")
        assert shipped["examples"] if name != "playbook" else True


def test_schema_examples_are_valid() -> None:
    from jsonschema import Draft202012Validator

    for name in ("clause", "deal"):
        s = schema(name)
        for example in s["examples"]:
            assert list(Draft202012Validator(s).iter_errors(example)) == []


def test_value_problems_cover_types_bounds_and_records() -> None:
    cap = param("cap", {"type": "percent", "minimum": 5, "maximum": 20})
    assert value_problems(cap, 12, "cap") == []
    assert value_problems(cap, 25, "cap")[0][0] == "cap = 25 is above the maximum of 20"
    assert value_problems(cap, True, "cap")[0][0].startswith("cap must be a number")
    tiers = param("tiers", {"type": "list", "fields": {"x": {"type": "integer", "minimum": 0}}})
    problems = value_problems(tiers, [{"x": 1}, {"x": -1}, {"y": 2}], "tiers")
    assert [m for m, _ in problems] == [
        "tiers[1].x = -1 is below the minimum of 0",
        "tiers[2] has unknown field 'y' (expected: x)",
        "tiers[2] is missing field 'x'",
    ]
    assert [p for _, p in problems] == [(1, "x"), (2, "y"), (2,)]


def test_fill_defaults_gives_every_optional_field_a_value() -> None:
    filled = fill_defaults(schema("deal"), {"automation": {"in_scope": True}})
    assert filled["automation"] == {"in_scope": True, "volume_mix_shift": False}
    assert filled["multi_provider"] is False
    assert filled["data_regimes"] == []
    assert filled["playbook"] == "standard"
    assert filled["renewal"] is None


def test_validate_paths_checks_deals_even_when_library_is_broken(minilib: Path) -> None:
    (minilib / "clauses/core/services.yaml").write_text("id: [\n")
    bad = minilib / "deals/bad.yaml"
    bad.write_text("id: bad\n")
    diags = validate_paths(minilib, [bad])
    assert {d.path for d in diags} >= {"clauses/core/services.yaml", "deals/bad.yaml"}
