"""Stage 2 — the library built from its files, with every cross-file check; every error is
collected before any is reported. A library that validated before with exactly these file
contents comes from the cache."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from .. import cache
from ..errors import ContentError, Diagnostic, did_you_mean
from ..model import SOW_TOPIC, Article, Clause, Library, Playbook, Rule, Variant
from ..source import Pointer, SourceFile
from . import checkcache
from .files import discover, library_files, path_problem
from .load import read_plain
from .positions import position_errors, read_positions
from .sandbox import SANDBOX_REVISION, unsafe_constructs
from .schema import field_name, schema, schema_errors
from .templates import CONTEXT_NAMES, deal_paths, name_lines, ref_targets, undeclared
from .values import override_problems, parameter, unknown_clause, value_problems

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
        parameters=tuple(parameter(k, v) for k, v in (d.get("parameters") or {}).items()),
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
    found, refs = checkcache.shared().findings(
        source, allowed, expression, lambda: _findings(source, allowed, expression)
    )
    out = [Diagnostic(src.path, line0 + n - 1, col0, rule, msg) for n, rule, msg in found]
    for target, lineno in refs:
        if target not in known_ids:
            msg = f"ref('{target}') names no clause in the library"
            out.append(Diagnostic(src.path, line0 + lineno - 1, col0, "unknown-ref", msg))
    return out


def _findings(source: str, allowed: frozenset[str], expression: bool) -> checkcache.Findings:
    """What one template's checks find, by line of the template; and the ref targets it names."""
    try:
        ast, names = undeclared(source)
    except jinja2.TemplateSyntaxError as exc:
        return ((exc.lineno or 1, "template-syntax", f"template syntax error: {exc.message}"),), ()
    except RecursionError:
        return ((1, "template-syntax", "template syntax error: expressions nested too deeply"),), ()
    out = [(lineno, "template-unsafe", msg) for lineno, msg in unsafe_constructs(ast)]
    for name in sorted(names - allowed):
        extra = did_you_mean(name, sorted(allowed - CONTEXT_NAMES))
        where = "the deal" if expression else "the clause's parameters or the deal"
        out.append(
            (
                name_lines(ast, name),
                "undefined-variable",
                f"'{name}' is not defined by {where}{extra}",
            )
        )
    for path, lineno in deal_paths(ast):
        problem = _deal_path_problem(path)
        if problem:
            out.append((lineno, "unknown-deal-field", problem))
    return tuple(out), tuple(ref_targets(ast))


# Fields load_deal derives from what the deal states (never written in a deal file).
DERIVED_DEAL_FIELDS = frozenset({("delivery", "countries")})


def _deal_path_problem(path: tuple[str, ...]) -> str | None:
    if path[:2] in DERIVED_DEAL_FIELDS:
        return None
    node: Mapping[str, Any] = schema("deal")
    for i, part in enumerate(path):
        props = node.get("properties")
        if props is None:
            return None  # open mapping (overrides, volumes...) or a list: nothing more to check
        if part not in props:
            if node.get("additionalProperties", True) is not False:
                return None
            dotted = ".".join(path[: i + 1])
            hint = did_you_mean(part, props)
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
    out.extend(_parameter_checks(c))
    allowed = frozenset(p.name for p in c.parameters) | CONTEXT_NAMES
    out.extend(_variant_checks(c, allowed, known_ids))
    for term, definition in c.defines:
        out.extend(_template_checks(src, ("defines", term), definition, allowed, known_ids))
    stances = {v.stance for v in c.variants if not v.deprecated}
    for needed in ("client", "balanced") if c.topic != SOW_TOPIC else ():
        if needed not in stances:
            out.append(
                src.diag(("variants",), "missing-stance", f"clause has no '{needed}' variant")
            )
    return out


def _parameter_checks(c: Clause) -> list[Diagnostic]:
    src = c.source
    out: list[Diagnostic] = []
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
    return out


def _variant_checks(
    c: Clause, allowed: frozenset[str], known_ids: frozenset[str]
) -> list[Diagnostic]:
    src = c.source
    params = {p.name: p for p in c.parameters}
    out: list[Diagnostic] = []
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
        positions=read_positions(d["id"], d, src),
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
        placed[cid] = field_name(ptr)
        c = clauses.get(cid)
        if c is None:
            out.append(src.diag(ptr, "unknown-clause", unknown_clause(cid, clauses)))
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
        out.extend(override_problems(src, ("parameters", cid), cid, values, clauses))
    out.extend(position_errors(pb, clauses))
    return out


# ---- the library -------------------------------------------------------------------------


def load_library(root: Path) -> Library:
    """Load and validate a whole library; raise ContentError listing every problem.

    A library that validated before with exactly these file contents comes from the cache. The
    bytes hashed for the key are the bytes parsed: a file changed in between (a `git pull`
    during a draft) cannot put one version's text under the other's key.
    """
    from dataclasses import replace

    key = ""
    contents: dict[Path, bytes] = {}
    if cache.enabled():
        for p in library_files(root):
            if path_problem(root, p, p.name) is not None:
                contents = {}  # refused anyway: the full load reports it
                break
            try:
                contents[p] = read_plain(p, p.name)  # never follows a link to /dev/zero
            except ContentError:
                contents = {}
                break
        # Templates are checked by the sandbox: a change to it must re-validate the library.
        files = [(p.relative_to(root).as_posix(), data) for p, data in contents.items()]
        key = cache.library_key(files, SANDBOX_REVISION) if files else ""
        hit = cache.load("library", key) if key else None
        if isinstance(hit, Library):
            return replace(hit, root=str(root))
    lib = _load_library(root, contents)
    if key:
        cache.store("library", key, lib)
    return lib


def _load_library(root: Path, contents: Mapping[Path, bytes] | None = None) -> Library:
    clause_files, playbook_files, errors = discover(root, contents)
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
                        ("requires", i),
                        "unknown-clause",
                        f"requires {unknown_clause(dep, clauses)}",
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
    checkcache.shared().flush()
    if errors:
        raise ContentError(errors)
    files = tuple(clause_files) + tuple(playbook_files)
    return Library(str(root), clauses, playbooks, files)
