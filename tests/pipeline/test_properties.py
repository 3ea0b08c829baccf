"""Properties that hold for every input, not only for the examples we thought of (hypothesis).

- Any deal profile the deal schema accepts either drafts or fails with a ClausebookError (a
  clean message with file and line), never another exception.
- Every draft is a valid zip whose XML parts parse; identical inputs give identical bytes.
- Output files stay inside -o DIR, whatever the deal file is called.
- Any YAML text loads or fails with a located ContentError; any template renders or fails with
  a RenderFailure.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.errors import ClausebookError, ContentError
from generator.pipeline.build import make_draft, open_library, save_draft
from generator.pipeline.load import parse_yaml
from generator.pipeline.schema import _validator, schema
from generator.pipeline.templates import RenderFailure, run_template
from generator.writers.output import inside, output_dir, output_stem

MINILIB = Path(__file__).parents[1] / "fixtures" / "minilib"
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KEBAB = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,10}\Z")
SNAKE = st.from_regex(r"\A[a-z][a-z0-9_]{0,10}\Z")
# Any text, including controls, bidi marks and Word field syntax: each must draft or be refused.
PRINTABLE = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=30)
SPECIAL = st.sampled_from(
    ["{ DDEAUTO c:\\x }", "<w:p/>", "{{ 7*7 }}", "{% raw %}", "**bold**", "&amp;", "# H", "1. x"]
)
ANYTHING = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
# Mostly printable, so that most deals draft; now and then specials and any code point at all.
TEXT = st.integers(0, 19).flatmap(lambda n: ANYTHING if n == 0 else SPECIAL if n < 4 else PRINTABLE)


def from_schema(node: dict[str, Any], name: str = "") -> st.SearchStrategy[Any]:
    """Values for one node of the deal schema (validity is checked by the schema itself)."""
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        required = set(node.get("required", ()))
        fields = {k: from_schema(v, k) for k, v in node["properties"].items()}
        optional = st.sets(st.sampled_from(sorted(set(fields) - required) or [""]))
        return optional.flatmap(
            lambda keys: st.fixed_dictionaries(
                {k: fields[k] for k in fields if k in required or k in keys}
            )
        )
    if kind == "object":
        values = from_schema(node.get("additionalProperties") or {"type": "string"})
        return st.dictionaries(SNAKE, values, max_size=2)
    if kind == "array":
        items = from_schema(node.get("items", {"type": "string"}))
        return st.lists(
            items,
            min_size=node.get("minItems", 0),
            max_size=3,
            unique=node.get("uniqueItems", False),
        )
    if kind == "integer":
        return st.integers(node.get("minimum", -(10**6)), node.get("maximum", 10**6))
    if kind == "boolean":
        return st.booleans()
    if node.get("format") == "date":
        return st.dates().map(lambda d: d.isoformat())
    if name == "playbook":
        return st.sampled_from(["standard", "other"])
    if node.get("pattern") == "^[a-z0-9][a-z0-9-]{0,63}$":
        return KEBAB
    if "pattern" in node:
        return st.from_regex(node["pattern"], fullmatch=True)
    return TEXT.filter(lambda s: len(s) >= node.get("minLength", 0))


CLAUSES = st.sampled_from(["service-credits", "services", "gain-sharing", "sla-schedule", "nope"])


def deals() -> st.SearchStrategy[dict[str, Any]]:
    base = from_schema(schema("deal"))
    known_overrides = st.dictionaries(
        CLAUSES,
        st.dictionaries(
            st.sampled_from(["cap_percent", "start_days", "share_percent", "sole_remedy"]),
            st.one_of(st.integers(-5, 200), st.booleans(), TEXT),
            max_size=2,
        ),
        max_size=2,
    )
    known_ids = st.fixed_dictionaries(
        {},
        optional={
            "overrides": known_overrides,
            "exclude": st.lists(CLAUSES, max_size=2, unique=True),
            "variants": st.dictionaries(CLAUSES, st.sampled_from(["client", "balanced", "x"])),
        },
    )
    return st.tuples(base, known_ids).map(lambda t: {**t[0], **t[1]})


def accepted(deal: dict[str, Any]) -> bool:
    return not any(True for _ in _validator("deal").iter_errors(deal))


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("prop") / "lib"
    shutil.copytree(MINILIB, root)
    return open_library(root)


def check_docx(data: bytes) -> None:
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name in z.namelist():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(z.read(name), parser)


@SETTINGS
@given(deal=deals())
def test_any_schema_valid_deal_drafts_or_fails_cleanly(
    lib: Any, tmp_path_factory: pytest.TempPathFactory, deal: dict[str, Any]
) -> None:
    assume(accepted(deal))
    folder = tmp_path_factory.mktemp("deal")
    path = folder / "prop.yaml"
    path.write_text(yaml.safe_dump(deal, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        first = make_draft(lib, path, ["md", "docx"])
    except ClausebookError as exc:
        assert exc.diagnostics and all(d.line >= 1 and d.col >= 1 for d in exc.diagnostics)
        return
    check_docx(first.files["prop.docx"])
    assert make_draft(lib, path, ["md", "docx"]).files == first.files  # identical bytes
    out = output_dir(folder / "out")
    result = save_draft(first, out, force=False)
    assert sorted(result.written) == sorted(first.files)
    assert all(p.resolve().parent == out for p in out.iterdir())


@SETTINGS
@given(name=st.text(max_size=20))
def test_output_names_never_leave_the_output_folder(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    out = output_dir(tmp_path_factory.mktemp("out"))
    try:
        stem = output_stem(Path(name + ".yaml"))
    except ClausebookError:
        return
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", stem)
    for suffix in (".md", ".docx", ".manifest.json"):
        assert inside(out, stem + suffix).resolve().parent == out


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_any_yaml_loads_or_fails_with_a_location(text: str | bytes) -> None:
    try:
        parse_yaml(text, "x.yaml")
    except ContentError as exc:
        assert exc.diagnostics
        assert all(d.path == "x.yaml" and d.line >= 1 and d.col >= 1 for d in exc.diagnostics)


TEMPLATE_PIECES = st.sampled_from(
    [
        "{{ ", " }}", "{% ", " %}", "x", "deal", ".", "__class__", "|", "words", "(", ")", "[",
        "]", "'a'", "*", "**", "~", "+", "%", "9", "range", "for i in ", "endfor", "if ", "endif",
        "format", "center", "append", "macro m()", "endmacro", "m()", "include 'x'", "\n",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(TEMPLATE_PIECES, max_size=14))
def test_any_template_renders_or_fails_with_a_render_failure(parts: list[str]) -> None:
    deal = {"title": "T", "services": ["a"], "pricing": {"currency": "GBP"}}
    try:
        out = run_template("".join(parts), {"deal": deal, "x": 3})
    except RenderFailure as f:
        assert f.message
    else:
        assert isinstance(out, str)
    assert deal == {"title": "T", "services": ["a"], "pricing": {"currency": "GBP"}}
