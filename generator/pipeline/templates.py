"""The one sandboxed Jinja environment: its filters, the compile cache, running a template under
the guards, and the analysis validate does on a template's syntax tree.

All clause text goes through this environment. Clause text comes from pull requests, so it must
never reach Python internals or change deal data: the immutable sandbox blocks both,
StrictUndefined turns a misspelt name into an error, and there is no loader, so
``{% include %}`` and ``{% import %}`` cannot read files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

from .. import cache
from ..limits import RenderLimits
from . import rendered, sandbox
from . import words as w


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


def _text(value: object) -> str:
    return str(rendered.finalize(value))


def make_env() -> ImmutableSandboxedEnvironment:
    """The one Jinja environment for every template: sandboxed, strict, no file access."""
    env = sandbox.ClauseSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        loader=None,
        # No constant folding: Jinja's optimizer would call a filter on constant arguments
        # while compiling, outside the render guard ({{ 7 | round(-30000000) }}).
        optimized=False,
        finalize=rendered.finalize,  # {{ }} prints text and numbers, never a Python repr
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
            # str() of a list or a function is a Python repr: only text and numbers go in
            "lower": lambda s: _text(s).lower(),
            "upper": lambda s: _text(s).upper(),
            "capitalize": lambda s: _text(s)[:1].upper() + _text(s)[1:],
            "length": len,
            "default": lambda v, d="": d if v is None else v,
            "round": w.round_number,
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
CONTEXT_NAMES = frozenset(
    {"deal", "ref", "has", "provision", "label", "range", "loop", "true", "false", "none"}
)


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
    stored = cache.load("templates", library_key)
    if isinstance(stored, dict):
        _code_cache.update(stored)


def save_code_cache(library_key: str) -> None:
    global _code_cache_dirty
    if _code_cache_dirty:
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
        # Compiling runs under the same guard as rendering: it is work a template makes us do.
        with sandbox.guard(limits.max_output_chars, limits.max_seconds, limits.max_memory_bytes):
            tpl = _compiled(source)
            return _generate(tpl, context, limits)
    except sandbox.TemplateLimit as exc:
        failure = RenderFailure(str(exc), _template_lineno(exc))
        if isinstance(exc, sandbox.RenderTimeout):
            _exhausted[(source, limits)] = failure
        raise failure from None
    except RenderFailure as f:
        if f.lineno is None:
            f.lineno = _template_lineno(f)
        raise
    except MemoryError:
        failure = RenderFailure("template used too much memory", None)
        _exhausted[(source, limits)] = failure
        raise failure from None
    except Exception as exc:
        message = _failure_message(exc)
        if message is None:
            raise
        raise RenderFailure(message, _template_lineno(exc)) from None


def _compiled(source: str) -> jinja2.Template:
    """The compiled template, or RenderFailure for text Jinja or Python cannot compile."""
    try:
        return compile_template(source)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderFailure(f"template syntax error: {exc.message}", exc.lineno) from None
    except (RecursionError, SyntaxError) as exc:
        # Python's own compiler gives up on 250 chained '+' or 25 nested loops ("too many
        # statically nested blocks"): the template is too deeply nested, not our bug.
        # (Python's line is one of the generated module, of no use to the author.)
        del exc
        raise RenderFailure(_TOO_NESTED, None) from None


_TOO_NESTED = "template nested too deeply to compile (too many nested blocks or operators)"


def _generate(tpl: jinja2.Template, context: Mapping[str, Any], limits: RenderLimits) -> str:
    out: list[str] = []
    # Template.generate() without its wrapper, so the frame that wrote a chunk is at hand: a
    # forbidden character is reported at the template line of the {{ }} that wrote it.
    gen = tpl.root_render_func(tpl.new_context(dict(context)))
    try:
        failure = _collect(tpl, gen, out, limits)
    except Exception:
        tpl.environment.handle_exception()  # re-raised with the template's own line numbers
        raise  # not reached: handle_exception always raises
    if failure is not None:
        raise failure
    text = "".join(out)
    problem = rendered.chunk_problem(text)  # an entity or repr split over two chunks
    if problem is not None:
        raise RenderFailure(problem[1], None)
    return text


def _collect(
    tpl: jinja2.Template, gen: Iterator[str], out: list[str], limits: RenderLimits
) -> RenderFailure | None:
    """Run the template into ``out``; the limit or content check it broke, if any."""
    size = 0
    deadline = time.monotonic() + limits.max_seconds
    for chunk in gen:
        size += len(chunk)
        if size > limits.max_output_chars:
            return RenderFailure(
                f"rendered text exceeds the limit of {limits.max_output_chars:,} characters", None
            )
        if limits.max_seconds and time.monotonic() > deadline:  # the timer's fallback
            return RenderFailure(f"rendering took longer than {limits.max_seconds:g} seconds", None)
        problem = rendered.chunk_problem(chunk)
        if problem is not None:
            offset, message = problem
            line = _chunk_line(tpl, gen)  # where the chunk starts; its text may run on
            return RenderFailure(message, line and line + chunk.count("\n", 0, offset))
        out.append(chunk)
    return None


def _chunk_line(tpl: jinja2.Template, gen: Any) -> int | None:
    frame = getattr(gen, "gi_frame", None)
    return tpl.get_corresponding_lineno(frame.f_lineno) if frame is not None else None


_NO_LOADER = "{% include %}, {% import %} and {% extends %} are not allowed in clause text"


def _failure_message(exc: Exception) -> str | None:
    """What a template's own mistake means to its author; None for anything else (a bug)."""
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined value: {exc.message}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"unsafe template operation refused: {exc}"
    if isinstance(exc, jinja2.TemplateError):
        msg = str(exc)
        return _NO_LOADER if "no loader" in msg.lower() else msg
    if isinstance(exc, RecursionError):
        return "template recursion too deep"
    if isinstance(exc, OverflowError):
        return f"number too large: {exc}"
    if isinstance(exc, w.FilterArgumentError):
        return str(exc)
    if isinstance(exc, ArithmeticError) and not isinstance(exc, ZeroDivisionError):
        return "number out of range for a contract (decimal arithmetic failed)"
    if isinstance(
        exc, TypeError | ValueError | KeyError | IndexError | ZeroDivisionError | AttributeError
    ):
        msg = f"{type(exc).__name__}: {exc}"
        return _NO_LOADER if "no loader" in msg else msg
    return None


