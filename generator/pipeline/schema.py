"""The JSON Schemas shipped in the package: checking a file against one, and filling defaults."""

from __future__ import annotations

import copy
import json
import types
from collections.abc import Callable, Iterable, Mapping
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


# jsonschema's "date" check (ASCII YYYY-MM-DD that date.fromisoformat accepts) as one pattern:
# a real calendar date of years 0001-9999. The fast validator accepts no date jsonschema refuses.
_DATE = (
    r"^(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)\Z"
)


@cache
def _fast(name: str) -> Callable[[Any], Any] | None:
    """A validator generated from the schema by fastjsonschema: it only says valid or not, and
    in a few milliseconds where importing jsonschema takes 56. Its code is generated once and
    kept compiled in the cache (named by the engine, so by the schema, and by its version)."""
    try:
        import fastjsonschema
    except ImportError:  # the jsonschema path alone is still complete
        return None
    from .. import cache as kept

    key = f"{name}|{fastjsonschema.VERSION}"
    hit = kept.load("validators", key)
    code = hit.get(name) if isinstance(hit, dict) else None
    if not isinstance(code, types.CodeType):

        def no_retrieval(uri: str) -> Any:
            raise ValueError(f"a schema may not fetch {uri}")

        source = fastjsonschema.compile_to_code(
            schema(name),
            handlers={"http": no_retrieval, "https": no_retrieval},
            formats={"date": _DATE},
            use_default=False,  # never fill defaults into the data it checks
            detailed_exceptions=False,
        )
        code = compile(source, f"<{name} schema validator>", "exec")
        kept.store("validators", key, {name: code})
    space: dict[str, Any] = {}
    exec(code, space)
    entry = next(v for k, v in space.items() if k.startswith("validate_"))
    return entry  # type: ignore[no-any-return]


def fast_valid(name: str, data: Any) -> bool:
    """True only when the data certainly meets the schema; False sends it to jsonschema."""
    check = _fast(name)
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # invalid, or a value it cannot judge: jsonschema words the verdict
        return False
    return True


def field_name(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def schema_errors(src: SourceFile, name: str) -> list[Diagnostic]:
    if not isinstance(src.data, dict):
        return [src.diag((), "schema", f"expected a YAML mapping of {name} fields")]
    if fast_valid(name, src.data):
        return []
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
