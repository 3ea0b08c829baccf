"""A value against its Parameter: the type and bound checks every stage shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Diagnostic, did_you_mean
from ..model import Clause, Parameter
from ..source import Pointer, SourceFile


def parameter(name: str, spec: Mapping[str, Any]) -> Parameter:
    fields = tuple((k, parameter(k, v)) for k, v in (spec.get("fields") or {}).items())
    items = parameter("item", spec["items"]) if "items" in spec else None
    return Parameter(
        name=name,
        type=spec["type"],
        default=spec.get("default"),
        minimum=spec.get("minimum"),
        maximum=spec.get("maximum"),
        unit=spec.get("unit"),
        choices=tuple(spec.get("choices") or ()),
        fields=fields,
        items=items,
        description=spec.get("description", ""),
        max_length=spec.get("max_length"),
        min_items=spec.get("min_items"),
        max_items=spec.get("max_items"),
        deal_supplied=bool(spec.get("deal_supplied", False)),
    )


def value_problems(p: Parameter, value: Any, label: str) -> list[tuple[str, Pointer]]:
    """Type and bound problems of ``value`` for parameter ``p``, each with a sub-pointer."""
    t = p.type
    if t in ("integer", "number", "percent", "money"):
        ok = isinstance(value, int) if t == "integer" else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            kind = "a whole number" if t == "integer" else "a number"
            return [(f"{label} must be {kind}, got {value!r}", ())]
        if p.minimum is not None and value < p.minimum:
            return [(f"{label} = {value} is below the minimum of {p.minimum:g}", ())]
        if p.maximum is not None and value > p.maximum:
            return [(f"{label} = {value} is above the maximum of {p.maximum:g}", ())]
        return []
    if t == "boolean":
        return (
            []
            if isinstance(value, bool)
            else [(f"{label} must be true or false, got {value!r}", ())]
        )
    if t in ("string", "enum", "date"):
        if not isinstance(value, str):
            return [(f"{label} must be text, got {value!r}", ())]
        if t == "enum" and value not in p.choices:
            return [(f"{label} = {value!r} is not one of: {', '.join(p.choices)}", ())]
        if t == "date":
            import datetime as dt

            try:
                dt.date.fromisoformat(value)
            except ValueError:
                return [(f"{label} = {value!r} is not a date (YYYY-MM-DD)", ())]
        if p.max_length is not None and len(value) > p.max_length:
            return [(f"{label} is longer than {p.max_length} characters", ())]
        return []
    if t == "record":
        return _record_problems(p, value, label, ())
    if t == "list":
        if not isinstance(value, list):
            return [(f"{label} must be a list, got {value!r}", ())]
        out: list[tuple[str, Pointer]] = []
        if p.min_items is not None and len(value) < p.min_items:
            out.append((f"{label} needs at least {p.min_items} items", ()))
        if p.max_items is not None and len(value) > p.max_items:
            out.append((f"{label} has more than {p.max_items} items", ()))
        for i, item in enumerate(value):
            if p.fields:
                out.extend(_record_problems(p, item, f"{label}[{i}]", (i,)))
            elif p.items is not None:
                out.extend(
                    (m, (i,) + sub) for m, sub in value_problems(p.items, item, f"{label}[{i}]")
                )
        return out
    return [(f"{label}: unknown parameter type {t!r}", ())]


def _record_problems(
    p: Parameter, value: Any, label: str, at: Pointer
) -> list[tuple[str, Pointer]]:
    if not isinstance(value, dict):
        return [(f"{label} must be a mapping of {', '.join(k for k, _ in p.fields)}", at)]
    out: list[tuple[str, Pointer]] = []
    names = {k for k, _ in p.fields}
    for key in value:
        if key not in names:
            out.append(
                (
                    f"{label} has unknown field '{key}' (expected: {', '.join(sorted(names))})",
                    at + (key,),
                )
            )
    for key, sub in p.fields:
        if key not in value:
            out.append((f"{label} is missing field '{key}'", at))
        else:
            out.extend(
                (m, at + (key,) + s) for m, s in value_problems(sub, value[key], f"{label}.{key}")
            )
    return out


def unknown_clause(cid: str, clauses: Mapping[str, Clause]) -> str:
    return f"unknown clause '{cid}'{did_you_mean(cid, clauses)}"


def override_problems(
    src: SourceFile,
    ptr: Pointer,
    cid: str,
    values: Mapping[str, Any],
    clauses: Mapping[str, Clause],
) -> list[Diagnostic]:
    c = clauses.get(cid)
    if c is None:
        return [src.diag(ptr, "unknown-clause", unknown_clause(cid, clauses), key=True)]
    out: list[Diagnostic] = []
    for name, value in values.items():
        p = c.parameter(name)
        if p is None:
            names = [q.name for q in c.parameters]
            hint = did_you_mean(name, names)
            out.append(
                src.diag(
                    ptr + (name,),
                    "unknown-parameter",
                    f"clause '{cid}' has no parameter '{name}'{hint}",
                    key=True,
                )
            )
            continue
        for msg, sub in value_problems(p, value, f"{cid}.{name}"):
            out.append(src.diag(ptr + (name,) + sub, "parameter-value", msg))
    return out