def eval_condition(expr: str, deal: Mapping[str, Any]) -> bool:
    """Evaluate a `when` expression over the deal."""
    result = run_template("{% if " + expr + " %}1{% endif %}", {"deal": deal})
    return result == "1"


def undeclared(source: str) -> tuple[jinja2.nodes.Template, set[str]]:
    from jinja2 import meta

    ast = shared_env().parse(source)
    return ast, set(meta.find_undeclared_variables(ast))


def name_lines(ast: nodes.Template, name: str) -> int:
    for node in ast.find_all(nodes.Name):
        if node.name == name:
            return int(node.lineno)
    return 1


def deal_chains(ast: nodes.Template) -> Iterator[tuple[tuple[str, ...], nodes.Name, int]]:
    """Each constant attribute chain read from ``deal`` (deal.pricing.model -> ('pricing',
    'model')), with the ``deal`` name it starts from and its line."""
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
            yield tuple(reversed(chain)), cur, int(node.lineno)


def deal_paths(ast: nodes.Template) -> Iterator[tuple[tuple[str, ...], int]]:
    """Attribute chains read from ``deal``: deal.pricing.model -> ('pricing', 'model')."""
    for chain, _, line in deal_chains(ast):
        yield chain, line


def ref_targets(ast: nodes.Template) -> Iterator[tuple[str, int]]:
    for call in ast.find_all(nodes.Call):
        if (
            isinstance(call.node, nodes.Name)
            and call.node.name in ("ref", "has")
            and call.args
            and isinstance(call.args[0], nodes.Const)
        ):
            yield str(call.args[0].value), int(call.lineno)
