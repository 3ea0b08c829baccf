"""The Jinja sandbox that clause text runs in, and what one render may cost.

Clause text arrives in pull requests, so a template is hostile code. Jinja's immutable sandbox
keeps it away from Python internals and from the deal data; this module adds what the sandbox
leaves open:

- operators that build huge values in one step (``'x' * 10**9``, ``10 ** 10 ** 10``, string
  ``%`` formatting with a huge width) are checked before they run;
- string methods that only pad or format (``format``, ``center``, ``zfill``...) are refused,
  which also closes the ``str.format`` escapes of CVE-2016-10745, CVE-2019-10906,
  CVE-2024-56326 and CVE-2025-27516 a second time;
- a timer (SIGALRM) stops a render that runs too long even when it writes nothing;
- on Linux, an address-space cap turns a render that grabs too much memory into a MemoryError
  instead of an out-of-memory kill.

Python only handles a signal between bytecodes, so the timer cannot interrupt one long C call;
the operator checks and the memory cap are what bound those. The timer only works in a
process's main thread: batch workers render in their own main thread, so it works there too;
anywhere else the render loop's own check between output chunks is the fallback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

# Bumped whenever the sandbox changes how templates compile, so no cached compiled template
# from before the change is ever run (see cache.py).
SANDBOX_REVISION = "4"

MAX_INT_BITS = 10_000  # ~3,000 decimal digits: far beyond any amount, date or percentage

# Methods of str that only pad or format: nothing a clause needs, and each can build a huge
# string from a short expression. The product's filters format numbers, money and dates.
_REFUSED_STR_METHODS = frozenset(
    {"format", "format_map", "center", "ljust", "rjust", "zfill", "expandtabs", "join", "encode"}
)


class TemplateLimit(Exception):
    """A render broke one of the limits; the message says which."""


class RenderTimeout(TemplateLimit):
    pass


_max_chars = 262_144  # the limit of the render running now (set by ``guard``)


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _NoConstantOutput(CodeGenerator):
    """Jinja's code generator, minus evaluating ``{{ }}`` of constants while compiling.

    Jinja folds ``{{ 7 | round(-30000000) }}`` into text at compile time, even with the
    optimizer off, by calling the filter there; and it merges the result with the text around
    it, so a forbidden character could not be traced to its line. Every expression runs at
    render time, under the guard, as its own chunk.
    """

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        if isinstance(node, nodes.TemplateData):
            return str(node.as_const(frame.eval_ctx))
        raise nodes.Impossible()

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # `a ~ b` through the environment's finalize, as `{{ }}` is: "x" ~ range(3) would
        # otherwise print the repr "range(0, 3)".
        self.write("environment.joined((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class ClauseSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox plus size checks on operators and no formatting methods."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _NoConstantOutput

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            if _is_int(left) and _is_int(right):
                _check_bits(abs(left).bit_length() + abs(right).bit_length())
        elif operator == "**" and _is_int(left) and _is_int(right) and abs(left) > 1 and right > 0:
            _check_bits(right * abs(left).bit_length())
        elif operator == "%" and isinstance(left, str):
            raise TemplateLimit(
                "string formatting with '%' is not allowed in clause text; "
                "use the filters (number, money, percent, words)"
            )
        elif operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None:
                _check_length(a + b, "'+'")
        return super().call_binop(context, operator, left, right)

    def joined(self, items: tuple[Any, ...]) -> str:
        """What ``~`` makes: each operand as ``{{ }}`` would print it."""
        check = self.finalize
        return "".join(str(check(x) if check is not None else x) for x in items)

    def wrap_str_format(self, value: Any) -> None:
        # Jinja would hand back a sandboxed str.format; we refuse it in is_safe_attribute.
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _REFUSED_STR_METHODS:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


def _check_repeat(seq: Any, times: Any) -> None:
    n = _size(seq)
    if n is None or not _is_int(times):
        return
    if isinstance(seq, str):
        _check_length(n * times, "'*'")
    elif n * times > MAX_RANGE:
        raise TemplateLimit(f"a list made by '*' would have more than {MAX_RANGE:,} items")


def _check_length(n: int, how: str) -> None:
    if n > _max_chars:
        raise TemplateLimit(f"text made by {how} exceeds the limit of {_max_chars:,} characters")


def _check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimit("number too large: the result would have more than 3,000 digits")


# ---- static checks (used by validate, so variants no sample deal renders are caught too) --


def unsafe_constructs(ast: nodes.Template) -> Iterator[tuple[int, str]]:
    """Line and message for each include/import and each private attribute in a template."""
    for stmt in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        yield (
            int(stmt.lineno),
            "{% include %}, {% import %} and {% extends %} are not allowed in clause text",
        )
    private: dict[int, set[str]] = {}
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value if isinstance(node.arg.value, str) else None
        if name is not None and name.startswith("_"):
            private.setdefault(int(node.lineno), set()).add(name)
    for lineno, names in sorted(private.items()):
        yield lineno, f"private attributes are not allowed: {', '.join(sorted(names))}"


# ---- time and memory ----------------------------------------------------------------------


@contextlib.contextmanager
def guard(max_chars: int, seconds: float, memory_bytes: int) -> Iterator[None]:
    """Apply the output, time and memory limits to the render inside the block."""
    global _max_chars
    outer = _max_chars
    _max_chars = max_chars
    try:
        with _alarm(seconds), _memory_cap(memory_bytes):
            yield
    finally:
        _max_chars = outer


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # never take over someone's timer
    )
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise RenderTimeout(f"rendering took longer than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_cap(extra: int) -> Iterator[None]:
    """Cap the address space at its current size plus ``extra`` bytes (Linux only)."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError, IndexError):
        current = 0
    if extra <= 0 or current <= 0:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = current + extra
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft != resource.RLIM_INFINITY and soft <= want:
        yield  # already capped at least this tightly (an outer render, or the user)
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
