"""Stage 4 — render selected clauses into the document model.

All clause text goes through one sandboxed Jinja environment. Clause text comes from pull
requests, so it must never reach Python internals or change deal data: the immutable sandbox
blocks both, StrictUndefined turns a misspelt name into an error, and there is no loader, so
``{% include %}`` and ``{% import %}`` cannot read files.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from . import sandbox
from . import words as w
from .errors import ContentError, Diagnostic
from .model import (
    Block,
    Document,
    Para,
    RenderedArticle,
    RenderedClause,
    Run,
    Selected,
    Selection,
    Table,
)

REF_OPEN, REF_CLOSE = "\ue000", "\ue001"  # private-use marks: the loader refuses them in input
_REF_RX = re.compile(f"{REF_OPEN}([a-z0-9-]+){REF_CLOSE}")


@dataclass(frozen=True)
class RenderLimits:
    """Per-clause limits; defaults and environment variables in docs/security.md."""

    max_output_chars: int = 262_144
    max_seconds: float = 4.0
    max_memory_bytes: int = 256 * 2**20  # on top of what the process already uses (Linux)

    @classmethod
    def from_env(cls) -> RenderLimits:
        from .limits import env_int, env_number

        return cls(
            max_output_chars=env_int("CLAUSEBOOK_MAX_OUTPUT_CHARS"),
            max_seconds=env_number("CLAUSEBOOK_RENDER_SECONDS"),
            max_memory_bytes=env_int("CLAUSEBOOK_RENDER_MEMORY_MB") * 2**20,
        )


DEFAULT_RENDER_LIMITS = RenderLimits()


class RenderFailure(Exception):
    """A template failed; carries the line inside the template when known."""

    def __init__(self, message: str, lineno: int | None) -> None:
        super().__init__(message)
        self.message, self.lineno = message, lineno


def _currency(ctx: Any) -> str:
    deal = ctx.get("deal") or {}
    pricing = deal.get("pricing") or {}
    return str(pricing.get("currency", ""))


@jinja2.pass_context
def _money(ctx: Any, x: object) -> str:
    return w.money(x, _currency(ctx))


@jinja2.pass_context
def _longdate(ctx: Any, x: object) -> str:
    deal = ctx.get("deal") or {}
    return w.longdate(x, us_style=deal.get("governing_law") in ("new-york", "delaware"))


def _duration_filter(unit: str) -> Callable[[object], str]:
    return lambda n: w.duration(n, unit)


def make_env() -> ImmutableSandboxedEnvironment:
    """The one Jinja environment for every template: sandboxed, strict, no file access."""
    env = sandbox.ClauseSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        loader=None,
    )
    # Only the product's own filters and globals: nothing that calls a callable it is given.
    env.filters.clear()
    env.filters.update(
        {
            "words": w.words,
            "duration": w.duration,
            "minutes": _duration_filter("minutes"),
            "hours": _duration_filter("hours"),
            "business_hours": _duration_filter("business hours"),
            "days": _duration_filter("days"),
            "business_days": _duration_filter("business days"),
            "weeks": _duration_filter("weeks"),
            "months": _duration_filter("months"),
            "years": _duration_filter("years"),
            "number": w.fmt_number,
            "percent": w.percent,
            "money": _money,
            "longdate": _longdate,
            "join_and": w.join_and,
            "label": w.label,
            "labels": lambda xs: [w.label(x) for x in xs],
            "lower": lambda s: str(s).lower(),
            "upper": lambda s: str(s).upper(),
            "capitalize": lambda s: str(s)[:1].upper() + str(s)[1:],
            "length": len,
            "default": lambda v, d="": d if v is None else v,
            "round": lambda x, n=0: round(x, n),
            "int": int,
            "sum": lambda xs, attribute=None: sum(x[attribute] if attribute else x for x in xs),
        }
    )
    env.tests.clear()
    env.tests.update(
        {
            "none": lambda v: v is None,
            "defined": lambda v: not isinstance(v, jinja2.Undefined),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "string": lambda v: isinstance(v, str),
            "in": lambda v, seq: v in seq,
        }
    )
    env.globals.clear()
    env.globals.update({"label": w.label, "range": safe_range})  # range() capped by the sandbox
    return env


# Names every template may use besides the clause's parameters.
CONTEXT_NAMES = frozenset({"deal", "ref", "has", "label", "range", "loop", "true", "false", "none"})


@lru_cache(maxsize=1)
def shared_env() -> ImmutableSandboxedEnvironment:
    return make_env()


_template_cache: dict[str, jinja2.Template] = {}
_code_cache: dict[str, Any] = {}  # sha256 of source -> compiled code, persisted between runs
_code_cache_dirty = False


def compile_template(source: str) -> jinja2.Template:
    global _code_cache_dirty
    tpl = _template_cache.get(source)
    if tpl is None:
        import hashlib

        env = shared_env()
        salted = sandbox.SANDBOX_REVISION + "\0" + source  # sandbox changes recompile
        key = hashlib.sha256(salted.encode("utf-8")).hexdigest()
        code = _code_cache.get(key)
        if code is None:
            code = env.compile(source)
            _code_cache[key] = code
            _code_cache_dirty = True
        tpl = env.template_class.from_code(env, code, env.make_globals(None), None)
        _template_cache[source] = tpl
    return tpl


def load_code_cache(library_key: str) -> None:
    """Compiled templates of earlier runs for this library (see generator/cache.py)."""
    from . import cache

    stored = cache.load("templates", library_key)
    if isinstance(stored, dict):
        _code_cache.update(stored)


def save_code_cache(library_key: str) -> None:
    global _code_cache_dirty
    if _code_cache_dirty:
        from . import cache

        cache.store("templates", library_key, dict(_code_cache))
        _code_cache_dirty = False


def _template_lineno(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# Templates that ran out of time or memory are not run again in this process: validate drafts
# every sample deal, and a busy loop would otherwise cost the whole time limit once per deal.
_exhausted: dict[tuple[str, RenderLimits], RenderFailure] = {}


def run_template(
    source: str, context: Mapping[str, Any], limits: RenderLimits | None = None
) -> str:
    """Render ``source``; raise RenderFailure with a clear message and template line."""
    limits = limits or RenderLimits.from_env()
    spent = _exhausted.get((source, limits))
    if spent is not None:
        raise RenderFailure(spent.message, spent.lineno)
    try:
        tpl = compile_template(source)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderFailure(f"template syntax error: {exc.message}", exc.lineno) from None
    except RecursionError:
        raise RenderFailure("template nested too deeply", None) from None
    out: list[str] = []
    size = 0
    deadline = time.monotonic() + limits.max_seconds
    try:
        with sandbox.guard(limits.max_output_chars, limits.max_seconds, limits.max_memory_bytes):
            for chunk in tpl.generate(**context):
                size += len(chunk)
                if size > limits.max_output_chars:
                    raise RenderFailure(
                        f"rendered text exceeds the limit of {limits.max_output_chars:,} characters",
                        None,
                    )
                if limits.max_seconds and time.monotonic() > deadline:  # the timer's fallback
                    raise RenderFailure(
                        f"rendering took longer than {limits.max_seconds:g} seconds", None
                    )
                out.append(chunk)
    except sandbox.TemplateLimit as exc:
        failure = RenderFailure(str(exc), _template_lineno(exc))
        if isinstance(exc, sandbox.RenderTimeout):
            _exhausted[(source, limits)] = failure
        raise failure from None
    except RenderFailure as f:
        if f.lineno is None:
            f.lineno = _template_lineno(f)
        raise
    except jinja2.UndefinedError as exc:
        raise RenderFailure(f"undefined value: {exc.message}", _template_lineno(exc)) from None
    except jinja2.exceptions.SecurityError as exc:
        raise RenderFailure(
            f"unsafe template operation refused: {exc}", _template_lineno(exc)
        ) from None
    except jinja2.TemplateError as exc:
        msg = str(exc)
        if "no loader" in msg.lower():
            msg = "{% include %}, {% import %} and {% extends %} are not allowed in clause text"
        raise RenderFailure(msg, _template_lineno(exc)) from None
    except RecursionError as exc:
        raise RenderFailure("template recursion too deep", _template_lineno(exc)) from None
    except MemoryError:
        failure = RenderFailure("template used too much memory", None)
        _exhausted[(source, limits)] = failure
        raise failure from None
    except OverflowError as exc:
        raise RenderFailure(f"number too large: {exc}", _template_lineno(exc)) from None
    except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, AttributeError) as exc:
        msg = f"{type(exc).__name__}: {exc}"
        if "no loader" in msg:
            msg = "{% include %}, {% import %} and {% extends %} are not allowed in clause text"
        raise RenderFailure(msg, _template_lineno(exc)) from None
    return "".join(out)


def eval_condition(expr: str, deal: Mapping[str, Any]) -> bool:
    """Evaluate a `when` expression over the deal."""
    result = run_template("{% if " + expr + " %}1{% endif %}", {"deal": deal})
    return result == "1"


# ---- template analysis (used by validate) -----------------------------------


def undeclared(source: str) -> tuple[jinja2.nodes.Template, set[str]]:
    from jinja2 import meta

    ast = shared_env().parse(source)
    return ast, set(meta.find_undeclared_variables(ast))


def name_lines(ast: nodes.Template, name: str) -> int:
    for node in ast.find_all(nodes.Name):
        if node.name == name:
            return int(node.lineno)
    return 1


def deal_paths(ast: nodes.Template) -> Iterator[tuple[tuple[str, ...], int]]:
    """Attribute chains read from ``deal``: deal.pricing.model -> ('pricing', 'model')."""
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        chain: list[str] = []
        cur: nodes.Node = node
        while isinstance(cur, nodes.Getattr | nodes.Getitem):
            if isinstance(cur, nodes.Getattr):
                chain.append(cur.attr)
            elif isinstance(cur.arg, nodes.Const) and isinstance(cur.arg.value, str):
                chain.append(cur.arg.value)
            else:
                chain = []
                break
            cur = cur.node
        if chain and isinstance(cur, nodes.Name) and cur.name == "deal":
            yield tuple(reversed(chain)), int(node.lineno)


def ref_targets(ast: nodes.Template) -> Iterator[tuple[str, int]]:
    for call in ast.find_all(nodes.Call):
        if (
            isinstance(call.node, nodes.Name)
            and call.node.name in ("ref", "has")
            and call.args
            and isinstance(call.args[0], nodes.Const)
        ):
            yield str(call.args[0].value), int(call.lineno)


# ---- Markdown -> blocks ------------------------------------------------------


_MAX_NESTING = 20
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]{12,}", re.MULTILINE)


def _too_deep(text: str) -> bool:
    """Past markdown-it's nesting limit, text is silently dropped; a reviewer would miss that.

    Reaching that depth takes a long run of indentation, quote or list markers on some line,
    so only such texts are parsed here.
    """
    if not _DEEP_PREFIX.search(text):
        return False
    return max((t.level for t in _md().parse(text)), default=0) >= _MAX_NESTING - 1


@lru_cache(maxsize=1)
def _md() -> Any:
    from markdown_it import MarkdownIt

    # commonmark passes raw HTML through: turn it off so markup in a clause stays text.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "maxNesting": _MAX_NESTING})
    md.enable("table")
    md.disable(["image", "link", "autolink", "heading", "lheading", "html_block", "html_inline"])
    return md


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def list_label(level: int, index: int) -> str:
    if level == 1:
        return f"({_alpha(index)})"
    if level == 2:
        return f"({_roman(index)})"
    return f"({_alpha(index).upper()})"


def _alpha(index: int) -> str:
    s = ""
    while index > 0:
        index, r = divmod(index - 1, 26)
        s = _LETTERS[r] + s
    return s


def _split_refs(text: str, bold: bool, italic: bool, numbers: Mapping[str, str]) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for m in _REF_RX.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()], bold, italic))
        target = m.group(1)
        runs.append(Run(numbers[target], bold, italic, ref=target))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic))
    return runs


def inline_runs(token: Any, numbers: Mapping[str, str]) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = False
    for child in token.children or []:
        t = child.type
        if t == "strong_open":
            bold = True
        elif t == "strong_close":
            bold = False
        elif t == "em_open":
            italic = True
        elif t == "em_close":
            italic = False
        elif t in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold, italic))
        elif t in ("text", "code_inline"):
            runs.extend(_split_refs(child.content, bold, italic, numbers))
    # merge neighbours with the same formatting: fewer runs, smaller files
    merged: list[Run] = []
    for r in runs:
        if (
            merged
            and merged[-1].ref is None
            and r.ref is None
            and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic)
        ):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic)
        else:
            merged.append(r)
    return tuple(merged)


def parse_blocks(text: str, numbers: Mapping[str, str]) -> list[Block]:
    """Rendered Markdown -> paragraphs, list items (with level) and tables."""
    tokens = _md().parse(text)
    blocks: list[Block] = []
    list_stack: list[dict[str, Any]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            list_stack.append({"ordered": tok.type == "ordered_list_open", "n": 0})
        elif tok.type in ("ordered_list_close", "bullet_list_close"):
            list_stack.pop()
        elif tok.type == "list_item_open":
            list_stack[-1]["n"] += 1
            list_stack[-1]["first"] = True
        elif tok.type == "inline":
            runs = inline_runs(tok, numbers)
            if list_stack and list_stack[-1].get("first"):
                top = list_stack[-1]
                top["first"] = False
                level = sum(1 for s in list_stack if s["ordered"]) or 1
                if top["ordered"]:
                    blocks.append(Para(runs, list_level=level, label=list_label(level, top["n"])))
                else:
                    blocks.append(Para(runs, list_level=len(list_stack), bullet=True, label="•"))
            elif list_stack:  # a further paragraph inside a list item
                blocks.append(Para(runs, list_level=len(list_stack)))
            else:
                blocks.append(Para(runs))
        elif tok.type == "table_open":
            header: list[tuple[Run, ...]] = []
            rows: list[list[tuple[Run, ...]]] = []
            in_head = False
            j = i + 1
            while tokens[j].type != "table_close":
                t = tokens[j]
                if t.type == "thead_open":
                    in_head = True
                elif t.type == "thead_close":
                    in_head = False
                elif t.type == "tr_open" and not in_head:
                    rows.append([])
                elif t.type == "inline":
                    cell = inline_runs(t, numbers)
                    (header.append(cell) if in_head else rows[-1].append(cell))
                j += 1
            width = len(header)
            fixed = tuple(tuple((r + [()] * width)[:width]) for r in rows)
            blocks.append(Table(tuple(header), fixed))
            i = j
        elif tok.type in ("fence", "code_block"):
            # indented text is not code in a contract: keep it as a plain paragraph
            blocks.append(Para((Run(tok.content.strip()),)))
        i += 1
    return blocks


def number_blocks(blocks: list[Block], prefix: str) -> tuple[Block, ...]:
    """Number top-level paragraphs 14.2.1, 14.2.2 when a clause has more than one."""
    top = [b for b in blocks if isinstance(b, Para) and b.list_level == 0]
    if len(top) < 2:
        return tuple(blocks)
    out: list[Block] = []
    n = 0
    for b in blocks:
        if isinstance(b, Para) and b.list_level == 0:
            n += 1
            out.append(Para(b.runs, number=f"{prefix}.{n}" if prefix else f"{n}."))
        else:
            out.append(b)
    return tuple(out)


# ---- the document -------------------------------------------------------------


def _numbers(selection: Selection) -> dict[str, str]:
    out = {}
    for s in selection.all():
        out[s.clause.id] = (
            f"Schedule {s.number}" if s.clause.kind == "schedule" else f"Clause {s.number}"
        )
    return out


def render_document(selection: Selection, limits: RenderLimits | None = None) -> Document:
    limits = limits or RenderLimits.from_env()
    deal = selection.deal
    numbers = _numbers(selection)
    included = frozenset(numbers)
    errors: list[Diagnostic] = []

    def ref(target: object) -> str:
        key = str(target)
        if key not in numbers:
            raise RenderFailure(
                f"ref('{key}') names a clause that is not in this draft; guard it with has('{key}')",
                None,
            )
        return f"{REF_OPEN}{key}{REF_CLOSE}"

    def has(target: object) -> bool:
        return str(target) in included

    def render_text(s: Selected, text: str, pointer: tuple[str | int, ...]) -> str | None:
        ctx = dict(s.params)
        ctx.update({"deal": deal.data, "ref": ref, "has": has})
        try:
            out = run_template(text, ctx, limits)
            if _too_deep(out):
                raise RenderFailure(
                    "lists or block quotes are nested too deeply: Markdown would drop the text "
                    "(use at most 8 levels)",
                    None,
                )
            return out
        except RenderFailure as f:
            line, col = s.clause.source.where(pointer)
            if f.lineno is not None:
                line += f.lineno - 1
            errors.append(Diagnostic(s.clause.source.path, line, col, "render", f.message))
            return None

    rendered: dict[str, RenderedClause] = {}
    bodies: list[str] = []
    for s in selection.all():
        text = render_text(s, s.variant.text, ("variants", s.variant.index, "text"))
        if text is None:
            continue
        bodies.append(text)
        prefix = s.number if s.clause.kind == "clause" else ""
        blocks = number_blocks(parse_blocks(text, numbers), prefix)
        rendered[s.clause.id] = RenderedClause(
            id=s.clause.id,
            number=s.number,
            title=s.variant.title or s.clause.title,
            blocks=blocks,
            kind=s.clause.kind,
            notes=s.variant.notes,
            guidance=s.variant.guidance,
            variant=s.variant.id,
        )

    # Definitions: every term any included clause defines, kept only if the draft uses it.
    candidates: dict[str, str] = {}
    for s in selection.all():
        for term, definition in s.clause.defines:
            text = render_text(s, definition, ("defines", term))
            if text is not None:
                candidates[term] = text
    if errors:
        raise ContentError(errors)
    used = _used_terms(candidates, bodies)
    definitions = tuple(
        (
            term,
            (
                Run(f"\u201c{term}\u201d", bold=True),
                Run(" means "),
                *_def_runs(candidates[term], numbers),
            ),
        )
        for term in sorted(used, key=str.casefold)
    )
    if "definitions" in rendered and definitions:
        d = rendered["definitions"]
        extra = tuple(Para(runs, list_level=0, label="definition") for _, runs in definitions)
        rendered["definitions"] = RenderedClause(
            d.id, d.number, d.title, d.blocks + extra, d.kind, d.notes, d.guidance, d.variant
        )

    articles = tuple(
        RenderedArticle(a.number, a.title, tuple(rendered[c.clause.id] for c in a.clauses))
        for a in selection.articles
    )
    schedules = tuple(rendered[s.clause.id] for s in selection.schedules)
    status = deal.data.get("status", "draft")
    data = deal.data
    us = data["governing_law"] in ("new-york", "delaware")
    return Document(
        title=str(data["title"]),
        deal=data,
        articles=articles,
        schedules=schedules,
        definitions=definitions,
        draft_banner="DRAFT \u2014 subject to contract" if status == "draft" else None,
        date_line=f"Dated {w.longdate(data['effective_date'], us_style=us)}",
        parties=_parties(data),
        signatories=tuple(
            (
                role,
                data[key]["name"],
                (data[key].get("signatory") or {}).get("name") or "",
                (data[key].get("signatory") or {}).get("title") or "",
            )
            for key, role in (("customer", "Customer"), ("supplier", "Supplier"))
        ),
    )


def _parties(data: Mapping[str, Any]) -> tuple[Para, ...]:
    out = []
    for n, (key, role) in enumerate((("customer", "Customer"), ("supplier", "Supplier")), start=1):
        p = data[key]
        desc = p.get("entity_type") or f"a company incorporated in {p['jurisdiction']}"
        text = f", {desc}"
        if p.get("company_number"):
            text += f" (registered number {p['company_number']})"
        if p.get("address"):
            text += f", whose registered office is at {p['address']}"
        text += " (the "
        end = ");" if n == 1 else ")."
        runs = (
            Run(f"({n}) "),
            Run(str(p["name"]).upper(), bold=True),
            Run(text),
            Run(f"\u201c{role}\u201d", bold=True),
            Run(end if n == 2 else ")" + "; and"),
        )
        out.append(Para(runs))
    return tuple(out)


def _def_runs(text: str, numbers: Mapping[str, str]) -> tuple[Run, ...]:
    blocks = parse_blocks(text.strip().rstrip(".") + ".", numbers)
    runs: list[Run] = []
    for b in blocks:
        if isinstance(b, Para):
            if runs:
                runs.append(Run(" "))
            runs.extend(b.runs)
    return tuple(runs)


def _term_rx(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])")


def _used_terms(candidates: Mapping[str, str], bodies: list[str]) -> set[str]:
    """Terms used in the body, plus terms used by the definitions of used terms (to a fixpoint)."""
    body = "\n".join(bodies)
    used = {t for t in candidates if _term_rx(t).search(body)}
    frontier = set(used)
    while frontier:
        text = "\n".join(candidates[t] for t in frontier)
        new = {t for t in candidates if t not in used and _term_rx(t).search(text)}
        used |= new
        frontier = new
    return used
