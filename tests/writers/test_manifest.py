from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library
from generator.writers.manifest import dump_members, dumps, join_members
from generator.writers.output import sha256


def test_manifest_records_clauses_parameters_and_output_hashes(minilib: Path) -> None:
    lib = load_library(minilib)
    draft = make_draft(lib, minilib / "deals/small.yaml", ["md", "docx"])
    manifest = json.loads(draft.files["small.manifest.json"])
    assert manifest["deal"]["file"] == "deals/small.yaml"
    assert manifest["deal"]["sha256"] == sha256((minilib / "deals/small.yaml").read_bytes())
    sc = next(c for c in manifest["clauses"] if c["id"] == "service-credits")
    assert sc["ref"] == "service-credits@2.0.0"
    assert sc["variant"] == "client"
    assert sc["parameters"]["cap_percent"] == {
        "value": 18,
        "source": "deal override",
        "at": "deals/small.yaml:14",
    }
    assert manifest["outputs"] == {
        "small.docx": sha256(draft.files["small.docx"]),
        "small.md": sha256(draft.files["small.md"]),
    }
    assert manifest["library"]["commit"] is None  # the fixture copy is not a git repository
    assert {
        "id": "gain-sharing",
        "why": "only included by rule 'optimised' (deal.maturity >= 3), which does not apply",
    } in manifest["excluded"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=5), JSON, max_size=5))
def test_member_wise_dump_is_the_indented_dump(manifest: dict[str, Any]) -> None:
    # One encoding of the inputs serves the digest and the manifest file: the bytes must be
    # what a single json.dumps(indent=2, sort_keys=True) writes, newlines in strings included.
    expected = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    assert dumps(manifest) == expected
    members = dump_members(manifest)
    assert join_members(members) == expected


def test_draft_manifest_and_digest_as_one_dump_would_write_them(minilib: Path) -> None:
    lib = load_library(minilib)
    draft = make_draft(lib, minilib / "deals/small.yaml", ["md", "docx"])
    raw = draft.files["small.manifest.json"]
    manifest = json.loads(raw)
    assert (
        raw == (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    )
    inputs = {k: v for k, v in manifest.items() if k not in ("outputs", "inputs_sha256")}
    one_dump = (json.dumps(inputs, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    assert manifest["inputs_sha256"] == hashlib.sha256(one_dump).hexdigest()
