"""docs/deal-profile.md is generated from the deal schema, so the reference cannot drift."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..pipeline.schema import schema
from ..writers.markdown import table


def _type(prop: Mapping[str, Any]) -> str:
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    t = prop.get("type", "any")
    if t == "array":
        items = prop.get("items", {})
        return "list of " + (_type(items) if items else "values")
    if t == "integer" and ("minimum" in prop or "maximum" in prop):
        return f"integer {prop.get('minimum', '')}–{prop.get('maximum', '')}"
    if prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    return str(t)


def _yaml(value: Any) -> str:
    """A default as it is written in a deal file: `false`, not Python's `False`."""
    import json

    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _rows(props: Mapping[str, Any], required: set[str], prefix: str) -> Iterator[tuple[str, ...]]:
    for name, prop in props.items():
        field = f"{prefix}{name}"
        need = "yes" if name in required else ""
        default = f"`{_yaml(prop['default'])}`" if "default" in prop else ""
        desc = str(prop.get("description", ""))
        yield (f"`{field}`", _type(prop), need, default, desc)
        if prop.get("type") == "object" and "properties" in prop:
            yield from _rows(prop["properties"], set(prop.get("required", [])), f"{field}.")
        items = prop.get("items", {})
        if prop.get("type") == "array" and "properties" in items:
            yield from _rows(items["properties"], set(items.get("required", [])), f"{field}[].")


def deal_profile_markdown() -> str:
    s = schema("deal")
    lines = [
        "# Deal profile reference",
        "",
        "<!-- Generated from schemas/deal.schema.json by `clausebook schema-doc`; a test keeps it in step. -->",
        "",
        str(s["description"]),
        "",
        "A deal file starts with `# yaml-language-server: $schema=../schemas/deal.schema.json`, so",
        "editors with the YAML language server check it as you type (`clausebook schemas export`",
        "keeps `schemas/` the engine's). `clausebook validate deals/x.yaml`",
        "checks it against the library too (overrides, variants, exclusions).",
        "",
        *table(
            ("Field", "Type", "Required", "Default", "Meaning"),
            _rows(s["properties"], set(s["required"]), ""),
        ),
        "",
        "## Overrides, variant choices and exclusions",
        "",
        "```yaml",
        "overrides:                 # clause-id -> parameter -> value; checked against type and bounds",
        "  service-credits: {at_risk_percent: 15}",
        "variants:                  # pick a variant by hand (it must suit the deal's maturity)",
        "  limitation-of-liability: balanced",
        "exclude: [benchmarking]    # leave out an optional clause; an error if another clause requires it",
        "```",
        "",
    ]
    return "\n".join(lines)
