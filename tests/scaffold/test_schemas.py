"""Editors find the schemas: every YAML file of the library (and of a new one) names its schema
in a modeline whose target exists and is the engine's own schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.scaffold import planned_files
from generator.scaffold.schemas import packaged_schemas

REPO = Path(__file__).resolve().parents[2]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
KIND = {"clauses": "clause", "deals": "deal", "playbooks": "playbook", "outcomes": "outcome"}


def kind_of(rel: str) -> str:
    parts = rel.split("/")
    return KIND["outcomes" if parts[:2] == ["playbooks", "outcomes"] else parts[0]]


def library_yaml(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for folder in ("clauses", "deals", "playbooks")
        for p in (root / folder).rglob("*.yaml")
    )


@pytest.mark.parametrize("rel", library_yaml(REPO))
def test_each_library_file_has_a_modeline_that_resolves_to_the_engines_schema(rel: str) -> None:
    lines = (REPO / rel).read_text("utf-8").splitlines()
    leading = [
        ln for ln in lines[: next(i for i, ln in enumerate(lines) if not ln.startswith("#"))]
    ]
    found = [m for m in map(MODELINE.match, leading) if m]  # any leading comment line will do
    assert found, f"{rel} has no yaml-language-server modeline in its leading comments"
    m = found[0]
    target = ((REPO / rel).parent / m.group(1)).resolve()
    assert target.name == f"{kind_of(rel)}.schema.json"
    assert target.read_bytes() == packaged_schemas()[target.name]


def test_a_new_librarys_modelines_and_editor_settings_resolve(tmp_path: Path) -> None:
    files = planned_files()
    for rel, data in files.items():
        if rel.endswith(".yaml") and rel.split("/")[0] in KIND:
            m = MODELINE.match(data.decode().splitlines()[0])
            assert m, rel
            target = (Path(rel).parent / m.group(1)).as_posix()
            assert Path(target).resolve() == Path(f"schemas/{kind_of(rel)}.schema.json").resolve()
            assert (
                files[f"schemas/{kind_of(rel)}.schema.json"]
                == packaged_schemas()[f"{kind_of(rel)}.schema.json"]
            )
    vscode = json.loads(files[".vscode/settings.json"])
    for schema in vscode["yaml.schemas"]:
        assert schema.removeprefix("./") in files


def test_the_repositorys_schemas_folder_is_the_engines() -> None:
    for name, data in packaged_schemas().items():
        assert (REPO / "schemas" / name).read_bytes() == data, name
