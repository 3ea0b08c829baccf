"""The JSON Schemas shipped in the package: checking a file against one, and filling defaults."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from ..errors import Diagnostic, did_you_mean
from ..source import Pointer, SourceFile

SCHEMAS = ("clause", "deal", "playbook")


@cache
def schema(name: str) -> dict[str, Any]:
    """The product's own schema, shipped in the package (never the library's copy)."""
    text = (
        resources.files("generator").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    def no_retrieval(uri: str) -> Resource[Any]:
        # A schema may never make us fetch anything: no network, no files.
        from referencing.exceptions import NoSuchResource

        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]

    registry: Registry[Any] = Registry(retrieve=no_retrieval)  # type: ignore[call-arg]
    for other in SCHEMAS:
        s = schema(other)
        registry = registry.with_resource(s["$id"], Resource.from_contents(s))
    return Draft202012Validator(
        schema(name), registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def field_name(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def schema_errors(src: SourceFile, name: str) -> list[Diagnostic]:
    if not isinstance(src.data, dict):
        return [src.diag((), "schema", f"expected a YAML mapping of {name} fields")]
    out: list[Diagnostic] = []
    for err in _validator(name).iter_errors(src.data):
        pointer: Pointer = tuple(err.absolute_path)
        where = field_name(pointer)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = list(err.schema.get("properties", {}))
            for key in err.instance:
                if key in allowed:
                    continue
                hint = did_you_mean(key, allowed)
                place = f" in {where}" if pointer else ""
                out.append(
                    src.diag(
                        pointer + (key,), "schema", f"unknown field '{key}'{place}{hint}", key=True
                    )
                )
            continue
        if err.validator == "required":
            missing = str(err.message).split("'")[1] if "'" in err.message else err.message
            place = f" in {where}" if pointer else ""
            out.append(
                src.diag(pointer, "schema", f"missing required field '{missing}'{place}", key=True)
            )
            continue
        if err.validator == "enum":
            choices = ", ".join(str(c) for c in err.validator_value)
            out.append(
                src.diag(pointer, "schema", f"{where}: {err.instance!r} is not one of: {choices}")
            )
            continue
        if err.validator == "pattern" and err.validator_value == r"^[a-z0-9][a-z0-9-]{0,63}$":
            out.append(
                src.diag(
                    pointer,
                    "schema",
                    f"{where}: {err.instance!r} is not a kebab-case id (a-z, 0-9, '-')",
                )
            )
            continue
        if err.validator == "maxLength":  # never echo a huge hostile value back
            out.append(
                src.diag(
                    pointer, "schema", f"{where} is longer than {err.validator_value} characters"
                )
            )
            continue
        if err.validator == "propertyNames":
            out.append(src.diag(pointer, "schema", f"{where}: {err.message}", key=True))
            continue
        out.append(src.diag(pointer, "schema", f"{where}: {err.message}"))
    return out


def fill_defaults(node_schema: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Give every optional field a value, so templates can test it without StrictUndefined."""
    out = dict(data)
    for key, prop in (node_schema.get("properties") or {}).items():
        if key in out:
            if isinstance(out[key], dict) and "properties" in prop:
                out[key] = fill_defaults(prop, out[key])
            continue
        if "default" in prop:
            out[key] = copy.deepcopy(prop["default"])
        elif prop.get("type") == "object" and "properties" in prop and key != "renewal":
            out[key] = fill_defaults(prop, {})
        elif prop.get("type") == "object":
            out[key] = {} if key != "renewal" else None
        elif prop.get("type") == "array":
            out[key] = []
        else:
            out[key] = None
    return out
