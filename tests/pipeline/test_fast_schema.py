"""The generated schema validator (fastjsonschema) only ever says "valid" where jsonschema finds
no error: a file it passes skips jsonschema, so a leniency would let a bad file through."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.errors import ContentError
from generator.pipeline import schema as S
from generator.pipeline.load import parse_yaml

REPO = Path(__file__).resolve().parents[2]
KINDS = {"clauses": "clause", "playbooks": "playbook", "deals": "deal"}


def _files() -> list[tuple[str, Path]]:
    out = []
    for folder, kind in KINDS.items():
        out += [(kind, p) for p in sorted((REPO / folder).rglob("*.yaml"))]
        out += [(kind, p) for p in sorted((REPO / "tests").rglob(f"{folder}/*.yaml"))]
    return out


def _jsonschema_ok(kind: str, data: Any) -> bool:
    return not any(True for _ in S._validator(kind).iter_errors(data))


def _agree(kind: str, data: Any) -> None:
    if S.fast_valid(kind, data):
        assert _jsonschema_ok(kind, data)


@pytest.mark.parametrize(("kind", "path"), _files(), ids=lambda v: getattr(v, "name", v))
def test_every_library_and_fixture_file_gets_the_same_verdict(kind: str, path: Path) -> None:
    try:
        data = parse_yaml(path.read_bytes(), path.name).data
    except ContentError:
        return  # refused before any schema check
    _agree(kind, data)
    if _jsonschema_ok(kind, data) and path.is_relative_to(REPO / KINDS_DIR[kind]):
        assert S.fast_valid(kind, data)  # the repository's own files take the fast path


KINDS_DIR = {v: k for k, v in KINDS.items()}

BAD_VALUES: list[Any] = [
    True,
    False,
    None,
    1.5,
    1.0,
    -1,
    0,
    10**30,
    "",
    "x" * 5000,
    "ok\n",
    "2027-02-30",
    "2027-02-29",
    "2028-02-29",
    "0000-01-01",
    "2027-1-1",
    "\u0662\u0660\u0662\u0667-01-01",
    "2027-01-01\n",
    "Not-Kebab",
    [],
    {},
    ["a", "a"],
    [1, True],
]


@pytest.mark.parametrize("deal", sorted((REPO / "deals").glob("*.yaml")), ids=lambda p: p.stem)
def test_mutated_deals_get_the_same_verdict(deal: Path) -> None:
    data = parse_yaml(deal.read_bytes(), deal.name).data
    assert S.fast_valid("deal", data)
    checked = 0
    for pointer, _ in _leaves(data):
        for bad in BAD_VALUES:
            mutated = copy.deepcopy(data)
            _set(mutated, pointer, bad)
            _agree("deal", mutated)
            checked += 1
    for key in ("surprise", "Title"):
        _agree("deal", {**data, key: "x"})
    assert checked > 200


def _leaves(node: Any, pointer: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    out = [(pointer, node)] if pointer else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _leaves(v, (*pointer, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _leaves(v, (*pointer, i))
    return out


def _set(node: Any, pointer: tuple[Any, ...], value: Any) -> None:
    for part in pointer[:-1]:
        node = node[part]
    node[pointer[-1]] = value
