"""Stage 2 — schema and cross-file checks; every error is collected before any is reported."""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from .errors import ContentError, Diagnostic, usage
from .load import Pointer, SourceFile, discover, read_yaml
from .model import Article, Clause, Deal, Library, Parameter, Playbook, Rule, Variant
from .positions import approval_errors, position_errors
from .render import CONTEXT_NAMES, deal_paths, name_lines, ref_targets, undeclared

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


def _field(path: Iterable[str | int]) -> str:
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
        where = _field(pointer)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = list(err.schema.get("properties", {}))
            for key in err.instance:
                if key in allowed:
                    continue
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
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


# ---- parameter values -----------------------------------------------------------


def _param(name: str, spec: Mapping[str, Any]) -> Parameter:
    fields = tuple((k, _param(k, v)) for k, v in (spec.get("fields") or {}).items())
    items = _param("item", spec["items"]) if "items" in spec else None
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


# ---- clauses ------------------------------------------------------------------------


def build_clause(src: SourceFile) -> Clause:
    d = src.data
    variants = tuple(
        Variant(
            id=v["id"],
            stance=v["stance"],
            maturity=tuple(sorted(v["maturity"])),
            text=v["text"],
            notes=v["notes"],
            guidance=v["guidance"],
            when=v.get("when"),
            title=v.get("title"),
            parameters=tuple((v.get("parameters") or {}).items()),
            deprecated=bool(v.get("deprecated", False)),
            index=i,
        )
        for i, v in enumerate(d["variants"])
    )
    return Clause(
        id=d["id"],
        title=d["title"],
        topic=d["topic"],
        kind=d.get("kind", "clause"),
        version=d["version"],
        status=d["status"],
        owner=d["owner"],
        summary=d["summary"],
        requires=tuple(d.get("requires") or ()),
        defines=tuple((d.get("defines") or {}).items()),
        parameters=tuple(_param(k, v) for k, v in (d.get("parameters") or {}).items()),
        variants=variants,
        source=src,
    )


