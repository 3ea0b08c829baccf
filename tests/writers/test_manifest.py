from __future__ import annotations

import json
from pathlib import Path

from generator.pipeline.build import make_draft
from generator.pipeline.library import load_library
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
