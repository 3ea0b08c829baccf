"""A deal profile: read, checked against its schema and the library, defaults filled."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import cache
from ..errors import ContentError, Diagnostic
from ..model import Deal, Library
from ..source import Pointer, SourceFile
from .files import deal_display
from .library import load_library
from .load import read_yaml
from .positions import approval_errors
from .schema import fill_defaults, schema, schema_errors
from .values import override_problems, unknown_clause


def load_deal(lib: Library, path: Path, display: str | None = None) -> Deal:
    display = display or deal_display(Path(lib.root), path)
    src = read_yaml(path, display, keep=True)  # parsed once per content: no PyYAML when warm
    errors = _deal_schema_errors(src)
    if errors:
        raise ContentError(errors)
    data = fill_defaults(schema("deal"), src.data)
    delivery = data["delivery"]
    delivery["sites"] = [{"operator": None, **site} for site in delivery["sites"]]
    # Derived, for `when` rules that follow where the staff are (TUPE): the sites' countries.
    delivery["countries"] = sorted({site["country"] for site in delivery["sites"]})
    errors = check_deal_refs(lib, src, data)
    if errors:
        raise ContentError(errors)
    return Deal(id=data["id"], name=path.stem, data=data, source=src)


def _deal_schema_errors(src: SourceFile) -> list[Diagnostic]:
    """Schema errors of a deal; a deal file that passed before (same bytes) is not checked again."""
    key = f"{src.sha256}-{hash_text(json.dumps(schema('deal'), sort_keys=True))}"
    if cache.load("deal-ok", key) is True:
        return []
    errors = schema_errors(src, "deal")
    if not errors:
        cache.store("deal-ok", key, True)
    return errors


def hash_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_deal_refs(lib: Library, src: SourceFile, data: Mapping[str, Any]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if data["playbook"] not in lib.playbooks:
        names = ", ".join(sorted(lib.playbooks)) or "none"
        ptr: Pointer = ("playbook",) if "playbook" in src.data else ()
        out.append(
            src.diag(
                ptr,
                "unknown-playbook",
                f"playbook '{data['playbook']}' not found (available: {names})",
            )
        )
    for cid, values in data["overrides"].items():
        out.extend(override_problems(src, ("overrides", cid), cid, values, lib.clauses))
    for cid, vid in data["variants"].items():
        c = lib.clauses.get(cid)
        if c is None:
            out.append(
                src.diag(
                    ("variants", cid), "unknown-clause", unknown_clause(cid, lib.clauses), key=True
                )
            )
        elif c.variant(vid) is None:
            ids = ", ".join(v.id for v in c.variants)
            out.append(
                src.diag(
                    ("variants", cid),
                    "unknown-variant",
                    f"clause '{cid}' has no variant '{vid}' (variants: {ids})",
                )
            )
    for i, cid in enumerate(data["exclude"]):
        if cid not in lib.clauses:
            out.append(src.diag(("exclude", i), "unknown-clause", unknown_clause(cid, lib.clauses)))
    for i, appr in enumerate(data["approvals"]):
        if appr["clause"] not in lib.clauses:
            out.append(
                src.diag(
                    ("approvals", i, "clause"),
                    "unknown-clause",
                    unknown_clause(appr["clause"], lib.clauses),
                )
            )
    out.extend(approval_errors(lib, src, data))
    out.extend(site_errors(src, data))
    out.extend(maturity_pricing_errors(src, data))
    return out


def maturity_pricing_errors(src: SourceFile, data: Mapping[str, Any]) -> list[Diagnostic]:
    """Maturity 4 (outcome partnership) expects a baseline fee with outcome pricing: any other
    model is refused unless the deal records why."""
    pricing = data["pricing"]
    if data["maturity"] != 4 or pricing["model"] == "outcome" or pricing.get("maturity_reason"):
        return []
    return [
        src.diag(
            ("pricing", "model"),
            "maturity-pricing",
            f"a maturity-4 deal priced '{pricing['model']}': the outcome-partnership level "
            "expects outcome pricing with a baseline fee; change the model or record why under "
            "pricing.maturity_reason",
        )
    ]


def site_errors(src: SourceFile, data: Mapping[str, Any]) -> list[Diagnostic]:
    """Every delivery location has exactly one site with its country, and no site is stray:
    the data-processing schedule decides transfers from the country, never prints the question."""
    delivery = data["delivery"]
    sites = [s["location"] for s in delivery["sites"]]
    out: list[Diagnostic] = []
    for i, loc in enumerate(delivery["locations"]):
        if sites.count(loc) != 1:
            what = "no" if loc not in sites else "more than one"
            out.append(
                src.diag(
                    ("delivery", "locations", i),
                    "delivery-site",
                    f"location '{loc}' has {what} entry in delivery.sites: add one "
                    f"{{location: {loc}, country: ...}}",
                )
            )
    for i, loc in enumerate(sites):
        if loc not in delivery["locations"]:
            out.append(
                src.diag(
                    ("delivery", "sites", i, "location"),
                    "delivery-site",
                    f"site '{loc}' is not one of delivery.locations "
                    f"({', '.join(delivery['locations']) or 'none'})",
                )
            )
    return out


def check_deal_files(root: Path, paths: Iterable[Path], lib: Library | None) -> list[Diagnostic]:
    """Every problem of the given deal files: schema, and cross-references when a library loaded."""
    out: list[Diagnostic] = []
    for p in paths:
        try:
            src = read_yaml(p, deal_display(root, p))
        except ContentError as exc:
            out.extend(exc.diagnostics)
            continue
        errs = schema_errors(src, "deal")
        if errs:
            out.extend(errs)
            continue
        if lib is not None:
            out.extend(check_deal_refs(lib, src, fill_defaults(schema("deal"), src.data)))
    return out


def validate_paths(root: Path, paths: Iterable[Path]) -> list[Diagnostic]:
    """Validate the library plus any deal files given; return every diagnostic."""
    try:
        lib: Library | None = load_library(root)
        out: list[Diagnostic] = []
    except ContentError as exc:
        lib, out = None, list(exc.diagnostics)
    return out + check_deal_files(root, paths, lib)