def _template_checks(
    src: SourceFile,
    pointer: Pointer,
    text: str,
    allowed: frozenset[str],
    known_ids: frozenset[str],
    expression: bool = False,
) -> list[Diagnostic]:
    """Syntax, undefined names, unknown deal fields and unknown ref targets of one template."""
    line0, col0 = src.where(pointer)
    source = "{% if " + text + " %}1{% endif %}" if expression else text

    def at(lineno: int, rule: str, message: str) -> Diagnostic:
        return Diagnostic(src.path, line0 + lineno - 1, col0, rule, message)

    try:
        ast, names = undeclared(source)
    except jinja2.TemplateSyntaxError as exc:
        return [at(exc.lineno or 1, "template-syntax", f"template syntax error: {exc.message}")]
    except RecursionError:
        return [at(1, "template-syntax", "template syntax error: expressions nested too deeply")]
    out: list[Diagnostic] = []
    from .sandbox import unsafe_constructs

    out.extend(at(lineno, "template-unsafe", msg) for lineno, msg in unsafe_constructs(ast))
    for name in sorted(names - allowed):
        hint = difflib.get_close_matches(name, sorted(allowed - CONTEXT_NAMES), n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        where = "the deal" if expression else "the clause's parameters or the deal"
        out.append(
            at(
                name_lines(ast, name),
                "undefined-variable",
                f"'{name}' is not defined by {where}{extra}",
            )
        )
    for path, lineno in deal_paths(ast):
        problem = _deal_path_problem(path)
        if problem:
            out.append(at(lineno, "unknown-deal-field", problem))
    for target, lineno in ref_targets(ast):
        if target not in known_ids:
            out.append(at(lineno, "unknown-ref", f"ref('{target}') names no clause in the library"))
    return out


def _deal_path_problem(path: tuple[str, ...]) -> str | None:
    node: Mapping[str, Any] = schema("deal")
    for i, part in enumerate(path):
        props = node.get("properties")
        if props is None:
            return None  # open mapping (overrides, volumes...) or a list: nothing more to check
        if part not in props:
            if node.get("additionalProperties", True) is not False:
                return None
            dotted = ".".join(path[: i + 1])
            close = difflib.get_close_matches(part, list(props), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return f"the deal has no field 'deal.{dotted}'{hint}"
        node = props[part]
    return None


def check_clause(c: Clause, known_ids: frozenset[str]) -> list[Diagnostic]:
    src = c.source
    out: list[Diagnostic] = []
    path = PurePosixPath(src.path)
    if c.id != path.stem:
        out.append(
            src.diag(
                ("id",), "id-mismatch", f"clause id '{c.id}' must equal the file name '{path.stem}'"
            )
        )
    if c.topic != path.parent.name:
        out.append(
            src.diag(
                ("topic",),
                "topic-mismatch",
                f"topic '{c.topic}' must equal the folder '{path.parent.name}'",
            )
        )
    params = {p.name: p for p in c.parameters}
    for p in c.parameters:
        ptr: Pointer = ("parameters", p.name)
        if p.default is None:
            out.append(src.diag(ptr, "parameter-default", f"parameter '{p.name}' needs a default"))
        else:
            for msg, sub in value_problems(p, p.default, f"default of '{p.name}'"):
                out.append(src.diag(ptr + ("default",) + sub, "parameter-value", msg))
        if p.type == "enum" and not p.choices:
            out.append(src.diag(ptr, "parameter-type", f"enum parameter '{p.name}' needs choices"))
        if p.type in ("record",) and not p.fields:
            out.append(src.diag(ptr, "parameter-type", f"record parameter '{p.name}' needs fields"))
        if p.type == "list" and not p.fields and p.items is None:
            out.append(
                src.diag(ptr, "parameter-type", f"list parameter '{p.name}' needs fields or items")
            )
        if p.minimum is not None and p.maximum is not None and p.minimum > p.maximum:
            out.append(
                src.diag(ptr, "parameter-bounds", f"minimum of '{p.name}' is above its maximum")
            )
    allowed = frozenset(params) | CONTEXT_NAMES
    seen: dict[str, int] = {}
    for v in c.variants:
        vptr: Pointer = ("variants", v.index)
        if v.id in seen:
            out.append(
                src.diag(vptr + ("id",), "duplicate-variant", f"variant id '{v.id}' is used twice")
            )
        seen[v.id] = v.index
        for name, value in v.parameters:
            vp = params.get(name)
            if vp is None:
                out.append(
                    src.diag(
                        vptr + ("parameters", name),
                        "unknown-parameter",
                        f"variant sets unknown parameter '{name}'",
                        key=True,
                    )
                )
                continue
            for msg, sub in value_problems(vp, value, f"'{name}'"):
                out.append(src.diag(vptr + ("parameters", name) + sub, "parameter-value", msg))
        out.extend(_template_checks(src, vptr + ("text",), v.text, allowed, known_ids))
        if v.when:
            out.extend(
                _template_checks(
                    src, vptr + ("when",), v.when, frozenset({"deal"}), known_ids, expression=True
                )
            )
    for term, definition in c.defines:
        out.extend(_template_checks(src, ("defines", term), definition, allowed, known_ids))
    stances = {v.stance for v in c.variants if not v.deprecated}
    for needed in ("client", "balanced"):
        if needed not in stances:
            out.append(
                src.diag(("variants",), "missing-stance", f"clause has no '{needed}' variant")
            )
    return out


def _cycles(clauses: Mapping[str, Clause]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    state: dict[str, int] = {}

    def visit(cid: str, stack: list[str]) -> None:
        state[cid] = 1
        for dep in clauses[cid].requires:
            if dep not in clauses:
                continue
            if state.get(dep) == 1:
                cycle = " -> ".join(stack[stack.index(dep) :] + [dep]) if dep in stack else dep
                c = clauses[cid]
                i = c.requires.index(dep)
                out.append(
                    c.source.diag(
                        ("requires", i), "requires-cycle", f"'requires' forms a cycle: {cycle}"
                    )
                )
            elif dep not in state:
                visit(dep, stack + [dep])
        state[cid] = 2

    for cid in sorted(clauses):
        if cid not in state:
            visit(cid, [cid])
    return out


# ---- playbooks ------------------------------------------------------------------------


def build_playbook(src: SourceFile) -> Playbook:
    d = src.data
    return Playbook(
        id=d["id"],
        title=d["title"],
        structure=tuple(
            Article(a["article"], tuple(a["clauses"]), i) for i, a in enumerate(d["structure"])
        ),
        schedules=tuple(d.get("schedules") or ()),
        rules=tuple(
            Rule(r["id"], r["when"], tuple(r["include"]), r["reason"], i)
            for i, r in enumerate(d.get("rules") or ())
        ),
        parameters={k: dict(v) for k, v in (d.get("parameters") or {}).items()},
        source=src,
        data=d,
    )


def check_playbook(pb: Playbook, clauses: Mapping[str, Clause]) -> list[Diagnostic]:
    src = pb.source
    out: list[Diagnostic] = []
    if pb.id != PurePosixPath(src.path).stem:
        out.append(
            src.diag(("id",), "id-mismatch", f"playbook id '{pb.id}' must equal the file name")
        )
    placed: dict[str, str] = {}

    def place(cid: str, ptr: Pointer, kind: str) -> None:
        if cid in placed:
            out.append(
                src.diag(
                    ptr,
                    "duplicate-clause",
                    f"clause '{cid}' is placed twice (also in {placed[cid]})",
                )
            )
            return
        placed[cid] = _field(ptr)
        c = clauses.get(cid)
        if c is None:
            out.append(src.diag(ptr, "unknown-clause", _unknown(cid, clauses)))
        elif c.kind != kind:
            out.append(
                src.diag(
                    ptr, "clause-kind", f"'{cid}' is a {c.kind}; it cannot be placed among {kind}s"
                )
            )

    for a in pb.structure:
        for j, cid in enumerate(a.clauses):
            place(cid, ("structure", a.index, "clauses", j), "clause")
    for j, cid in enumerate(pb.schedules):
        place(cid, ("schedules", j), "schedule")
    known = frozenset(clauses)
    for r in pb.rules:
        out.extend(
            _template_checks(
                src, ("rules", r.index, "when"), r.when, frozenset({"deal"}), known, expression=True
            )
        )
        for j, cid in enumerate(r.include):
            if cid not in placed:
                out.append(
                    src.diag(
                        ("rules", r.index, "include", j),
                        "unknown-clause",
                        f"rule includes '{cid}', which the structure does not place",
                    )
                )
    for cid, values in pb.parameters.items():
        out.extend(_override_problems(src, ("parameters", cid), cid, values, clauses))
    out.extend(position_errors(pb, clauses))
    return out


def _unknown(cid: str, clauses: Mapping[str, Clause]) -> str:
    close = difflib.get_close_matches(cid, list(clauses), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown clause '{cid}'{hint}"


def _override_problems(
    src: SourceFile,
    ptr: Pointer,
    cid: str,
    values: Mapping[str, Any],
    clauses: Mapping[str, Clause],
) -> list[Diagnostic]:
    c = clauses.get(cid)
    if c is None:
        return [src.diag(ptr, "unknown-clause", _unknown(cid, clauses), key=True)]
    out: list[Diagnostic] = []
    for name, value in values.items():
        p = c.parameter(name)
        if p is None:
            names = [q.name for q in c.parameters]
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
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


# ---- the library -------------------------------------------------------------------------


def library_root(path: str | Path | None) -> Path:
    root = Path(path) if path is not None else Path.cwd()
    if not root.is_dir():
        raise usage(str(root), "not-a-library", "library folder not found")
    if not (root / "clauses").is_dir():
        raise usage(
            str(root),
            "not-a-library",
            "not a Clausebook library: it has no clauses/ folder (use --library PATH)",
        )
    return root


def load_library(root: Path) -> Library:
    """Load and validate a whole library; raise ContentError listing every problem.

    A library that validated before with exactly these file contents comes from the cache.
    """
    from dataclasses import replace

    from . import cache
    from .load import library_files

    key = ""
    if cache.enabled():
        files = []
        for p in library_files(root):
            try:
                if not _plain_file(p):  # a link to /dev/zero must not be read to hash it
                    raise OSError(str(p))
                files.append((p.relative_to(root).as_posix(), p.read_bytes()))
            except OSError:
                files = []
                break
        key = cache.library_key(files) if files else ""
        hit = cache.load("library", key) if key else None
        if isinstance(hit, Library):
            return replace(hit, root=str(root))
    lib = _load_library(root)
    if key:
        cache.store("library", key, lib)
    return lib


def _plain_file(p: Path) -> bool:
    import stat

    from .load import current_limits

    st = p.lstat()
    return stat.S_ISREG(st.st_mode) and st.st_size <= current_limits().max_bytes


def _load_library(root: Path) -> Library:
    clause_files, playbook_files, errors = discover(root)
    clauses: dict[str, Clause] = {}
    for src in clause_files:
        errs = schema_errors(src, "clause")
        if errs:
            errors.extend(errs)
            continue
        c = build_clause(src)
        if c.id in clauses:
            first = clauses[c.id].source.path
            errors.append(
                src.diag(("id",), "duplicate-id", f"clause id '{c.id}' is already used by {first}")
            )
            continue
        clauses[c.id] = c
    known = frozenset(clauses)
    terms: dict[str, str] = {}
    for c in clauses.values():
        errors.extend(check_clause(c, known))
        for i, dep in enumerate(c.requires):
            if dep not in clauses:
                errors.append(
                    c.source.diag(
                        ("requires", i), "unknown-clause", f"requires {_unknown(dep, clauses)}"
                    )
                )
        for term, _ in c.defines:
            if term in terms:
                errors.append(
                    c.source.diag(
                        ("defines", term),
                        "duplicate-term",
                        f"term '{term}' is already defined by {terms[term]}",
                        key=True,
                    )
                )
            else:
                terms[term] = c.source.path
    errors.extend(_cycles(clauses))
    playbooks: dict[str, Playbook] = {}
    for src in playbook_files:
        errs = schema_errors(src, "playbook")
        if errs:
            errors.extend(errs)
            continue
        pb = build_playbook(src)
        errors.extend(check_playbook(pb, clauses))
        playbooks[pb.id] = pb
    if errors:
        raise ContentError(errors)
    files = tuple(clause_files) + tuple(playbook_files)
    return Library(str(root), clauses, playbooks, files)


# ---- deals --------------------------------------------------------------------------------


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


def load_deal(lib: Library, path: Path, display: str | None = None) -> Deal:
    from .build import deal_display

    display = display or deal_display(Path(lib.root), path)
    src = read_yaml(path, display)
    errors = _deal_schema_errors(src)
    if errors:
        raise ContentError(errors)
    data = fill_defaults(schema("deal"), src.data)
    errors = check_deal_refs(lib, src, data)
    if errors:
        raise ContentError(errors)
    return Deal(id=data["id"], name=path.stem, data=data, source=src)


def _deal_schema_errors(src: SourceFile) -> list[Diagnostic]:
    """Schema errors of a deal; a deal file that passed before (same bytes) is not checked again."""
    from . import cache

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
        out.extend(_override_problems(src, ("overrides", cid), cid, values, lib.clauses))
    for cid, vid in data["variants"].items():
        c = lib.clauses.get(cid)
        if c is None:
            out.append(
                src.diag(("variants", cid), "unknown-clause", _unknown(cid, lib.clauses), key=True)
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
            out.append(src.diag(("exclude", i), "unknown-clause", _unknown(cid, lib.clauses)))
    for i, appr in enumerate(data["approvals"]):
        if appr["clause"] not in lib.clauses:
            out.append(
                src.diag(
                    ("approvals", i, "clause"),
                    "unknown-clause",
                    _unknown(appr["clause"], lib.clauses),
                )
            )
    out.extend(approval_errors(lib, src, data))
    return out


def check_deal_files(root: Path, paths: Iterable[Path], lib: Library | None) -> list[Diagnostic]:
    """Every problem of the given deal files: schema, and cross-references when a library loaded."""
    from .build import deal_display

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
