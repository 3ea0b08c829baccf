"""Stage 1 — parse YAML safely, keeping the file, line and column of every node.

Imported only to parse a file (generator/pipeline/load.py serves a deal parsed before from
the cache, so a warm draft does not import PyYAML).

PyYAML's composer (C-accelerated where available) gives a node tree with marks;
we build plain data from it ourselves so that duplicate keys, aliases, unknown
tags, deep nesting and characters a reviewer cannot see are caught with a line.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from ..errors import ContentError, Diagnostic
from ..limits import Limits, current_limits
from ..source import Pointer, SourceFile

try:  # the C loader is ~10x faster and keeps marks just the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Controls invalid in XML 1.0 (they would corrupt a .docx) and characters that make
# a pull-request diff show something other than what the contract says.
# DEL and the C1 controls (U+0080-U+009F) are valid XML but a terminal obeys them (U+009B
# starts an escape sequence), and no contract needs them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_KEY_INVALID = re.compile("[\t\n\r]")  # a key is one word: a line break in it forges a line
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ue000-\uf8ff]")

_STD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class _Builder:
    def __init__(self, path: str, limits: Limits, lines: list[str] | None = None) -> None:
        self.path = path
        self.lines = lines or []
        self.limits = limits
        self.positions: dict[Pointer, tuple[int, int]] = {}
        self.key_positions: dict[Pointer, tuple[int, int]] = {}
        self.errors: list[Diagnostic] = []
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def err(self, node: yaml.Node, rule: str, message: str, col_offset: int = 0) -> None:
        m = node.start_mark
        self.errors.append(
            Diagnostic(self.path, m.line + 1, m.column + 1 + col_offset, rule, message)
        )

    def build(self, node: yaml.Node, pointer: Pointer, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _Abort(
                "too-large",
                f"more than {self.limits.max_nodes:,} YAML nodes (counting expanded aliases)",
                node,
            )
        if depth > self.limits.max_depth:
            raise _Abort("too-deep", f"nesting deeper than {self.limits.max_depth} levels", node)
        self.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode) and getattr(node, "style", None) in ("|", ">"):
            # A block scalar's text starts on the line after its indicator: template line 1 is there.
            self.positions[pointer] = (node.start_mark.line + 2, node.start_mark.column + 1)
        if node.tag not in _STD_TAGS:
            self.err(node, "yaml-tag", f"tag {node.tag!r} is not allowed (plain YAML data only)")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            first_seen: dict[str, int] = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    self.err(knode, "yaml-key", "mapping keys must be plain strings")
                    continue
                key = str(knode.value)
                self.check_text(knode, key)  # a key is printed in messages: ESC, CR, bidi
                if _KEY_INVALID.search(key):
                    self.err(
                        knode,
                        "invalid-character",
                        "a mapping key may not hold a tab or a line break",
                    )
                if key == "<<":
                    self.err(knode, "yaml-merge", "merge keys ('<<') are not allowed")
                    continue
                if key in first_seen:
                    self.err(
                        knode,
                        "duplicate-key",
                        f"duplicate key '{key}' (first defined on line {first_seen[key]})",
                    )
                    continue
                first_seen[key] = knode.start_mark.line + 1
                self.key_positions[pointer + (key,)] = (
                    knode.start_mark.line + 1,
                    knode.start_mark.column + 1,
                )
                out[key] = self.build(vnode, pointer + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, pointer + (i,), depth + 1) for i, v in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        tag, raw = node.tag, str(node.value)
        if tag == "tag:yaml.org,2002:str":
            if len(raw) > self.limits.max_text_chars:
                self.err(
                    node,
                    "text-too-long",
                    f"text is {len(raw):,} characters; the limit is {self.limits.max_text_chars:,}",
                )
                return None
            self.check_text(node, raw)
            return raw
        if tag == "tag:yaml.org,2002:timestamp":
            return raw  # dates stay ISO strings; the schema checks their format
        if tag == "tag:yaml.org,2002:int" and len(raw.lstrip("+-").replace("_", "")) > (
            self.limits.max_int_digits
        ):
            self.err(
                node,
                "number-too-large",
                f"integer with more than {self.limits.max_int_digits} digits",
            )
            return None
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            self.err(node, "yaml-value", f"cannot read value {raw[:40]!r}: {exc}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            # .nan and .inf would print "NaN%" into a contract and break JSON reports.
            self.err(node, "not-finite", f"{raw[:40]!r} is not a finite number")
            return None
        return value

    def block_indent(self, node: yaml.Node) -> int:
        for row in self.lines[node.start_mark.line + 1 :]:
            if row.strip():
                return len(row) - len(row.lstrip(" "))
        return 0

    def check_text(self, node: yaml.Node, text: str) -> None:
        for rx, rule, what in (
            (_XML_INVALID, "invalid-character", "a control character that Word files cannot hold"),
            (_INVISIBLE, "invisible-character", "an invisible or bidirectional control character"),
        ):
            m = rx.search(text)
            if m:
                before = text[: m.start()]
                line = node.start_mark.line + 1 + before.count("\n")
                quote = 1 if getattr(node, "style", None) in ('"', "'") else 0
                col = (
                    (len(before) - before.rfind("\n"))
                    if "\n" in before
                    else (node.start_mark.column + 1 + quote + len(before))
                )
                if getattr(node, "style", None) == "|":
                    # a literal block's text starts on the next line, after its indentation
                    line += 1
                    col = self.block_indent(node) + len(before) - before.rfind("\n")
                self.errors.append(
                    Diagnostic(
                        self.path, line, col, rule, f"text contains {what} (U+{ord(m.group()):04X})"
                    )
                )


class _Abort(Exception):
    def __init__(self, rule: str, message: str, node: yaml.Node | None = None) -> None:
        super().__init__(message)
        self.rule, self.message, self.node = rule, message, node


def _mark_diag(path: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    here = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if here == "\t" or "'\\t'" in problem:
        problem = "a tab character is not allowed in YAML indentation; use spaces"
    elif exc.context:
        ctx = exc.context_mark
        started = f" that starts on line {ctx.line + 1}" if ctx and ctx.line + 1 != line else ""
        problem = f"{problem} ({exc.context}{started})"
    return Diagnostic(path, line, col, "yaml-syntax", f"YAML syntax error: {problem}")


def parse_yaml(text: str | bytes, path: str, limits: Limits | None = None) -> SourceFile:
    """Parse one YAML document; raise ContentError listing every problem in it."""
    import hashlib

    limits = limits or current_limits()
    raw = text.encode("utf-8") if isinstance(text, str) else text
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > limits.max_bytes:
        message = f"file is {len(raw)} bytes; the limit is {limits.max_bytes}"
        raise ContentError([Diagnostic(path, 1, 1, "file-too-large", message)])
    decoded = _decode(raw, path)
    node = _compose(decoded, path, limits)
    if node is None:
        return SourceFile(path, None, {(): (1, 1)}, {}, digest)
    aliases, line = _aliases(decoded)
    if aliases > limits.max_aliases:
        # Aliases are how "billion laughs" bombs grow; plain data files never need them.
        message = (
            "YAML anchors and aliases (&name, *name) are not allowed"
            if limits.max_aliases == 0
            else f"more than {limits.max_aliases} YAML aliases (*name)"
        )
        raise ContentError([Diagnostic(path, line, 1, "yaml-alias", message)])
    builder = _Builder(path, limits, decoded.splitlines())
    try:
        data = builder.build(node, (), 0)
    except _Abort as ab:
        m = ab.node.start_mark if ab.node is not None else None
        line, col = (m.line + 1, m.column + 1) if m else (1, 1)
        raise ContentError([Diagnostic(path, line, col, ab.rule, ab.message)]) from None
    except RecursionError:
        raise ContentError(
            [Diagnostic(path, 1, 1, "too-deep", "nesting too deep to read")]
        ) from None
    builder.errors.extend(_hidden_outside_values(decoded, path, builder.errors))
    if builder.errors:
        raise ContentError(builder.errors)
    return SourceFile(path, data, builder.positions, builder.key_positions, digest)


def _hidden_outside_values(text: str, path: str, found: list[Diagnostic]) -> list[Diagnostic]:
    """Invisible and bidirectional characters anywhere else in the file: in a comment they
    reorder what a reviewer reads in the pull request just as well as in a value."""
    if _INVISIBLE.search(text) is None:
        return []
    reported = {d.line for d in found if d.rule == "invisible-character"}
    out: list[Diagnostic] = []
    for lineno, row in enumerate(text.splitlines(), start=1):
        m = _INVISIBLE.search(row)
        if m is None or lineno in reported:
            continue
        message = (
            "the file contains an invisible or bidirectional control character "
            f"(U+{ord(m.group()):04X}) outside any value (in a comment?)"
        )
        out.append(Diagnostic(path, lineno, m.start() + 1, "invisible-character", message))
    return out


def _decode(raw: bytes, path: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless: Windows editors add it
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        raise ContentError([Diagnostic(path, line, col, "encoding", message)]) from None


def _compose(decoded: str, path: str, limits: Limits) -> yaml.Node | None:
    """PyYAML's node tree, or a ContentError placed where PyYAML stopped."""
    try:
        loader = _Loader(decoded)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            # PyYAML >= 6.0.4 stops at its own depth (1,000); report ours, the same on every version.
            deep = depth_problem(decoded, path, limits.max_depth)
            if deep is not None:
                raise ContentError([deep]) from None
        raise ContentError([_mark_diag(path, exc, decoded)]) from None
    except RecursionError:
        raise ContentError(
            [Diagnostic(path, 1, 1, "too-deep", "nesting too deep to read")]
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character outside a quoted string
        before = decoded[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        what = "a control character that Word files cannot hold"
        message = f"text contains {what} (U+{exc.character:04X})"
        raise ContentError([Diagnostic(path, line, col, "invalid-character", message)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Diagnostic(path, 1, 1, "yaml-syntax", f"YAML error: {exc}")]) from None


def depth_problem(text: str, path: str, max_depth: int) -> Diagnostic | None:
    """Where flow nesting ([ and {) first goes deeper than ``max_depth``.

    Only used to place the error when PyYAML itself refused the nesting: its own limit and
    position vary by version, ours must not. Quoted text and comments are skipped.
    """
    depth = line = col = 0
    quote = ""
    comment = False
    # a flow collection at the top is itself depth 0; under a mapping key it is depth 1
    top = next((ln.strip()[:1] for ln in text.splitlines() if ln.strip()[:1] not in ("", "#")), "")
    offset = 0 if top in ("[", "{") else 1
    for ch in text:
        col += 1
        if ch == "\n":
            line, col, comment = line + 1, 0, False
            continue
        if comment:
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "[{":
            depth += 1
            if depth - 1 + offset > max_depth:
                msg = f"nesting deeper than {max_depth} levels"
                return Diagnostic(path, line + 1, col, "too-deep", msg)
        elif ch in "]}":
            depth -= 1
    return None


def _aliases(text: str) -> tuple[int, int]:
    """How many alias tokens, and the first line with an anchor or alias (scanned, so a quoted
    '&' is not a hit); an anchor alone counts once, so it is refused when aliases are."""
    if "&" not in text and "*" not in text:
        return 0, 0
    count, first = 0, 0
    try:
        for tok in yaml.scan(text, Loader=_Loader):
            if isinstance(tok, yaml.AnchorToken | yaml.AliasToken):
                first = first or int(tok.start_mark.line) + 1
                count += isinstance(tok, yaml.AliasToken)
    except yaml.YAMLError:
        return 0, 0
    return (max(count, 1) if first else 0), first
