"""What rendered clause text may contain: the check between a template and the draft.

The YAML loader refuses invisible and control characters in the *source*, but a template can
make them: ``{{ '\\u202e' }}`` (a Jinja string escape), an HTML entity such as ``&#x202E;``
(Markdown decodes it), or a value whose text is a Python repr with a memory address
(``{{ ''.maketrans }}``: unreadable, and different on every run). Every chunk a template writes
is checked here, so the author gets the template line of the ``{{ }}`` that wrote it.
"""

from __future__ import annotations

import functools
import html
import math
import re
from decimal import Decimal
from typing import Any

from jinja2 import Undefined

from .sandbox import TemplateLimit
from .words import MAX_DIGITS, fmt_number

# Characters Word XML cannot hold (C0 controls but tab and line breaks, U+FFFE/F), characters a
# terminal obeys (ESC, DEL, C1), and characters that reorder or hide text from a reviewer.
# U+E000 and U+E001 are the cross-reference marks ref() writes (render.py); the loader refuses
# them, like every private-use character, in source text.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff\ue002-\uf8ff"
    "\U000e0000-\U000e007f]"
)
# Every HTML character reference markdown-it would decode: &#8238; &#x202E; &rlm; ...
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")
# The default repr of a Python object: "<built-in method maketrans of type object at 0x7f...>"
# (any case: `| upper` must not hide it)
_REPR = re.compile(
    r"<[^<>\n]{0,200} at 0x[0-9a-f]+>|<(?:built-in |bound )?(?:function|method) ", re.IGNORECASE
)


def _what(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF):
        kind = "a control character that Word files or terminals cannot hold"
    else:
        kind = "an invisible or bidirectional control character"
    return f"{kind} (U+{code:04X})"


def chunk_problem(chunk: str) -> tuple[int, str] | None:
    """Where in a piece of rendered text (an offset) and why it may not reach a draft."""
    m = FORBIDDEN.search(chunk)
    if m:
        return m.start(), f"rendered text contains {_what(m.group())}"
    for ent in _ENTITY.finditer(chunk):
        bad = FORBIDDEN.search(html.unescape(ent.group()))
        if bad:
            what = _what(bad.group())
            return (
                ent.start(),
                f"rendered text contains {ent.group()}, which Markdown turns into {what}",
            )
    m = _REPR.search(chunk)
    if m:
        return m.start(), (
            "rendered text contains a Python object's repr (a memory address); "
            "print a parameter, a deal value or a filter's result instead"
        )
    return None


# ---- Markdown that would drop text ----------------------------------------------------------


def table_problem(text: str) -> tuple[int, str] | None:
    """(line in the rendered text, message) for a table row with more cells than its header:
    GFM tables drop the extra cells without a word, and with them clause text."""
    if "|" not in text:
        return None
    lines = text.split("\n")
    for tok in _table_md().parse(text):
        if tok.type != "table_open" or tok.map is None:
            continue
        start, end = tok.map
        header = _cells(lines[start])
        for n in range(start + 2, end):
            cells = _cells(lines[n])
            if cells > header:
                return n + 1, (
                    f"table row has {cells} cells but the header has {header}: "
                    "Markdown would drop the extra cells"
                )
    return None


def _cells(row: str) -> int:
    body = row.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    # a pipe escaped with a backslash, or inside a code span, does not separate cells
    body = re.sub(r"\\\||`[^`]*`", "x", body)
    return body.count("|") + 1


@functools.lru_cache(maxsize=1)
def _table_md() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


class UnprintableValue(TemplateLimit):
    """``{{ x }}`` of a value with no contract text (a function, a list, None)."""


def finalize(value: Any) -> Any:
    """Jinja's finalize: what ``{{ }}`` may print. Numbers, text and yes/no only: anything else
    would print a Python repr ("['a', 'b']", "None", "<built-in method ...>")."""
    if isinstance(value, str | int | Decimal | Undefined):  # bool is an int
        return value  # an Undefined raises, or prints '' for `{{ 's' if n != 1 }}`, as Jinja says
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= 10**MAX_DIGITS:
            raise UnprintableValue(
                f"cannot print {value} in a contract: not a finite number of at most "
                f"{MAX_DIGITS} digits (use number, money or percent)"
            )
        text = repr(value)
        return fmt_number(value) if "e" in text else value  # never "1e-05" in a contract
    kind = "nothing (None)" if value is None else f"a {type(value).__name__}"
    raise UnprintableValue(
        f"cannot print {kind} in a contract; use a filter such as join_and, number or money"
    )
